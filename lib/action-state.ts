/** What a server action answers a form with (shared by server actions and the client forms that show it). */
export interface ActionState {
  ok: boolean;
  message: string | null;
  errors: string[];
}

export const initialActionState: ActionState = { ok: false, message: null, errors: [] };

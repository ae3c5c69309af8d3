"use server";
import type { PublicKeyCredentialCreationOptionsJSON, RegistrationResponseJSON } from "@simplewebauthn/server";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import type { ActionState } from "@/lib/action-state";
import { passkeyAnswer } from "@/lib/schemas/auth";
import { ChangePasswordSchema } from "@/lib/schemas/users";
import { callAction, formAction, succeeded } from "@/lib/server/actions/server-action";
import { sessionToken } from "@/lib/server/auth/browser-session";
import { relyingParty } from "@/lib/server/auth/mfa/request";
import {
  confirmOwnTotp,
  PasskeyIdSchema,
  ownPasskeyOptions,
  regenerateOwnRecoveryCodes,
  registerOwnPasskey,
  removeOwnPasskey,
  removeOwnTotp,
  startOwnTotp,
  TotpCodeSchema,
} from "@/lib/server/dal/account-security";
import { changeOwnPassword } from "@/lib/server/dal/users";

export type CodesState = ActionState & { recoveryCodes?: string[] };

const firstError = (errors: string[]) => ({ error: errors[0]! });

export const changePasswordAction = formAction({
  permission: "signed-in",
  input: ChangePasswordSchema,
  run: async ({ actor, input, ip }) => {
    const result = await changeOwnPassword(actor, input, { sessionToken: await sessionToken(), ip });
    revalidatePath("/", "layout");
    return result;
  },
  done: ({ revokedSessions }) =>
    succeeded(
      `Your password was changed; ${revokedSessions === 1 ? "1 other session was" : `${revokedSessions} other sessions were`} signed out.`,
    ),
});

export const startTotpAction = callAction({
  permission: "signed-in",
  run: ({ actor }) => startOwnTotp(actor),
  done: ({ secret, qrDataUrl }): { secret: string; qrDataUrl: string } | { error: string } => ({ secret, qrDataUrl }),
  failed: firstError,
});

export const confirmTotpAction = formAction({
  permission: "signed-in",
  input: z.object({ code: TotpCodeSchema }),
  run: async ({ actor, input, ip }) => {
    const recoveryCodes = await confirmOwnTotp(actor, input.code, { ip });
    revalidatePath("/account");
    return recoveryCodes;
  },
  done: (recoveryCodes): CodesState => ({ ...succeeded("Your authenticator app is set up."), recoveryCodes }),
});

export const removeTotpAction = formAction({
  permission: "signed-in",
  run: async ({ actor, ip }) => {
    await removeOwnTotp(actor, { ip });
    revalidatePath("/account");
  },
  done: () => succeeded("The authenticator app was removed."),
});

export const regenerateRecoveryCodesAction = formAction({
  permission: "signed-in",
  run: async ({ actor, ip }) => {
    const recoveryCodes = await regenerateOwnRecoveryCodes(actor, { ip });
    revalidatePath("/account");
    return recoveryCodes;
  },
  done: (recoveryCodes): CodesState => ({
    ...succeeded("New recovery codes; the old ones no longer work."),
    recoveryCodes,
  }),
});

export const passkeyOptionsAction = callAction({
  permission: "signed-in",
  run: async ({ actor }): Promise<PublicKeyCredentialCreationOptionsJSON | null> =>
    ownPasskeyOptions(actor, await relyingParty()),
  failed: () => null,
});

export const registerPasskeyAction = callAction({
  permission: "signed-in",
  input: z.tuple([passkeyAnswer<RegistrationResponseJSON>(), z.unknown()]),
  run: async ({ actor, input: [response, name], ip }) => {
    await registerOwnPasskey(actor, { response, name }, await relyingParty(), { ip });
    revalidatePath("/account");
  },
  done: (): { error: string | null } => ({ error: null }),
  failed: firstError,
});

export const removePasskeyAction = formAction({
  permission: "signed-in",
  input: z.object({ id: PasskeyIdSchema }),
  run: async ({ actor, input, ip }) => {
    await removeOwnPasskey(actor, input.id, { ip });
    revalidatePath("/account");
  },
  done: () => succeeded("The passkey was removed."),
});

import "server-only";
/**
 * THE way to write a server action (app/**\/actions.ts). An action declares who may call it, the zod schema of its
 * input, what it does and what the caller gets back:
 *
 *   export const proposeWaiverAction = formAction({
 *     permission: "waivers:propose",
 *     input: ProposeWaiverSchema,
 *     run: ({ actor, input }) => proposeWaiver(actor, input),
 *     done: (created) => succeeded(`Waiver proposed for ${created.bucketName}.`),
 *   });
 *
 * `formAction` is for forms (`useActionState`: previous state and FormData; the form's fields are read as an object,
 * a repeated field as an array — lib/schemas/form-fields.ts for checkboxes); `callAction` for actions a client
 * component calls with arguments (the schema is a tuple of them). In order: the caller is admitted (permission,
 * "signed-in" or "public" — lib/server/entry-point.ts; the DAL authorizes again); the input is validated; `run`
 * runs; the declared audit record is written; `done` makes the answer (it may `redirect()`). Any error on the way
 * becomes `failed(errors)`: input that fails the schema gives each issue's message, an AppError its message (a
 * refusal is recorded), anything else is logged under a request id and answered with a generic message naming it.
 * A form action whose state is an ActionState gets `failed` by default; a `callAction` without `failed` lets the
 * error through to Next's error page (after logging it) — for actions that answer nothing, like sign-out.
 */
import { unstable_rethrow } from "next/navigation";
import type { z } from "zod";
import type { ActionState } from "@/lib/action-state";
import { AppError } from "@/lib/errors";
import { issueText } from "@/lib/schemas/parse-input";
import { clientIp } from "@/lib/server/auth/current-actor";
import {
  admit,
  failureOf,
  writeDeclaredAudit,
  type Access,
  type ActorFor,
  type DeclaredAudit,
  type Parsed,
  type Schema,
} from "@/lib/server/entry-point";

export interface ActionContext<A extends Access, I> {
  actor: ActorFor<A>;
  /** The client address (lib/client-address.ts), for what the DAL records. */
  ip: string | null;
  input: I;
}

interface ActionSpec<A extends Access, S extends Schema, R, Out> {
  /** Who may call: a permission of lib/server/permissions.ts, "signed-in", or "public". */
  permission: A;
  /** The form's fields as an object, or the call's arguments as a tuple; omitted: the action takes no input. */
  input?: S;
  run(context: ActionContext<A, Parsed<S>>): Promise<R>;
  /** The audit record of a successful call; null: none this time. */
  audit?(context: ActionContext<A, Parsed<S>> & { result: R }): DeclaredAudit | null;
  /** The answer to a successful call (may redirect). */
  done(result: R, input: Parsed<S>): Out | Promise<Out>;
}

/** What the caller gets when the action failed: each message (input issues, the AppError's, or the generic one). */
type Failed<Out, Raw> = (errors: string[], raw: Raw) => NoInfer<Out>;

async function perform<A extends Access, S extends Schema, R, Out>(
  spec: ActionSpec<A, S, R, Out>,
  raw: unknown,
  failed: ((errors: string[]) => Out) | undefined,
): Promise<Out> {
  try {
    const actor = await admit(spec.permission, spec.audit !== undefined);
    const input = (spec.input ? await parseFields(spec.input, raw) : undefined) as Parsed<S>;
    const context = { actor, ip: await clientIp(), input };
    const result = await spec.run(context);
    const audit = spec.audit?.({ ...context, result });
    if (audit) await writeDeclaredAudit(audit, actor, context.ip);
    return await spec.done(result, input);
  } catch (error) {
    unstable_rethrow(error); // redirect(), notFound() and Next's other signals are not failures
    if (error instanceof InputIssues && failed) return failed(error.messages);
    const failure = failureOf(error, `server action (${spec.permission})`);
    if (!failed) throw error;
    return failed([failure.requestId ? `${failure.message} (request id ${failure.requestId})` : failure.message]);
  }
}

/** Input that fails the action's schema: every issue's message, each shown on its own in the form. */
class InputIssues extends AppError {
  constructor(readonly messages: string[]) {
    super("invalid_input", issueText(messages.map((message) => ({ message }))));
  }
}

/** Parsed asynchronously: a form's schema may read an uploaded file (`file.text()`). */
async function parseFields<S extends z.ZodType>(schema: S, raw: unknown): Promise<z.output<S>> {
  const parsed = await schema.safeParseAsync(raw);
  if (!parsed.success) throw new InputIssues(parsed.error.issues.map((i) => i.message));
  return parsed.data;
}

/** A form's fields as an object: a field sent once is its value, a repeated one (checkboxes) an array of values. */
export function formFields(form: FormData): Record<string, FormDataEntryValue | FormDataEntryValue[]> {
  const fields: Record<string, FormDataEntryValue | FormDataEntryValue[]> = {};
  for (const key of new Set(form.keys())) {
    const values = form.getAll(key);
    fields[key] = values.length === 1 ? values[0]! : values;
  }
  return fields;
}

/** A failed form action's state when it is an ActionState: the messages, shown by the form. */
export const formErrors = (errors: string[]): ActionState => ({ ok: false, message: null, errors });
/** A successful form action's ActionState. */
export const succeeded = (message: string): ActionState => ({ ok: true, message, errors: [] });

type FormFailed<State> = ActionState extends State
  ? { failed?: Failed<State, FormData> }
  : { failed: Failed<State, FormData> };

/** A form's action (`useActionState`): (previous state, FormData) → the next state. */
export function formAction<A extends Access, S extends Schema, R, State>(
  spec: ActionSpec<A, S, R, State> & FormFailed<State>,
): (previous: State, form: FormData) => Promise<State> {
  return async (_previous, form) => {
    const failed = spec.failed ?? (formErrors as unknown as Failed<State, FormData>);
    return perform(spec, formFields(form), (errors) => failed(errors, form));
  };
}

type Args<S extends Schema> = S extends z.ZodType ? (z.input<S> extends unknown[] ? z.input<S> : never) : [];

/** An action a client component calls with arguments (validated as a tuple): the arguments → `done`'s answer. */
export function callAction<A extends Access, S extends Schema, R, Out = R>(
  spec: Omit<ActionSpec<A, S, R, Out>, "done"> & {
    done?: (result: R, input: Parsed<S>) => Out | Promise<Out>;
    failed?: Failed<Out, unknown[]>;
  },
): (...args: Args<S>) => Promise<Out> {
  return async (...args) => {
    const done = spec.done ?? ((result: R) => result as unknown as Out);
    const failed = spec.failed;
    return perform({ ...spec, done }, args, failed ? (errors) => failed(errors, args) : undefined);
  };
}

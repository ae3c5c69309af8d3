import { redirect } from "next/navigation";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import type { ActionState } from "@/lib/action-state";
import { AppError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { repeated } from "@/lib/schemas/form-fields";
import type { Actor } from "@/lib/server/permissions";

const session = vi.hoisted(() => ({ actor: null as Actor | null }));
const recorded = vi.hoisted(() => ({ refusals: [] as unknown[], audits: [] as unknown[] }));

vi.mock("@/lib/server/auth/current-actor", () => ({
  currentActor: vi.fn(async () => session.actor),
  clientIp: vi.fn(async () => "10.0.0.8"),
}));
vi.mock("@/lib/server/access-denied", () => ({
  recordRefusal: vi.fn(async (error: unknown) => void recorded.refusals.push(error)),
}));
vi.mock("@/lib/server/db", () => ({ db: () => ({}) }));
vi.mock("@/lib/server/audit", () => ({
  writeAudit: vi.fn(async (_client: unknown, entry: unknown) => void recorded.audits.push(entry)),
}));

const { callAction, formAction, formFields, succeeded } = await import("./server-action");
const { currentActor } = await import("@/lib/server/auth/current-actor");

const lead: Actor = { id: "u-1", email: "lead@example.test", name: "Lead", role: "security-lead" };
const manager: Actor = { id: "u-2", email: "manager@example.test", name: "Manager", role: "manager" };
const initial = { ok: false, message: null, errors: [] };

function form(fields: Record<string, string | string[]>): FormData {
  const data = new FormData();
  for (const [key, value] of Object.entries(fields)) for (const v of [value].flat()) data.append(key, v);
  return data;
}

beforeEach(() => {
  session.actor = lead;
  recorded.refusals.length = 0;
  recorded.audits.length = 0;
  vi.clearAllMocks();
});

const Proposal = z.object({
  bucket: z.string({ error: "bucket is required" }).min(1, "bucket is required"),
  reason: z
    .string({ error: "reason is required" })
    .min(10, { error: "reason must say why, in at least 10 characters" }),
});
const run = vi.fn(async ({ input }: { input: z.output<typeof Proposal> }) => ({ bucketName: input.bucket }));
const propose = formAction({
  permission: "waivers:propose",
  input: Proposal,
  run,
  done: (created) => succeeded(`Waiver proposed for ${created.bucketName}.`),
});

describe("formAction: who may call", () => {
  it("anonymous: the form says to sign in, the refusal is recorded with the permission, nothing runs", async () => {
    session.actor = null;
    expect(await propose(initial, form({ bucket: "b", reason: "long enough reason" }))).toEqual({
      ok: false,
      message: null,
      errors: ["Please sign in."],
    });
    expect(recorded.refusals[0]).toMatchObject({ code: "unauthenticated", details: { permission: "waivers:propose" } });
    expect(run).not.toHaveBeenCalled();
  });

  it("a role without the permission is refused by name, recorded, and nothing runs", async () => {
    session.actor = manager;
    expect((await propose(initial, form({ bucket: "b", reason: "long enough reason" }))).errors).toEqual([
      "Your role (Manager) may not do this (waivers:propose).",
    ]);
    expect(recorded.refusals[0]).toMatchObject({ code: "forbidden", details: { permission: "waivers:propose" } });
    expect(run).not.toHaveBeenCalled();
  });

  it('"public" reads no session unless the action audits (sign-in must work for nobody in particular)', async () => {
    session.actor = null;
    const open = formAction({ permission: "public", run: async ({ actor }) => actor, done: () => succeeded("ok") });
    expect((await open(initial, form({}))).ok).toBe(true);
    expect(currentActor).not.toHaveBeenCalled();
  });

  it('"signed-in" admits any role', async () => {
    session.actor = manager;
    const own = formAction({ permission: "signed-in", run: async ({ actor }) => actor.role, done: succeeded });
    expect(await own(initial, form({}))).toEqual({ ok: true, message: "manager", errors: [] });
  });
});

describe("formAction: input", () => {
  it("reads the form's fields through the schema and runs with them, as the actor, with the client address", async () => {
    const seen = vi.fn(async (context: unknown) => context);
    await formAction({ permission: "waivers:propose", input: Proposal, run: seen, done: () => succeeded("ok") })(
      initial,
      form({ bucket: "ledger", reason: "scratch data only", ignored: "x" }),
    );
    expect(seen).toHaveBeenCalledWith({
      actor: lead,
      ip: "10.0.0.8",
      input: { bucket: "ledger", reason: "scratch data only" },
    });
  });

  it("an invalid form answers every issue's message, each on its own; nothing runs", async () => {
    expect(await propose(initial, form({ reason: "short" }))).toEqual({
      ok: false,
      message: null,
      errors: ["bucket is required", "reason must say why, in at least 10 characters"],
    });
    expect(run).not.toHaveBeenCalled();
  });

  it("a repeated field is an array; a field sent once is its value", () => {
    expect(formFields(form({ role: ["admin", "auditor"], userId: "u" }))).toEqual({
      role: ["admin", "auditor"],
      userId: "u",
    });
    const roles = z.object({ role: repeated(z.string()) });
    expect(roles.parse(formFields(form({})))).toEqual({ role: [] });
    expect(roles.parse(formFields(form({ role: "admin" })))).toEqual({ role: ["admin"] });
  });
});

describe("formAction: errors, audit, redirects", () => {
  it("an AppError from the DAL becomes its message", async () => {
    run.mockRejectedValueOnce(new AppError("conflict", "control: ledger already has a proposed waiver."));
    expect((await propose(initial, form({ bucket: "ledger", reason: "long enough reason" }))).errors).toEqual([
      "control: ledger already has a proposed waiver.",
    ]);
  });

  it("an unexpected error: a generic message with the request id; the stack goes to the log only", async () => {
    const logged = vi.spyOn(logger, "error");
    run.mockRejectedValueOnce(new Error('relation "waiver" does not exist at /srv/app/node_modules/pg/lib/client.js'));
    const state = await propose(initial, form({ bucket: "ledger", reason: "long enough reason" }));
    expect(state.ok).toBe(false);
    expect(state.errors).toHaveLength(1);
    expect(state.errors[0]).toMatch(/^Something went wrong on our side.*\(request id [0-9a-f-]{36}\)$/);
    expect(state.errors[0]).not.toMatch(/relation|pg\/lib/);
    const requestId = /request id ([0-9a-f-]{36})/.exec(state.errors[0]!)![1];
    expect(logged).toHaveBeenCalledWith(
      expect.objectContaining({ err: expect.any(Error), requestId, where: "server action (waivers:propose)" }),
      "request failed",
    );
  });

  it("writes the declared audit record after the work, with the actor and address; null writes none", async () => {
    const order: string[] = [];
    const signOut = formAction({
      permission: "public",
      run: async () => void order.push("run"),
      audit: ({ actor }) => (order.push("audit"), actor ? { action: "auth.sign-out" } : null),
      done: () => succeeded("signed out"),
    });
    await signOut(initial, form({}));
    expect(order).toEqual(["run", "audit"]);
    expect(recorded.audits).toEqual([
      {
        action: "auth.sign-out",
        actor: { id: "u-1", email: "lead@example.test" },
        outcome: "success",
        ip: "10.0.0.8",
        detail: undefined,
      },
    ]);
    session.actor = null;
    await signOut(initial, form({}));
    expect(recorded.audits).toHaveLength(1);
  });

  it("a redirect from `done` is not a failure: it reaches Next", async () => {
    const go = formAction({
      permission: "public",
      run: async () => "/overview",
      done: (to): ActionState => redirect(to),
    });
    await expect(go(initial, form({}))).rejects.toMatchObject({ digest: expect.stringContaining("NEXT_REDIRECT") });
    expect(recorded.refusals).toEqual([]);
  });

  it("a state other than ActionState gets its own failure shape", async () => {
    const signIn = formAction({
      permission: "public",
      input: z.object({ email: z.email({ error: "Enter a valid e-mail address." }) }),
      run: async () => ({ ok: true }),
      done: (): { error: string | null; email: string } => ({ error: null, email: "" }),
      failed: (errors, raw) => ({ error: errors[0]!, email: String(raw.get("email")) }),
    });
    expect(await signIn({ error: null, email: "" }, form({ email: "nope" }))).toEqual({
      error: "Enter a valid e-mail address.",
      email: "nope",
    });
  });
});

describe("callAction", () => {
  const register = callAction({
    permission: "signed-in",
    input: z.tuple([z.object({ id: z.string() }, { error: "The passkey answer was not readable." }), z.string()]),
    run: async ({ input: [response, name] }) => `${response.id}:${name}`,
    done: (saved): { error: string | null; saved?: string } => ({ error: null, saved }),
    failed: (errors) => ({ error: errors[0]! }),
  });

  it("validates the arguments as a tuple and answers with `done`", async () => {
    expect(await register({ id: "cred-1" }, "laptop")).toEqual({ error: null, saved: "cred-1:laptop" });
    expect(await register(null as never, "laptop")).toEqual({ error: "The passkey answer was not readable." });
  });

  it("is refused like a form action", async () => {
    session.actor = null;
    expect(await register({ id: "cred-1" }, "laptop")).toEqual({ error: "Please sign in." });
  });

  it("without `failed`, the error goes on to Next's error page (logged first)", async () => {
    const logged = vi.spyOn(logger, "error");
    const boom = new Error("database unreachable");
    const dismiss = callAction({ permission: "signed-in", run: async () => Promise.reject(boom) });
    await expect(dismiss()).rejects.toBe(boom);
    expect(logged).toHaveBeenCalledWith(expect.objectContaining({ err: boom }), "request failed");
  });
});

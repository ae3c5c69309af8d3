import { beforeEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { AppError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import type { Actor } from "@/lib/server/permissions";

const session = vi.hoisted(() => ({ actor: null as Actor | null, ip: "10.0.0.7" as string | null }));
const recorded = vi.hoisted(() => ({ refusals: [] as unknown[], audits: [] as unknown[] }));

vi.mock("@/lib/server/auth/current-actor", () => ({
  currentActor: vi.fn(async () => session.actor),
  clientIp: vi.fn(async () => session.ip),
}));
vi.mock("@/lib/server/access-denied", () => ({
  recordRefusal: vi.fn(async (error: unknown) => void recorded.refusals.push(error)),
}));
vi.mock("@/lib/server/db", () => ({ db: () => ({}) }));
vi.mock("@/lib/server/audit", () => ({
  writeAudit: vi.fn(async (_client: unknown, entry: unknown) => void recorded.audits.push(entry)),
}));

const { route } = await import("./route");
const { clientIp, currentActor } = await import("@/lib/server/auth/current-actor");

const auditor: Actor = { id: "u-1", email: "auditor@example.test", name: "Auditor", role: "auditor" };
const manager: Actor = { id: "u-2", email: "manager@example.test", name: "Manager", role: "manager" };

const get = (path: string) => new Request(`http://custody.test${path}`);
const post = (path: string, body: string) =>
  new Request(`http://custody.test${path}`, { method: "POST", body, headers: { "content-type": "application/json" } });

beforeEach(() => {
  session.actor = auditor;
  recorded.refusals.length = 0;
  recorded.audits.length = 0;
  vi.clearAllMocks();
});

describe("route: who may call", () => {
  const handle = vi.fn(async () => ({ ok: true }));
  const readAudit = route({ permission: "audit:read", handle });

  it("anonymous → 401 JSON, the refusal recorded with the permission, the handler never runs", async () => {
    session.actor = null;
    const res = await readAudit(get("/api/x"));
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: "unauthenticated", message: "Please sign in." });
    expect(recorded.refusals).toHaveLength(1);
    expect(recorded.refusals[0]).toMatchObject({ code: "unauthenticated", details: { permission: "audit:read" } });
    expect(handle).not.toHaveBeenCalled();
  });

  it("a role without the permission → 403 JSON naming the role and permission, recorded", async () => {
    session.actor = manager;
    const res = await readAudit(get("/api/x"));
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({
      error: "forbidden",
      message: "Your role (Manager) may not do this (audit:read).",
    });
    expect(recorded.refusals[0]).toMatchObject({ code: "forbidden", details: { permission: "audit:read" } });
    expect(handle).not.toHaveBeenCalled();
  });

  it("a role with the permission reaches the handler as the actor", async () => {
    const seen = vi.fn(async ({ actor }: { actor: Actor }) => actor.email);
    const res = await route({ permission: "audit:read", handle: seen })(get("/api/x"));
    expect(res.status).toBe(200);
    expect(await res.json()).toBe("auditor@example.test");
  });

  it('"signed-in" admits any role and refuses anonymous with 401', async () => {
    const own = route({ permission: "signed-in", handle: async ({ actor }) => actor.role });
    session.actor = manager;
    expect(await (await own(get("/api/x"))).json()).toBe("manager");
    session.actor = null;
    expect((await own(get("/api/x"))).status).toBe(401);
  });

  it('"public" reads no session at all (the health check answers while the database is down)', async () => {
    session.actor = null;
    const res = await route({ permission: "public", handle: async ({ actor }) => ({ actor }) })(get("/api/health"));
    expect(await res.json()).toEqual({ actor: null });
    expect(currentActor).not.toHaveBeenCalled();
    expect(clientIp).not.toHaveBeenCalled();
  });

  it("a refusal comes before validation: a forbidden caller learns nothing about the input", async () => {
    session.actor = manager;
    const res = await route({ permission: "audit:read", query: z.object({ n: z.coerce.number() }), handle })(
      get("/api/x?n=abc"),
    );
    expect(res.status).toBe(403);
  });
});

describe("route: input", () => {
  const echo = route({
    permission: "accounts:read",
    params: z.object({ id: z.string().regex(/^\d{12}$/, "An AWS account id has 12 digits.") }),
    query: z.object({ format: z.enum(["csv", "json"], { error: "format must be csv or json" }).default("csv") }),
    handle: async ({ params, query }) => ({ params, query }),
  });
  const params = (id: string) => ({ params: Promise.resolve({ id }) });

  it("valid params and query reach the handler parsed (defaults applied)", async () => {
    const res = await echo(get("/api/accounts/123456789012"), params("123456789012"));
    expect(await res.json()).toEqual({ params: { id: "123456789012" }, query: { format: "csv" } });
  });

  it("invalid params or query → 400 with the schema's messages, no stack", async () => {
    const bad = await echo(get("/api/accounts/x?format=xml"), params("x"));
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: "invalid_input", message: "An AWS account id has 12 digits." });
    const badQuery = await echo(get("/api/accounts/123456789012?format=xml"), params("123456789012"));
    expect(await badQuery.json()).toEqual({ error: "invalid_input", message: "format must be csv or json" });
  });

  it("every issue is in the message", async () => {
    const both = route({
      permission: "accounts:read",
      query: z.object({ a: z.string({ error: "a is required" }), b: z.string({ error: "b is required" }) }),
      handle: async () => null,
    });
    expect((await (await both(get("/api/x"))).json()).message).toBe("a is required; b is required");
  });

  const body = route({
    permission: "accounts:manage",
    body: z.object({ roleArn: z.string({ error: "Enter the role ARN." }).min(1, "Enter the role ARN.") }),
    status: 201,
    handle: async ({ body }) => ({ linked: body.roleArn }),
  });

  it("a JSON body is parsed and validated; `status` sets the success status", async () => {
    session.actor = { ...auditor, role: "admin" };
    const res = await body(post("/api/accounts", JSON.stringify({ roleArn: "arn:x" })));
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ linked: "arn:x" });
  });

  it("a body that is not JSON, or fails the schema → 400 with a clear message", async () => {
    session.actor = { ...auditor, role: "admin" };
    const notJson = await body(post("/api/accounts", "roleArn=x"));
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toEqual({ error: "invalid_input", message: "The request body must be JSON." });
    const empty = await body(post("/api/accounts", ""));
    expect(await empty.json()).toEqual({ error: "invalid_input", message: "Enter the role ARN." });
  });
});

describe("route: errors", () => {
  it("an AppError keeps its status and message", async () => {
    const res = await route({
      permission: "audit:read",
      handle: async () => {
        throw new AppError("not_found", "There is no scheme version 9.");
      },
    })(get("/api/x"));
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: "not_found", message: "There is no scheme version 9." });
    expect(recorded.refusals).toHaveLength(1); // offered to recordRefusal, which keeps only 401/403
  });

  it("an unexpected error → 500 with a generic message and a request id; the stack goes to the log only", async () => {
    const logged = vi.spyOn(logger, "error");
    const res = await route({
      permission: "audit:read",
      handle: async () => {
        throw new Error("connect ECONNREFUSED 10.1.2.3:5432 at Pool.query (/srv/node_modules/pg/lib/pool.js:45)");
      },
    })(get("/api/audit/export?x=1"));
    expect(res.status).toBe(500);
    const json = await res.json();
    expect(json).toEqual({
      error: "internal",
      message: expect.stringContaining("request id"),
      requestId: expect.any(String),
    });
    expect(JSON.stringify(json)).not.toMatch(/ECONNREFUSED|pool\.js|10\.1\.2\.3/);
    expect(logged).toHaveBeenCalledWith(
      expect.objectContaining({ err: expect.any(Error), requestId: json.requestId, where: "GET /api/audit/export" }),
      "request failed",
    );
  });

  it("a zod error thrown below the route is still the caller's input: 400", async () => {
    const res = await route({
      permission: "audit:read",
      handle: async () => z.object({ n: z.number({ error: "n must be a number" }) }).parse({}),
    })(get("/api/x"));
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: "invalid_input", message: "n must be a number" });
  });
});

describe("route: audit and responses", () => {
  it("writes the declared audit record with the actor, the client address and success, after the handler", async () => {
    const order: string[] = [];
    const res = await route({
      permission: "audit:read",
      query: z.object({ action: z.string().optional() }),
      handle: async () => {
        order.push("handle");
        return "body";
      },
      audit: ({ query, result }) => {
        order.push("audit");
        return { action: "audit.export", targetType: "audit", detail: { filter: query, result } };
      },
    })(get("/api/audit/export?action=waiver."));
    expect(res.status).toBe(200);
    expect(order).toEqual(["handle", "audit"]);
    expect(recorded.audits).toEqual([
      {
        action: "audit.export",
        targetType: "audit",
        detail: { filter: { action: "waiver." }, result: "body" },
        actor: { id: "u-1", email: "auditor@example.test" },
        outcome: "success",
        ip: "10.0.0.7",
      },
    ]);
  });

  it("writes no audit record when the handler fails or the caller is refused", async () => {
    const audit = () => ({ action: "audit.export" });
    await route({
      permission: "audit:read",
      handle: async () => {
        throw new AppError("conflict", "no");
      },
      audit,
    })(get("/api/x"));
    session.actor = manager;
    await route({ permission: "audit:read", handle: async () => "x", audit })(get("/api/x"));
    expect(recorded.audits).toEqual([]);
  });

  it("answers a Response from the handler as it is (streams, other statuses), and `respond` shapes a result", async () => {
    const stream = new ReadableStream({
      start(c) {
        c.enqueue(new TextEncoder().encode("id\n1\n"));
        c.close();
      },
    });
    const streamed = await route({
      permission: "audit:read",
      handle: async () => new Response(stream, { status: 203, headers: { "content-type": "text/csv" } }),
    })(get("/api/x"));
    expect(streamed.status).toBe(203);
    expect(await streamed.text()).toBe("id\n1\n");

    const shaped = await route({
      permission: "audit:read",
      handle: async () => ({ version: 3, json: "{}" }),
      respond: (r) => new Response(r.json, { headers: { "x-version": String(r.version) } }),
    })(get("/api/x"));
    expect(shaped.headers.get("x-version")).toBe("3");
  });
});

/**
 * The audit-log and waiver CSV exports through their route handlers (lib/server/http/route.ts) against real Postgres:
 * every row once, in order, across keyset pages (lib/export/keyset-pages.ts) — also when the sort key ties — and the
 * export audited by the route, with the client address, once it has started. The session is the only part faked:
 * outside a request there are no cookies.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Actor } from "@/lib/server/permissions";
import { parseCsv } from "../support/parse-csv";
import { scratchDb } from "../support/scratch-db";

const session = vi.hoisted(() => ({ actor: null as Actor | null }));
vi.mock("@/lib/server/auth/current-actor", () => ({
  currentActor: async () => session.actor,
  clientIp: async () => "10.9.8.7",
}));

let db: Awaited<ReturnType<typeof scratchDb>>;
const actors = {} as Record<"admin" | "auditor" | "manager", Actor>;

beforeAll(async () => {
  db = await scratchDb("csv_exports");
  vi.stubEnv("DATABASE_URL", db.url);
  for (const role of ["admin", "auditor", "manager"] as const) {
    const u = await db.prisma.user.create({
      data: { email: `${role}@example.com`, name: role, role, passwordHash: "x" },
      select: { id: true, email: true, name: true },
    });
    actors[role] = { ...u, role };
  }
});
afterAll(async () => {
  await db.drop();
  vi.unstubAllEnvs();
});

const get = (path: string) => new Request(`http://custody.test${path}`);
const exportAudits = () =>
  db.prisma.auditEvent.findMany({
    where: { action: { in: ["audit.export", "waiver.export"] } },
    orderBy: { id: "asc" },
    select: { action: true, actorEmail: true, ip: true, outcome: true, detail: true },
  });

describe("audit-log export", () => {
  it("has every matching event once, newest first, across pages of 1,000, and the route audits it", async () => {
    await db.prisma.auditEvent.createMany({
      data: Array.from({ length: 2345 }, (_, i) => ({
        action: "test.page",
        actorEmail: i === 7 ? "=cmd|' /C calc'!A0" : `user${i}@example.com`,
        outcome: "success",
      })),
    });
    session.actor = actors.auditor;
    const { GET } = await import("@/app/api/audit/export/route");
    const res = await GET(get("/api/audit/export?action=test."));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="audit-log-\d{4}-\d{2}-\d{2}\.csv"$/);
    const records = parseCsv(await res.text());
    expect(records).toHaveLength(2345);
    const ids = records.map((r) => BigInt(r.id!));
    expect(new Set(ids).size).toBe(2345);
    expect(ids.every((id, i) => i === 0 || id < ids[i - 1]!)).toBe(true);
    expect(records.find((r) => r.actor!.includes("cmd"))!.actor).toBe("'=cmd|' /C calc'!A0");

    expect(await exportAudits()).toEqual([
      {
        action: "audit.export",
        actorEmail: "auditor@example.com",
        ip: "10.9.8.7",
        outcome: "success",
        detail: { filter: { action: "test." } },
      },
    ]);
  });

  it("refuses a manager with 403 JSON: nothing exported, no export audited", async () => {
    session.actor = actors.manager;
    const { GET } = await import("@/app/api/audit/export/route");
    const before = (await exportAudits()).length;
    const res = await GET(get("/api/audit/export"));
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({
      error: "forbidden",
      message: "Your role (Manager) may not do this (audit:read).",
    });
    expect(await exportAudits()).toHaveLength(before);
  });

  it("answers a bad filter with 400 JSON naming it, before any CSV", async () => {
    session.actor = actors.auditor;
    const { GET } = await import("@/app/api/audit/export/route");
    const res = await GET(get("/api/audit/export?from=2026-13-45&outcome=maybe"));
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toContain("application/json");
    const { error, message } = await res.json();
    expect(error).toBe("invalid_input");
    expect(message).toContain("from must be a real date");
    expect(message).toContain("outcome must be success, failure or denied");
  });
});

describe("waiver export", () => {
  it("pages through waivers proposed at the same instant by id: every waiver once, proposers named", async () => {
    await db.prisma.account.create({
      data: { id: "111122223333", name: "payments", roleArn: "arn:aws:iam::111122223333:role/r", externalId: "e" },
    });
    const bucket = await db.prisma.bucket.create({
      data: {
        arn: "arn:aws:s3:::ledger",
        name: "ledger",
        accountId: "111122223333",
        region: "eu-west-1",
        firstSeenSyncId: "00000000-0000-4000-8000-000000000001",
        lastSeenSyncId: "00000000-0000-4000-8000-000000000001",
      },
    });
    const proposedAt = new Date("2026-01-05T10:00:00.000Z");
    await db.prisma.waiver.createMany({
      data: Array.from({ length: 1234 }, (_, i) => ({
        bucketId: bucket.id,
        controlId: "https-only",
        reason: i === 3 ? "@SUM(1+1) looks like a formula" : `reason ${i}`,
        owner: "data-platform",
        expiresAt: new Date("2026-06-30T23:59:59.999Z"),
        proposedById: actors.admin.id,
        proposedAt,
      })),
    });
    session.actor = actors.manager; // waivers:read is every role's
    const { GET } = await import("@/app/api/waivers/export/route");
    const res = await GET(get("/api/waivers/export?status=proposed"));
    expect(res.status).toBe(200);
    const records = parseCsv(await res.text());
    expect(records).toHaveLength(1234);
    const ids = records.map((r) => r.id!);
    expect(new Set(ids).size).toBe(1234);
    expect(ids).toEqual([...ids].sort());
    expect(new Set(records.map((r) => r.proposed_by))).toEqual(new Set(["admin@example.com"]));
    expect(records.some((r) => r.reason === "'@SUM(1+1) looks like a formula")).toBe(true);

    expect((await exportAudits()).at(-1)).toEqual({
      action: "waiver.export",
      actorEmail: "manager@example.com",
      ip: "10.9.8.7",
      outcome: "success",
      detail: { filter: { status: "proposed" } },
    });
  });
});

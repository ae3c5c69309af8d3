/** Pure parts around account linking and sync jobs: role ARNs, ExternalIds, schedules, webhook URLs, notification diffs. */
import { afterEach, describe, expect, it, vi } from "vitest";
import { AddAccountSchema, accountIdOfRoleArn, DiscoverSchema, RoleArnSchema } from "@/lib/schemas/accounts";
import { WebhookFormSchema, WebhookUrlSchema } from "@/lib/schemas/webhooks";
import { generateExternalId } from "@/lib/sync/accounts/external-id";
import {
  diffPosture,
  emptySnapshot,
  MAX_LISTED_EVENTS,
  webhookPayload,
  type PostureSnapshot,
} from "@/lib/sync/notifications/notification-diff";
import { parseSchedule } from "@/lib/sync/sync-schedule";
import { connectorModeFrom } from "@/lib/sources/connector-factory";
import { demoFixtureWorld, demoUnlinkedAccounts } from "@/lib/sources/fixture/demo-organisation";

describe("role ARN validation", () => {
  it.each([
    ["arn:aws:iam::123456789012:role/CustodyReadOnly", "123456789012"],
    ["arn:aws:iam::123456789012:role/security/audit/Custody-RO", "123456789012"],
    ["arn:aws-us-gov:iam::000011112222:role/x", "000011112222"],
  ])("accepts %s (account %s)", (arn, account) => {
    expect(RoleArnSchema.parse(`  ${arn} `)).toBe(arn);
    expect(accountIdOfRoleArn(arn)).toBe(account);
  });

  it.each([
    "arn:aws:iam::12345678901:role/short-account",
    "arn:aws:iam::123456789012:user/alice",
    "arn:aws:sts::123456789012:assumed-role/Custody/session",
    "arn:aws:iam::123456789012:role/",
    "arn:aws:iam::123456789012:role/has space",
    "CustodyReadOnly",
  ])("rejects %s with a clear message", (arn) => {
    const r = RoleArnSchema.safeParse(arn);
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toMatch(/arn:aws:iam::123456789012:role\/CustodyReadOnly/);
  });

  it("treats empty optional fields as absent and validates ExternalIds", () => {
    expect(AddAccountSchema.parse({ roleArn: "arn:aws:iam::123456789012:role/R", name: " ", externalId: "" })).toEqual({
      roleArn: "arn:aws:iam::123456789012:role/R",
    });
    expect(
      AddAccountSchema.safeParse({ roleArn: "arn:aws:iam::123456789012:role/R", externalId: "has space" }).error
        ?.issues[0]?.message,
    ).toMatch(/no spaces/);
    expect(AddAccountSchema.safeParse({ roleArn: "arn:aws:iam::123456789012:role/R", externalId: "x" }).success).toBe(
      false,
    );
    expect(DiscoverSchema.safeParse({ roleName: "arn:aws:iam::1:role/x" }).success).toBe(false);
    expect(DiscoverSchema.parse({ roleName: "CustodyReadOnly", fromAccountId: "" })).toEqual({
      roleName: "CustodyReadOnly",
    });
  });
});

describe("ExternalId generation", () => {
  it("is custody- plus 32 hex characters of randomness, valid for AWS", () => {
    const ids = new Set(Array.from({ length: 50 }, () => generateExternalId()));
    expect(ids.size).toBe(50);
    for (const id of ids) {
      expect(id).toMatch(/^custody-[0-9a-f]{32}$/);
      expect(AddAccountSchema.shape.externalId.safeParse(id).success).toBe(true);
    }
    expect(generateExternalId(() => Buffer.alloc(16, 0xab))).toBe(`custody-${"ab".repeat(16)}`);
  });
});

describe("schedule parsing", () => {
  it.each([
    ["daily", "0 3 * * *"],
    ["Daily at 02:30", "30 2 * * *"],
    ["hourly", "0 * * * *"],
    ["every 6 hours", "0 */6 * * *"],
    ["every 24 hours", "0 0 * * *"],
    ["off", null],
    ["15 4 * * 1-5", "15 4 * * 1-5"],
  ])("%s → %s", (text, cron) => {
    const r = parseSchedule(text);
    expect(r.ok && r.cron).toBe(cron);
  });

  it.each([
    ["daily at 25:00", /between 00:00 and 23:59/],
    ["every 5 hours", /divide 24/],
    ["* * * * *", /fix the minute/],
    ["whenever", /not a schedule/],
    ["0 3 * *", /not a schedule/],
  ])("rejects %s", (text, message) => {
    const r = parseSchedule(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(message);
  });
});

describe("webhook URLs", () => {
  afterEach(() => vi.unstubAllEnvs());

  it("accepts https and, with internal targets allowed (test receivers), http://localhost only", () => {
    vi.stubEnv("CUSTODY_WEBHOOK_ALLOW_PRIVATE", "true");
    expect(WebhookUrlSchema.safeParse("https://hooks.slack.com/services/T/B/x").success).toBe(true);
    expect(WebhookUrlSchema.safeParse("http://localhost:9000/hook").success).toBe(true);
    expect(WebhookUrlSchema.safeParse("http://127.0.0.1:9000/hook").success).toBe(true);
    expect(WebhookUrlSchema.safeParse("http://hooks.example.com/x").error?.issues[0]?.message).toMatch(/https/);
    expect(WebhookUrlSchema.safeParse("ftp://x").success).toBe(false);
    expect(WebhookUrlSchema.safeParse("not a url").error?.issues[0]?.message).toMatch(/not a URL/);
  });

  it("reads one URL per line from the form", () => {
    expect(WebhookFormSchema.parse({ urls: " https://a.example/x \n\n https://b.example/y\r\n" })).toEqual({
      urls: ["https://a.example/x", "https://b.example/y"],
    });
    expect(WebhookFormSchema.safeParse({ urls: "https://a.example\nhttp://evil.example" }).success).toBe(false);
  });
});

describe("notification diff", () => {
  const snap = (failing: Record<number, string[]>, pub: number[]): PostureSnapshot => ({
    failing: new Map(Object.entries(failing).map(([k, v]) => [Number(k), new Set(v)])),
    publicBuckets: new Set(pub),
  });
  const ref = (id: number) => ({ id, name: `b${id}`, accountId: "111122223333" });

  it("reports only what got worse: new failing controls and newly public buckets", () => {
    const before = snap({ 1: ["versioning"], 2: ["https-only"] }, [5]);
    const after = snap({ 1: ["versioning", "access-logging"], 2: [], 3: ["encryption-at-rest"] }, [5, 6]);
    expect(diffPosture(before, after, ref)).toEqual([
      { kind: "newly-public", bucket: ref(6) },
      { kind: "newly-failing", bucket: ref(1), controls: ["access-logging"] },
      { kind: "newly-failing", bucket: ref(3), controls: ["encryption-at-rest"] },
    ]);
    expect(diffPosture(after, after, ref)).toEqual([]);
    expect(diffPosture(emptySnapshot(), snap({}, []), ref)).toEqual([]);
  });

  it("posts a Slack-compatible text, capped, with the structured events", () => {
    const events = Array.from({ length: MAX_LISTED_EVENTS + 3 }, (_, i) => ({
      kind: "newly-public" as const,
      bucket: ref(i),
    }));
    const body = webhookPayload({
      syncRunId: "r1",
      finishedAt: new Date("2026-01-01T00:00:00Z"),
      events,
      appUrl: "https://custody.example/",
    });
    expect(body.text.split("\n")[0]).toBe(
      `Custody sync finished: 0 bucket(s) newly fail a required control, ${MAX_LISTED_EVENTS + 3} newly public.`,
    );
    expect(body.text).toContain("https://custody.example/buckets/0");
    expect(body.text.trim().endsWith("… and 3 more")).toBe(true);
    expect(body.events).toHaveLength(MAX_LISTED_EVENTS + 3);
  });
});

describe("fixture connector mode", () => {
  it("is chosen by CUSTODY_FIXTURE_AWS=demo only", () => {
    expect(connectorModeFrom({ CUSTODY_FIXTURE_AWS: "demo" })).toBe("fixture-demo");
    expect(connectorModeFrom({})).toBe("aws");
    expect(connectorModeFrom({ CUSTODY_FIXTURE_AWS: "no" })).toBe("aws");
  });

  it("offers unlinked accounts that do not collide with the demo's", () => {
    const linked = new Set(demoFixtureWorld().linked.accounts.map((a) => a.accountId));
    const unlinked = demoUnlinkedAccounts();
    expect(unlinked.length).toBeGreaterThan(0);
    for (const a of unlinked) {
      expect(linked.has(a.accountId)).toBe(false);
      expect(a.roleArn).toBe(`arn:aws:iam::${a.accountId}:role/CustodyReadOnly`);
    }
  });
});

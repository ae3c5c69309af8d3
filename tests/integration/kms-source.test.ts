/**
 * The KMS source through the real sync against the fixture AWS (the demo organisation): it runs after the bucket
 * inventory and reads the keys the account's SSE-KMS buckets name — the partner-exchange bucket's key lets the
 * partner outside the organisation decrypt — and the management account reads the organisation trail's key.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureDefaultScheme } from "@/lib/evaluation/scheme-store";
import { organizationTrail } from "@/lib/sources/cloudtrail/fixture";
import { DEMO_FIXTURE_OPTIONS, DEMO_SPECIAL_BUCKETS, generateFixtureEstate } from "@/lib/sources/fixture/estate";
import { EXTERNAL_PARTNER_ACCOUNT_ID } from "@/lib/sources/fixture/bucket-traits";
import { scratchDb } from "../support/scratch-db";
import { syncFixtureAccount } from "../support/sync-fixture-account";

const estate = generateFixtureEstate(DEMO_FIXTURE_OPTIONS);
const partnerBucket = estate.allBuckets().find((b) => b.name === DEMO_SPECIAL_BUCKETS.crossAccountRead)!;
const payments = estate.accounts.find((a) => a.accountId === partnerBucket.accountId)!;
const management = estate.accounts.find((a) => a.accountId === estate.managementAccountId)!;

describe("the KMS source", () => {
  let db: Awaited<ReturnType<typeof scratchDb>>;
  let syncRunId: string;

  const sync = (account: (typeof estate.accounts)[number]) => syncFixtureAccount(db.prisma, estate, account, syncRunId);

  beforeAll(async () => {
    db = await scratchDb("kms_source");
    await ensureDefaultScheme(db.prisma);
    syncRunId = (await db.prisma.syncRun.create({ data: { trigger: "cli", status: "running" } })).id;
    await sync(payments);
    await sync(management);
  });
  afterAll(async () => db.drop());

  it("reads every customer managed key the account's buckets name, once each", async () => {
    const named = new Set(
      estate
        .bucketsOf(payments.accountId)
        .flatMap((b) =>
          b.encryption && "kmsKeyId" in b.encryption && b.encryption.kmsKeyId ? [b.encryption.kmsKeyId] : [],
        ),
    );
    const keys = await db.prisma.kmsKey.findMany({ where: { readByAccountId: payments.accountId } });
    expect(new Set(keys.map((k) => k.keyRef))).toEqual(named);
    expect(keys.every((k) => k.ownerAccountId === payments.accountId)).toBe(true);
    expect(keys.every((k) => (k.metadata as { ok: boolean }).ok && (k.policy as { ok: boolean }).ok)).toBe(true);
    const task = await db.prisma.syncTask.findFirstOrThrow({
      where: { syncRunId, accountId: payments.accountId, collector: "kms" },
    });
    expect(task).toMatchObject({ region: "global", status: "succeeded", itemsRead: named.size });
  });

  it("stores the partner-exchange key's policy, which lets the partner outside the organisation decrypt", async () => {
    const encryption = partnerBucket.encryption as { kmsKeyId: string };
    const key = await db.prisma.kmsKey.findFirstOrThrow({ where: { arn: encryption.kmsKeyId } });
    const policy = JSON.parse((key.policy as { ok: true; value: string }).value) as {
      Statement: { Principal: unknown }[];
    };
    expect(JSON.stringify(policy.Statement)).toContain(`arn:aws:iam::${EXTERNAL_PARTNER_ACCOUNT_ID}:root`);
    expect(key.aliases).toEqual([`alias/${DEMO_SPECIAL_BUCKETS.crossAccountRead}`]);
  });

  it("reads the organisation trail's key in the management account", async () => {
    const trailKey = organizationTrail(estate).trail.KmsKeyId!;
    const key = await db.prisma.kmsKey.findFirstOrThrow({
      where: { readByAccountId: management.accountId, keyRef: trailKey },
    });
    expect(key.rotation).toMatchObject({ ok: true });
    expect(key.aliases).toEqual(["alias/organization-trail"]);
  });
});

/**
 * KMS keys in evaluation, through the real sync against the fixture AWS: each SSE-KMS bucket is evaluated with the
 * key its default encryption names — the key owner's own read preferred over another account's denied read, a third
 * party's key failing "owned inside the organisation", a key nobody read unknown with the reason.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { evaluateAccountBuckets } from "@/lib/evaluation/evaluate-buckets";
import { ensureDefaultScheme } from "@/lib/evaluation/scheme-store";
import { EXTERNAL_PARTNER_ACCOUNT_ID } from "@/lib/sources/fixture/bucket-traits";
import { DEMO_FIXTURE_OPTIONS, DEMO_SPECIAL_BUCKETS, generateFixtureEstate } from "@/lib/sources/fixture/estate";
import { scratchDb } from "../support/scratch-db";
import { syncFixtureAccount } from "../support/sync-fixture-account";

const estate = generateFixtureEstate(DEMO_FIXTURE_OPTIONS);
const partnerBucket = estate.allBuckets().find((b) => b.name === DEMO_SPECIAL_BUCKETS.crossAccountRead)!;
const payments = estate.accounts.find((a) => a.accountId === partnerBucket.accountId)!;
const other = estate.accounts.find((a) => a.accountId !== payments.accountId)!;
const partnerKey = (partnerBucket.encryption as { kmsKeyId: string }).kmsKeyId;
const VENDOR = "777766665555";
const vendorKey = `arn:aws:kms:eu-west-1:${VENDOR}:key/vendor-key`;
const denied = (action: string) => ({
  ok: false,
  reason: `AccessDeniedException: not authorized to perform ${action}`,
});

describe("KMS keys in evaluation", () => {
  let db: Awaited<ReturnType<typeof scratchDb>>;
  let syncRunId: string;

  const result = (bucketName: string, accountId: string, controlId: string) =>
    db.prisma.controlResult.findFirstOrThrow({ where: { controlId, bucket: { name: bucketName, accountId } } });

  /** Points a bucket's current settings at another key, as if it had been read so. */
  async function renameKey(accountId: string, bucketName: string, keyRef: string) {
    await db.prisma.$executeRawUnsafe(
      `UPDATE bucket_state s SET settings = jsonb_set(s.settings, '{encryption}',
         jsonb_build_object('status', 'present', 'value', jsonb_build_object('rules',
           jsonb_build_array(jsonb_build_object('algorithm', 'aws:kms', 'kmsKeyId', $3::text, 'bucketKeyEnabled', true)))))
         FROM bucket b WHERE b.current_state_id = s.id AND b.account_id = $1 AND b.name = $2`,
      accountId,
      bucketName,
      keyRef,
    );
  }

  async function deniedRead(readBy: string, keyRef: string, owner: string) {
    await db.prisma.kmsKey.create({
      data: {
        readByAccountId: readBy,
        region: "eu-west-1",
        keyRef,
        arn: keyRef,
        ownerAccountId: owner,
        metadata: denied("kms:DescribeKey"),
        policy: denied("kms:GetKeyPolicy"),
        rotation: denied("kms:GetKeyRotationStatus"),
        aliases: [],
        readAt: new Date(),
        syncRunId,
      },
    });
  }

  beforeAll(async () => {
    db = await scratchDb("kms_evaluation");
    await ensureDefaultScheme(db.prisma);
    syncRunId = (await db.prisma.syncRun.create({ data: { trigger: "cli", status: "running" } })).id;
    await syncFixtureAccount(db.prisma, estate, payments, syncRunId);
    await syncFixtureAccount(db.prisma, estate, other, syncRunId);
  }, 120_000);
  afterAll(async () => db.drop());

  it("evaluates each SSE-KMS bucket with its own key: owned inside, rotation as KMS said", async () => {
    const key = await db.prisma.kmsKey.findFirstOrThrow({
      where: { readByAccountId: payments.accountId, keyRef: partnerKey },
    });
    const rotates = (key.rotation as { ok: true; value: { enabled: boolean } }).value.enabled;
    const owned = await result(partnerBucket.name, payments.accountId, "kms-key-in-organization");
    expect(owned.observed).toBe("pass");
    expect(owned.evidence).toMatchObject({ key: { ownerAccountId: payments.accountId, ownerInOrganization: true } });
    expect((await result(partnerBucket.name, payments.accountId, "kms-key-rotation")).observed).toBe(
      rotates ? "pass" : "fail",
    );
  });

  it("stores the partner's effective read (bucket AND key grant it) and flags the bucket reachable from outside", async () => {
    const bucket = await db.prisma.bucket.findFirstOrThrow({
      where: { name: partnerBucket.name, accountId: payments.accountId },
      include: { externalAccess: true },
    });
    expect(bucket.outsideReach).toBe("reachable");
    expect(bucket.externalAccess).toEqual([
      expect.objectContaining({
        principal: EXTERNAL_PARTNER_ACCOUNT_ID,
        kind: "account",
        read: "effective",
        keyOnly: false,
      }),
    ]);
    const seen = await db.prisma.externalPrincipal.findUniqueOrThrow({
      where: { principal: EXTERNAL_PARTNER_ACCOUNT_ID },
    });
    const firstSeen = seen.firstSeenAt;
    // A later evaluation keeps when the outsider was first seen.
    await evaluateAccountBuckets(db.prisma, payments.accountId);
    expect(
      (await db.prisma.externalPrincipal.findUniqueOrThrow({ where: { principal: EXTERNAL_PARTNER_ACCOUNT_ID } }))
        .firstSeenAt,
    ).toEqual(firstSeen);
    // Buckets nobody outside reaches are flagged so; the rows and the flag agree.
    const reachable = await db.prisma.bucket.findMany({ where: { outsideReach: "reachable" }, select: { id: true } });
    const effective = await db.prisma.bucketExternalAccess.findMany({
      where: { OR: [{ read: "effective" }, { write: "effective" }] },
      select: { bucketId: true },
    });
    expect(new Set(reachable.map((b) => b.id))).toEqual(new Set(effective.map((e) => e.bucketId)));
  });

  it("prefers the owner's read of a key over another account's denied read", async () => {
    const bucket = estate.bucketsOf(other.accountId)[0]!;
    await renameKey(other.accountId, bucket.name, partnerKey);
    await deniedRead(other.accountId, partnerKey, payments.accountId);
    await evaluateAccountBuckets(db.prisma, other.accountId);
    const rotation = await result(bucket.name, other.accountId, "kms-key-rotation");
    expect(rotation.observed).not.toBe("unknown");
    expect(rotation.evidence).toMatchObject({ key: { readByAccountId: payments.accountId } });
  });

  it("fails a third party's key and keeps its unreadable rotation unknown with the reason", async () => {
    const bucket = estate.bucketsOf(other.accountId)[1]!;
    await renameKey(other.accountId, bucket.name, vendorKey);
    await deniedRead(other.accountId, vendorKey, VENDOR);
    await evaluateAccountBuckets(db.prisma, other.accountId);
    const owned = await result(bucket.name, other.accountId, "kms-key-in-organization");
    expect(owned.observed).toBe("fail");
    expect(owned.reason).toContain(`owned by account ${VENDOR}, outside the organisation`);
    const rotation = await result(bucket.name, other.accountId, "kms-key-rotation");
    expect(rotation.observed).toBe("unknown");
    expect(rotation.reason).toContain("kms:GetKeyRotationStatus");
  });

  it("says a key no sync has read is unknown, never a pass", async () => {
    const bucket = estate.bucketsOf(other.accountId)[2]!;
    const unread = `arn:aws:kms:eu-west-1:${payments.accountId}:key/never-read`;
    await renameKey(other.accountId, bucket.name, unread);
    await evaluateAccountBuckets(db.prisma, other.accountId);
    const rotation = await result(bucket.name, other.accountId, "kms-key-rotation");
    expect(rotation.observed).toBe("unknown");
    expect(rotation.reason).toContain("has not been read by any sync yet");
  });
});

import { describe, expect, it } from "vitest";
import { absent, present, unknown } from "../bucket-settings";
import { backupsKeptApart } from "./backups-kept-apart";
import { BACKUP_ACCOUNT, OWNER, goodInput, goodSettings } from "./control-input-fixture";
import type { ReplicaDestination } from "./control-input";

const COPY = "arn:aws:s3:::backup-bucket";

function withCopy(over: Partial<ReplicaDestination> | null, settings = goodSettings()) {
  const base = goodInput().replicaDestinations[COPY]!;
  return goodInput({
    settings,
    replicaDestinations: over === null ? {} : { [COPY]: { ...base, ...over } },
  });
}

describe("backups-kept-apart", () => {
  it("passes for a versioned, locked copy in another account of the organisation, naming its owner", () => {
    const v = backupsKeptApart.evaluate(goodInput());
    expect(v.status).toBe("pass");
    expect(v.reason).toContain(`acme-backup (${BACKUP_ACCOUNT})`);
    expect(v.evidence.destinations).toEqual([
      expect.objectContaining({ bucketArn: COPY, ownerAccountId: BACKUP_ACCOUNT, ownerLinked: true }),
    ]);
  });

  it("fails a copy in the same account: that is what the replication control accepts and this one does not", () => {
    const v = backupsKeptApart.evaluate(withCopy({ ownerAccountId: OWNER, ownerAccountName: "prod" }));
    expect(v).toMatchObject({ status: "fail" });
    expect(v.reason).toMatch(/same account/);
  });

  it("is unknown, not failed, for a copy in an account not linked to Custody (it may be in the organisation)", () => {
    const v = backupsKeptApart.evaluate(
      withCopy({
        ownerAccountId: "444455556666",
        ownerAccountName: null,
        ownerLinked: false,
        versioning: null,
        objectLock: null,
      }),
    );
    expect(v.status).toBe("unknown");
    expect(v.reason).toMatch(/not linked to Custody/);
  });

  it("fails without replication, or with only disabled rules", () => {
    expect(backupsKeptApart.evaluate(goodInput({ settings: { replication: absent() } })).status).toBe("fail");
    const disabled = goodSettings();
    if (disabled.replication.status !== "present") throw new Error("fixture");
    disabled.replication.value.rules[0]!.status = "Disabled";
    expect(backupsKeptApart.evaluate(goodInput({ settings: disabled })).reason).toMatch(/none is Enabled/);
  });

  it("is unknown, never a pass, when the replication configuration could not be read", () => {
    const v = backupsKeptApart.evaluate(goodInput({ settings: { replication: unknown("AccessDenied") } }));
    expect(v.status).toBe("unknown");
  });

  it("is unknown when the owner is unknown or the copy's account was never read", () => {
    expect(backupsKeptApart.evaluate(withCopy(null)).status).toBe("unknown");
    expect(backupsKeptApart.evaluate(withCopy({ ownerAccountId: null, ownerLinked: false })).status).toBe("unknown");
    const unread = backupsKeptApart.evaluate(withCopy({ versioning: null, objectLock: null }));
    expect(unread.status).toBe("unknown");
    expect(unread.reason).toMatch(/read no such bucket in account acme-backup/);
    expect(backupsKeptApart.evaluate(withCopy({ versioning: unknown("AccessDenied") })).status).toBe("unknown");
  });

  it("fails an unversioned copy", () => {
    const v = backupsKeptApart.evaluate(withCopy({ versioning: present({ status: "Suspended", mfaDelete: "Off" }) }));
    expect(v.status).toBe("fail");
    expect(v.reason).toMatch(/no versioning/);
  });

  it("asks for Object Lock on the copy only when the original has it or its level requires it", () => {
    const unlockedCopy = { objectLock: absent<never>() };
    expect(backupsKeptApart.evaluate(withCopy(unlockedCopy)).reason).toMatch(/no Object Lock/);
    const unlockedOriginal = goodSettings();
    unlockedOriginal.objectLock = present({ enabled: false, defaultRetention: null });
    expect(backupsKeptApart.evaluate(withCopy(unlockedCopy, unlockedOriginal)).status).toBe("pass");
    const required = withCopy(unlockedCopy, unlockedOriginal);
    required.classification = { ...required.classification, requiredControlIds: ["object-lock"] };
    expect(backupsKeptApart.evaluate(required).status).toBe("fail");
  });

  it("passes when any one enabled destination is kept apart", () => {
    const settings = goodSettings();
    if (settings.replication.status !== "present") throw new Error("fixture");
    settings.replication.value.rules.unshift({
      id: "local",
      status: "Enabled",
      destinationBucketArn: "arn:aws:s3:::local-copy",
      destinationAccount: null,
    });
    const input = goodInput({ settings });
    input.replicaDestinations["arn:aws:s3:::local-copy"] = {
      ...input.replicaDestinations[COPY]!,
      ownerAccountId: OWNER,
    };
    const v = backupsKeptApart.evaluate(input);
    expect(v.status).toBe("pass");
    expect((v.evidence.destinations as unknown[]).length).toBe(2);
  });
});

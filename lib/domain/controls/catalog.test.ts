import { describe, expect, it } from "vitest";
import { CONTROL_CATALOG } from "./catalog";
import { CONTROL_IDS } from "./control-ids";
import { goodInput } from "./control-input-fixture";

describe("CONTROL_CATALOG", () => {
  it("lists every control once, and the id list is the catalog's", () => {
    const ids = CONTROL_CATALOG.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...CONTROL_IDS]).toEqual(ids);
  });

  // DESIGN.md §5's controls come first, in its order; a control added later follows them and states its own
  // mapping in its own test.
  it("maps to the Config rules and Security Hub controls of DESIGN.md §5, in its order", () => {
    const design = [
      ["encryption-at-rest", "S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED", "S3.4"],
      ["kms-encryption", "S3_DEFAULT_ENCRYPTION_KMS", "S3.17"],
      ["https-only", "S3_BUCKET_SSL_REQUESTS_ONLY", "S3.5"],
      ["no-public-read", "S3_BUCKET_PUBLIC_READ_PROHIBITED", "S3.2"],
      ["no-public-write", "S3_BUCKET_PUBLIC_WRITE_PROHIBITED", "S3.3"],
      ["block-public-access", "S3_BUCKET_LEVEL_PUBLIC_ACCESS_PROHIBITED", "S3.8"],
      ["least-privilege-read", "S3_BUCKET_POLICY_GRANTEE_CHECK", "S3.6"],
      ["least-privilege-write", "S3_BUCKET_POLICY_NOT_MORE_PERMISSIVE", "S3.6"],
      ["acls-disabled", "S3_BUCKET_ACL_PROHIBITED", "S3.12"],
      ["access-logging", "S3_BUCKET_LOGGING_ENABLED", "S3.9"],
      ["versioning", "S3_BUCKET_VERSIONING_ENABLED", "S3.14"],
      ["mfa-delete", "S3_BUCKET_MFA_DELETE_ENABLED", "S3.20"],
      ["object-lock", "S3_BUCKET_DEFAULT_LOCK_ENABLED", "S3.15"],
      ["replication", "S3_BUCKET_REPLICATION_ENABLED", "S3.7"],
      ["lifecycle", "S3_LIFECYCLE_POLICY_CHECK", "S3.13"],
      ["macie-monitored", null, "Macie.1"],
      ["sensitive-data-matches-level", null, null],
    ];
    expect(
      CONTROL_CATALOG.slice(0, design.length).map((c) => [c.id, c.configRuleIdentifier, c.securityHubControlId]),
    ).toEqual(design);
  });

  it("keeps each DESIGN.md §5 control's weight in the risk score", () => {
    expect(Object.fromEntries(CONTROL_CATALOG.map((c) => [c.id, c.riskWeight]))).toMatchObject({
      "encryption-at-rest": 8,
      "kms-encryption": 4,
      "https-only": 6,
      "no-public-read": 5,
      "no-public-write": 5,
      "block-public-access": 6,
      "least-privilege-read": 12,
      "least-privilege-write": 12,
      "acls-disabled": 3,
      "access-logging": 5,
      versioning: 6,
      "mfa-delete": 3,
      "object-lock": 3,
      replication: 3,
      lifecycle: 2,
      "macie-monitored": 4,
      "sensitive-data-matches-level": 0,
    });
  });

  it("has people-readable metadata on every control", () => {
    for (const c of CONTROL_CATALOG) {
      expect(c.title.length, c.id).toBeGreaterThan(3);
      expect(c.checks.length, c.id).toBeGreaterThan(30);
      expect(c.why.length, c.id).toBeGreaterThan(30);
      expect(c.fix.length, c.id).toBeGreaterThan(30);
    }
  });

  it("passes every control on the well-configured fixture", () => {
    const input = goodInput();
    expect(Object.fromEntries(CONTROL_CATALOG.map((c) => [c.id, c.evaluate(input).status]))).toEqual(
      Object.fromEntries(CONTROL_IDS.map((id) => [id, "pass"])),
    );
  });

  it("never passes a control whose settings could not be read", async () => {
    const { allUnknown } = await import("../bucket-settings");
    const input = goodInput({
      settings: allUnknown("role could not be assumed", "AccessDenied"),
      account: { publicAccessBlock: { status: "unknown", reason: "role could not be assumed" } },
      macie: null,
    });
    for (const c of CONTROL_CATALOG) {
      const v = c.evaluate(input);
      expect(v.status, c.id).toBe("unknown");
      expect(v.reason.length, c.id).toBeGreaterThan(10);
    }
  });
});

import { describe, expect, it } from "vitest";
import { input, logBucket } from "./account-control-fixture";
import { trailBucketAccessLogging } from "./trail-bucket-access-logging";
import { trailBucketMfaDelete } from "./trail-bucket-mfa-delete";
import { trailBucketNotPublic } from "./trail-bucket-not-public";

const withBucket = (b: ReturnType<typeof logBucket>) => input({ trailBuckets: { "org-cloudtrail-logs": b } });

describe("trail bucket controls (CloudTrail.7, CloudTrail.6, MFA delete)", () => {
  it("pass for a log bucket in another account of the organisation (log-archive) with everything on", () => {
    expect(trailBucketAccessLogging.evaluate(input()).status).toBe("pass");
    expect(trailBucketNotPublic.evaluate(input()).status).toBe("pass");
    expect(trailBucketMfaDelete.evaluate(input()).status).toBe("pass");
  });

  it("are unknown, with the reason, for a bucket Custody has not read", () => {
    const missing = input({
      trailBuckets: { "org-cloudtrail-logs": { found: false, reason: "its account is not linked to Custody" } },
    });
    for (const c of [trailBucketAccessLogging, trailBucketNotPublic, trailBucketMfaDelete]) {
      expect(c.evaluate(missing)).toMatchObject({ status: "unknown", reason: expect.stringContaining("not linked") });
    }
  });

  it("access logging: absent fails, unreadable is unknown", () => {
    expect(trailBucketAccessLogging.evaluate(withBucket(logBucket({ logging: { status: "absent" } }))).status).toBe(
      "fail",
    );
    const unread = withBucket(logBucket({ logging: { status: "unknown", reason: "AccessDenied" } }));
    expect(trailBucketAccessLogging.evaluate(unread).status).toBe("unknown");
  });

  it("not public: a public read or write fails; an unknown exposure is unknown", () => {
    expect(trailBucketNotPublic.evaluate(withBucket(logBucket({ exposure: "public" }))).status).toBe("fail");
    expect(trailBucketNotPublic.evaluate(withBucket(logBucket({ publicWrite: "public" }))).reason).toContain("write");
    expect(trailBucketNotPublic.evaluate(withBucket(logBucket({ exposure: "unknown" }))).status).toBe("unknown");
  });

  it("MFA delete: disabled or never versioned fails", () => {
    const off = logBucket({ versioning: { status: "present", value: { status: "Enabled", mfaDelete: "Disabled" } } });
    expect(trailBucketMfaDelete.evaluate(withBucket(off)).status).toBe("fail");
    expect(trailBucketMfaDelete.evaluate(withBucket(logBucket({ versioning: { status: "absent" } }))).status).toBe(
      "fail",
    );
  });
});

import { describe, expect, it } from "vitest";
import { absent, present, unknown, type BucketSettings } from "../bucket-settings";
import { GOOD_KEY_ARN, OWNER, OWNER_CANONICAL, goodInput, goodKey } from "../controls/control-input-fixture";
import type { ControlInput } from "../controls/control-input";
import { bucketKmsKey, type OrganizationContext } from "../kms/bucket-key";
import { computeEffectiveAccess, type ExternalPrincipalAccess } from "./effective-access";

const VENDOR = "999988887777";
const OTHER_VENDOR = "555544443333";
const MEMBER = "222233334444";
const OUR_ORG = "o-ours12345";
const org: OrganizationContext = { accountIds: [MEMBER, OWNER].sort(), organizationId: OUR_ORG };

const bucketPolicy = (...statements: Record<string, unknown>[]) =>
  present({ json: JSON.stringify({ Version: "2012-10-17", Statement: statements }) });
const s3Grant = (principal: unknown, action: string | string[], extra: Record<string, unknown> = {}) => ({
  Effect: "Allow",
  Principal: principal,
  Action: action,
  Resource: ["arn:aws:s3:::data-bucket", "arn:aws:s3:::data-bucket/*"],
  ...extra,
});
const ROOT = { Effect: "Allow", Principal: { AWS: `arn:aws:iam::${OWNER}:root` }, Action: "kms:*", Resource: "*" };
const keyWith = (...statements: Record<string, unknown>[]) =>
  goodKey(
    { policy: { ok: true, value: JSON.stringify({ Version: "2012-10-17", Statement: [ROOT, ...statements] }) } },
    org,
  );
const decrypt = (principal: unknown, extra: Record<string, unknown> = {}) => ({
  Effect: "Allow",
  Principal: principal,
  Action: ["kms:Decrypt", "kms:DescribeKey"],
  Resource: "*",
  ...extra,
});
const bpaOff = { account: { publicAccessBlock: absent() } } as Partial<ControlInput>;
const sse = (algorithm: string, kmsKeyId: string | null = null) =>
  present({ rules: [{ algorithm, kmsKeyId, bucketKeyEnabled: false }] });

function access(settings: Partial<BucketSettings>, over: Partial<ControlInput> = {}) {
  return computeEffectiveAccess(goodInput({ settings, organization: org, kmsKey: keyWith(), ...over }));
}
const only = (r: { principals: ExternalPrincipalAccess[] }, principal: string) => {
  const p = r.principals.find((x) => x.principal === principal);
  if (!p) throw new Error(`${principal} not among ${r.principals.map((x) => x.principal).join(", ")}`);
  return p;
};
const vendorReads = { policy: bucketPolicy(s3Grant({ AWS: `arn:aws:iam::${VENDOR}:root` }, "s3:GetObject")) };

describe("computeEffectiveAccess", () => {
  it("finds nobody outside for a bucket only its owner and the organisation use", () => {
    const r = access({ policy: bucketPolicy(s3Grant({ AWS: MEMBER }, "s3:*")) });
    expect(r.principals).toEqual([]);
    expect(r.reachableFromOutside).toBe(false);
  });

  it("makes a bucket read effective only when the customer key lets the account decrypt", () => {
    const blocked = only(access(vendorReads), VENDOR);
    expect(blocked.read).toMatchObject({ reach: "blocked-by-key" });
    expect(blocked.read?.reason).toContain("granted by the bucket (bucket policy statement 0), blocked by the key");
    expect(blocked.read?.reason).toContain(`${GOOD_KEY_ARN} does not let ${VENDOR} decrypt`);
    expect(access(vendorReads).reachableFromOutside).toBe(false);

    const shared = access(vendorReads, { kmsKey: keyWith(decrypt({ AWS: `arn:aws:iam::${VENDOR}:role/reader` })) });
    expect(only(shared, VENDOR).read).toMatchObject({ reach: "effective" });
    expect(shared.reachableFromOutside).toBe(true);
  });

  it("needs no key grant under SSE-S3 or without default encryption", () => {
    expect(only(access({ ...vendorReads, encryption: sse("AES256") }, { kmsKey: null }), VENDOR).read?.reach).toBe(
      "effective",
    );
    expect(only(access({ ...vendorReads, encryption: absent() }, { kmsKey: null }), VENDOR).read?.reach).toBe(
      "effective",
    );
  });

  it("blocks outsiders' reads under the AWS managed key, which cannot be used across accounts", () => {
    for (const keyId of [null, "alias/aws/s3"]) {
      const r = access({ ...vendorReads, encryption: sse("aws:kms", keyId) }, { kmsKey: null });
      expect(only(r, VENDOR).read).toMatchObject({ reach: "blocked-by-key" });
    }
  });

  it("is unknown with the reason when the key policy could not be read, never effective or blocked", () => {
    const denied = bucketKmsKey(
      GOOD_KEY_ARN,
      OWNER,
      {
        readByAccountId: OWNER,
        region: "eu-west-1",
        keyRef: GOOD_KEY_ARN,
        arn: GOOD_KEY_ARN,
        ownerAccountId: OWNER,
        metadata: { ok: false, reason: "AccessDeniedException" },
        policy: { ok: false, reason: "AccessDeniedException: kms:GetKeyPolicy" },
        rotation: { ok: false, reason: "AccessDeniedException" },
        aliases: [],
        readAt: "2026-01-01T00:00:00.000Z",
      },
      org,
    );
    const r = access(vendorReads, { kmsKey: denied });
    expect(only(r, VENDOR).read?.reach).toBe("unknown");
    expect(only(r, VENDOR).read?.reason).toContain("kms:GetKeyPolicy");
    expect(r.reachableFromOutside).toBeNull();
    expect(only(access(vendorReads, { kmsKey: null }), VENDOR).read?.reach).toBe("unknown");
    expect(only(access({ ...vendorReads, encryption: unknown("AccessDenied") }), VENDOR).read?.reach).toBe("unknown");
  });

  it('counts a key open to "*" or {"AWS":"*"} as everyone, and NotPrincipal with Allow too', () => {
    for (const principal of ["*", { AWS: "*" }]) {
      expect(only(access(vendorReads, { kmsKey: keyWith(decrypt(principal)) }), VENDOR).read?.reach).toBe("effective");
    }
    const notPrincipal = keyWith({
      Effect: "Allow",
      NotPrincipal: { AWS: OTHER_VENDOR },
      Action: "kms:Decrypt",
      Resource: "*",
    });
    expect(only(access(vendorReads, { kmsKey: notPrincipal }), VENDOR).read?.reach).toBe("effective");
  });

  it("honours kms:CallerAccount: a pin to another account does not admit this one", () => {
    const pinned = (account: string) =>
      keyWith(decrypt({ AWS: "*" }, { Condition: { StringEquals: { "kms:CallerAccount": account } } }));
    expect(only(access(vendorReads, { kmsKey: pinned(VENDOR) }), VENDOR).read?.reach).toBe("effective");
    expect(only(access(vendorReads, { kmsKey: pinned(OTHER_VENDOR) }), VENDOR).read?.reach).toBe("blocked-by-key");
  });

  it("honours kms:ViaService: a grant usable only through another service does not decrypt for S3", () => {
    const via = (service: string) =>
      keyWith(decrypt({ AWS: VENDOR }, { Condition: { StringEquals: { "kms:ViaService": service } } }));
    expect(only(access(vendorReads, { kmsKey: via("s3.eu-west-1.amazonaws.com") }), VENDOR).read?.reach).toBe(
      "effective",
    );
    const rds = only(access(vendorReads, { kmsKey: via("rds.eu-west-1.amazonaws.com") }), VENDOR).read;
    expect(rds?.reach).toBe("blocked-by-key");
    expect(rds?.reason).toContain("only through rds.eu-west-1.amazonaws.com, not S3");
  });

  it("honours aws:PrincipalOrgID: our organisation's grant does not admit an outsider; another's is unknown", () => {
    const orgKey = (orgId: string) =>
      keyWith(decrypt({ AWS: "*" }, { Condition: { StringEquals: { "aws:PrincipalOrgID": orgId } } }));
    expect(only(access(vendorReads, { kmsKey: orgKey(OUR_ORG) }), VENDOR).read?.reach).toBe("blocked-by-key");
    expect(only(access(vendorReads, { kmsKey: orgKey("o-vendor999") }), VENDOR).read?.reach).toBe("unknown");

    // A bucket shared with an outside organisation, whose key is shared with that same organisation.
    const orgBucket = {
      policy: bucketPolicy(
        s3Grant("*", "s3:GetObject", { Condition: { StringEquals: { "aws:PrincipalOrgID": "o-vendor999" } } }),
      ),
    };
    const r = access(orgBucket, { kmsKey: orgKey("o-vendor999") });
    expect(only(r, "o-vendor999")).toMatchObject({ kind: "organization", read: { reach: "effective" } });
    // Shared inside our organisation only: nobody outside.
    const inside = {
      policy: bucketPolicy(
        s3Grant("*", "s3:GetObject", { Condition: { StringEquals: { "aws:PrincipalOrgID": OUR_ORG } } }),
      ),
    };
    expect(access(inside).principals).toEqual([]);
  });

  it("lets a Deny in the key policy take the outsider's Decrypt away", () => {
    const denied = keyWith(decrypt({ AWS: VENDOR }), {
      Effect: "Deny",
      Principal: { AWS: VENDOR },
      Action: "kms:Decrypt",
      Resource: "*",
    });
    expect(only(access(vendorReads, { kmsKey: denied }), VENDOR).read?.reach).toBe("blocked-by-key");
  });

  it("honours Deny and NotPrincipal in the bucket policy", () => {
    const denyVendor = {
      policy: bucketPolicy(s3Grant({ AWS: VENDOR }, "s3:GetObject"), {
        Effect: "Deny",
        Principal: { AWS: VENDOR },
        Action: "s3:*",
        Resource: ["arn:aws:s3:::data-bucket", "arn:aws:s3:::data-bucket/*"],
      }),
    };
    expect(access(denyVendor).principals).toEqual([]);
    const onlyOwner = {
      policy: bucketPolicy(s3Grant({ AWS: VENDOR }, "s3:GetObject"), {
        Effect: "Deny",
        NotPrincipal: { AWS: `arn:aws:iam::${OWNER}:root` },
        Action: "s3:*",
        Resource: ["arn:aws:s3:::data-bucket", "arn:aws:s3:::data-bucket/*"],
      }),
    };
    expect(access(onlyOwner).principals).toEqual([]);
  });

  it("judges writes by the bucket's grant alone: a writer names its own encryption", () => {
    const r = access({ policy: bucketPolicy(s3Grant({ AWS: VENDOR }, "s3:PutObject")) });
    expect(only(r, VENDOR)).toMatchObject({ read: null, write: { reach: "effective" } });
    expect(r.reachableFromOutside).toBe(true);
  });

  it("treats a key owned by the outsider itself as decryptable by it", () => {
    const vendorKeyArn = `arn:aws:kms:eu-west-1:${VENDOR}:key/v`;
    const key = bucketKmsKey(
      vendorKeyArn,
      OWNER,
      {
        readByAccountId: VENDOR,
        region: "eu-west-1",
        keyRef: vendorKeyArn,
        arn: vendorKeyArn,
        ownerAccountId: VENDOR,
        metadata: { ok: false, reason: "x" },
        policy: {
          ok: true,
          value: JSON.stringify({
            Statement: [
              { Effect: "Allow", Principal: { AWS: `arn:aws:iam::${VENDOR}:root` }, Action: "kms:*", Resource: "*" },
            ],
          }),
        },
        rotation: { ok: false, reason: "x" },
        aliases: [],
        readAt: "2026-01-01T00:00:00.000Z",
      },
      org,
    );
    const r = access({ ...vendorReads, encryption: sse("aws:kms", vendorKeyArn) }, { kmsKey: key });
    expect(only(r, VENDOR).read?.reach).toBe("effective");
  });

  it("includes everyone for a public bucket, blocked unless the key lets everyone decrypt", () => {
    const publicRead: Partial<BucketSettings> = {
      policy: bucketPolicy(s3Grant("*", "s3:GetObject")),
      publicAccessBlock: absent(),
    };
    const r = access(publicRead, bpaOff);
    expect(only(r, "everyone")).toMatchObject({ kind: "everyone", read: { reach: "blocked-by-key" } });
    expect(only(access(publicRead, { ...bpaOff, kmsKey: keyWith(decrypt("*")) }), "everyone").read?.reach).toBe(
      "effective",
    );
  });

  it("lists ACL grants to other canonical users, unknown under a key that shares outside", () => {
    const aclGrant = {
      ownershipControls: present({ objectOwnership: "ObjectWriter" as const }),
      acl: present({
        ownerId: OWNER_CANONICAL,
        ownerDisplayName: null,
        grants: [
          {
            granteeType: "CanonicalUser" as const,
            grantee: OWNER_CANONICAL,
            displayName: null,
            permission: "FULL_CONTROL" as const,
          },
          {
            granteeType: "CanonicalUser" as const,
            grantee: "vendor-canonical",
            displayName: null,
            permission: "READ" as const,
          },
        ],
      }),
    };
    expect(only(access(aclGrant), "vendor-canonical")).toMatchObject({
      kind: "canonical-user",
      read: { reach: "blocked-by-key" },
    });
    expect(only(access(aclGrant, { kmsKey: keyWith(decrypt({ AWS: VENDOR })) }), "vendor-canonical").read?.reach).toBe(
      "unknown",
    );
  });

  it("names outsiders the key lets decrypt though the bucket grants them nothing", () => {
    const r = access({}, { kmsKey: keyWith(decrypt({ AWS: VENDOR }), decrypt({ AWS: MEMBER })) });
    expect(r.principals).toEqual([]);
    expect(r.keyOnly).toEqual([
      expect.objectContaining({
        principal: VENDOR,
        kind: "account",
        reason: expect.stringContaining("the bucket grants it nothing"),
      }),
    ]);
    expect(r.reachableFromOutside).toBe(false);
    // Granted by the bucket too: a principal, not key-only.
    expect(access(vendorReads, { kmsKey: keyWith(decrypt({ AWS: VENDOR })) }).keyOnly).toEqual([]);
  });

  it("says what it could not read: an unreadable bucket policy makes reachability unknown", () => {
    const r = access({ policy: unknown("AccessDenied", "AccessDenied"), policyStatus: unknown("AccessDenied") });
    expect(r.unknowns.join(" ")).toContain("bucket policy grants unknown");
    expect(r.reachableFromOutside).toBeNull();
  });
});

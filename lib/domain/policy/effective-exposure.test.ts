import { describe, expect, it } from "vitest";
import { absent, present, unknown, type AclSettings, type PublicAccessBlock, type Setting } from "../bucket-settings";
import { ALL_USERS_URI } from "./analyze-acl";
import {
  computeEffectiveExposure,
  effectiveBlockPublicAccess,
  type EffectiveExposureInput,
} from "./effective-exposure";

const OWNER_ID = "owner-canonical";
const PUBLIC_READ_POLICY = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Sid: "Public", Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*" }],
});
const PRIVATE_ACL: AclSettings = {
  ownerId: OWNER_ID,
  ownerDisplayName: null,
  grants: [{ granteeType: "CanonicalUser", grantee: OWNER_ID, displayName: null, permission: "FULL_CONTROL" }],
};
const aclWith = (permission: "READ" | "WRITE"): AclSettings => ({
  ...PRIVATE_ACL,
  grants: [...PRIVATE_ACL.grants, { granteeType: "Group", grantee: ALL_USERS_URI, displayName: null, permission }],
});
const bpa = (on: Partial<PublicAccessBlock>): Setting<PublicAccessBlock> =>
  present({
    blockPublicAcls: false,
    ignorePublicAcls: false,
    blockPublicPolicy: false,
    restrictPublicBuckets: false,
    ...on,
  });
const ALL_ON = bpa({
  blockPublicAcls: true,
  ignorePublicAcls: true,
  blockPublicPolicy: true,
  restrictPublicBuckets: true,
});
const DENIED = unknown<never>("AccessDenied: not authorized", "AccessDenied");

const base: EffectiveExposureInput = {
  bucketName: "b",
  ownerAccountId: "111111111111",
  policy: absent("NoSuchBucketPolicy"),
  acl: present(PRIVATE_ACL),
  ownershipControls: absent("OwnershipControlsNotFoundError"),
  bucketPublicAccessBlock: absent("NoSuchPublicAccessBlockConfiguration"),
  accountPublicAccessBlock: absent("NoSuchPublicAccessBlockConfiguration"),
};

const cases: {
  name: string;
  over: Partial<EffectiveExposureInput>;
  read: string;
  write: string;
  readReason?: string;
  policyState?: string;
  rpb?: boolean;
  aclIgnored?: string | null;
}[] = [
  {
    name: "nothing public",
    over: {},
    read: "not-public",
    write: "not-public",
    readReason: "policy: no bucket policy | ACL: bucket ACL grants no public read",
  },
  {
    name: "public policy, BPA off",
    over: { policy: present({ json: PUBLIC_READ_POLICY }) },
    read: "public",
    write: "not-public",
    readReason: 'Statement 0 (Sid "Public")',
  },
  {
    name: "public policy, bucket RestrictPublicBuckets",
    over: {
      policy: present({ json: PUBLIC_READ_POLICY }),
      bucketPublicAccessBlock: bpa({ restrictPublicBuckets: true }),
    },
    read: "not-public",
    write: "not-public",
    rpb: true,
    readReason: "RestrictPublicBuckets on at bucket level limits it",
  },
  {
    name: "public policy, account RestrictPublicBuckets",
    over: {
      policy: present({ json: PUBLIC_READ_POLICY }),
      accountPublicAccessBlock: bpa({ restrictPublicBuckets: true }),
    },
    read: "not-public",
    write: "not-public",
    rpb: true,
    readReason: "RestrictPublicBuckets on at account level",
  },
  {
    name: "BlockPublicPolicy does not undo an existing public policy",
    over: {
      policy: present({ json: PUBLIC_READ_POLICY }),
      bucketPublicAccessBlock: bpa({ blockPublicPolicy: true, blockPublicAcls: true }),
    },
    read: "public",
    write: "not-public",
  },
  {
    name: "policy unreadable, BPA off",
    over: { policy: DENIED },
    read: "unknown",
    write: "unknown",
    policyState: "unreadable",
    readReason: "policy: bucket policy could not be read: AccessDenied: not authorized",
  },
  {
    name: "policy unreadable, RestrictPublicBuckets + IgnorePublicAcls on",
    over: {
      policy: DENIED,
      acl: DENIED,
      accountPublicAccessBlock: bpa({ restrictPublicBuckets: true, ignorePublicAcls: true }),
    },
    read: "not-public",
    write: "not-public",
  },
  {
    name: "policy unreadable, RestrictPublicBuckets on, ACL unreadable",
    over: { policy: DENIED, acl: DENIED, accountPublicAccessBlock: bpa({ restrictPublicBuckets: true }) },
    read: "unknown",
    write: "unknown",
    readReason: "ACL: bucket ACL could not be read: AccessDenied: not authorized",
  },
  {
    name: "policy unreadable, AWS PolicyStatus not public",
    over: { policy: DENIED, policyStatus: present({ isPublic: false }) },
    read: "not-public",
    write: "not-public",
    readReason: "GetBucketPolicyStatus reports the policy is not public",
  },
  {
    name: "policy unreadable, AWS PolicyStatus public",
    over: { policy: DENIED, policyStatus: present({ isPublic: true }) },
    read: "unknown",
    write: "unknown",
    readReason: "reports the policy IS public",
  },
  {
    name: "invalid policy JSON",
    over: { policy: present({ json: "{oops" }) },
    read: "unknown",
    write: "unknown",
    policyState: "invalid",
    readReason: "bucket policy could not be analysed: policy is not valid JSON",
  },
  {
    name: "public ACL read, ObjectWriter",
    over: { acl: present(aclWith("READ")), ownershipControls: present({ objectOwnership: "ObjectWriter" }) },
    read: "public",
    write: "not-public",
    readReason: "AllUsers",
  },
  {
    name: "public ACL ignored under BucketOwnerEnforced",
    over: { acl: present(aclWith("READ")), ownershipControls: present({ objectOwnership: "BucketOwnerEnforced" }) },
    read: "not-public",
    write: "not-public",
    aclIgnored: "BucketOwnerEnforced",
  },
  {
    name: "public ACL ignored by account IgnorePublicAcls",
    over: { acl: present(aclWith("READ")), accountPublicAccessBlock: bpa({ ignorePublicAcls: true }) },
    read: "not-public",
    write: "not-public",
    aclIgnored: "IgnorePublicAcls",
  },
  {
    name: "BlockPublicAcls alone does not undo an existing public ACL",
    over: { acl: present(aclWith("READ")), bucketPublicAccessBlock: bpa({ blockPublicAcls: true }) },
    read: "public",
    write: "not-public",
  },
  {
    name: "public ACL with unreadable Object Ownership is still public",
    over: { acl: present(aclWith("READ")), ownershipControls: DENIED },
    read: "public",
    write: "not-public",
  },
  { name: "public ACL write", over: { acl: present(aclWith("WRITE")) }, read: "not-public", write: "public" },
  {
    name: "unreadable ACL under BucketOwnerEnforced is moot",
    over: { acl: DENIED, ownershipControls: present({ objectOwnership: "BucketOwnerEnforced" }) },
    read: "not-public",
    write: "not-public",
  },
  {
    name: "public ACL, IgnorePublicAcls unknown",
    over: { acl: present(aclWith("READ")), bucketPublicAccessBlock: DENIED },
    read: "unknown",
    write: "not-public",
    readReason: "whether IgnorePublicAcls neutralizes it is unknown",
  },
  {
    name: "bucket BPA unreadable but account all on",
    over: {
      policy: present({ json: PUBLIC_READ_POLICY }),
      acl: present(aclWith("WRITE")),
      bucketPublicAccessBlock: DENIED,
      accountPublicAccessBlock: ALL_ON,
    },
    read: "not-public",
    write: "not-public",
  },
  {
    name: "public policy, RestrictPublicBuckets unknown",
    over: { policy: present({ json: PUBLIC_READ_POLICY }), accountPublicAccessBlock: DENIED },
    read: "unknown",
    write: "not-public",
  },
  {
    name: "public policy and public ACL both reported",
    over: { policy: present({ json: PUBLIC_READ_POLICY }), acl: present(aclWith("READ")) },
    read: "public",
    write: "not-public",
    readReason: "policy: bucket policy grants public read",
  },
];

describe("computeEffectiveExposure", () => {
  it.each(cases)("$name", (c) => {
    const e = computeEffectiveExposure({ ...base, ...c.over });
    expect({ read: e.publicRead.status, write: e.publicWrite.status }).toEqual({ read: c.read, write: c.write });
    if (c.readReason) expect(e.publicRead.reason).toContain(c.readReason);
    if (c.policyState) expect(e.policy.state).toBe(c.policyState);
    if (c.rpb !== undefined) expect(e.policy.restrictedByRestrictPublicBuckets).toBe(c.rpb);
    if (c.aclIgnored !== undefined) expect(e.acl.ignoredBecause).toBe(c.aclIgnored);
  });

  it("notes when AWS PolicyStatus disagrees with the analysis", () => {
    const e = computeEffectiveExposure({
      ...base,
      policy: present({ json: PUBLIC_READ_POLICY }),
      policyStatus: present({ isPublic: false }),
    });
    expect(e.policy.note).toBe(
      "AWS GetBucketPolicyStatus says IsPublic=false; this analysis says public. Check the statements' reasons.",
    );
  });
});

describe("effectiveBlockPublicAccess", () => {
  it("is bucket OR account, unknown only when the known side does not decide", () => {
    const e = effectiveBlockPublicAccess(bpa({ ignorePublicAcls: true }), DENIED);
    expect(e.ignorePublicAcls).toEqual({
      value: true,
      bucket: true,
      account: null,
      reason: "IgnorePublicAcls on at bucket level",
    });
    expect(e.restrictPublicBuckets.value).toBeNull();
    expect(e.restrictPublicBuckets.reason).toBe(
      "RestrictPublicBuckets unknown (account Block Public Access could not be read: AccessDenied: not authorized)",
    );
    const off = effectiveBlockPublicAccess(absent(), absent());
    expect(off.blockPublicPolicy).toEqual({
      value: false,
      bucket: false,
      account: false,
      reason: "BlockPublicPolicy off at bucket and account level",
    });
  });
});

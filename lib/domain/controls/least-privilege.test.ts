import { describe, expect, it } from "vitest";
import { absent, present, unknown, type AclGrant, type BucketSettings } from "../bucket-settings";
import { AUTHENTICATED_USERS_URI, LOG_DELIVERY_URI } from "../policy/analyze-acl";
import { OWNER, OWNER_CANONICAL, goodInput } from "./control-input-fixture";
import { leastPrivilegeRead } from "./least-privilege-read";
import { leastPrivilegeWrite } from "./least-privilege-write";

const PARTNER = "222222222222";
const policy = (...statements: Record<string, unknown>[]) =>
  present({ json: JSON.stringify({ Statement: statements }) });
const grant = (principal: unknown, action: string | string[], extra: Record<string, unknown> = {}) => ({
  Effect: "Allow",
  Principal: principal,
  Action: action,
  Resource: ["arn:aws:s3:::data-bucket", "arn:aws:s3:::data-bucket/*"],
  ...extra,
});
const acl = (...grants: AclGrant[]) =>
  present({
    ownerId: OWNER_CANONICAL,
    ownerDisplayName: null,
    grants: [
      {
        granteeType: "CanonicalUser" as const,
        grantee: OWNER_CANONICAL,
        displayName: null,
        permission: "FULL_CONTROL" as const,
      },
      ...grants,
    ],
  });
const objectWriter = { ownershipControls: present({ objectOwnership: "ObjectWriter" as const }) };

const cases: {
  name: string;
  settings: Partial<BucketSettings>;
  trusted?: string[];
  bpaOff?: boolean;
  read: string;
  write: string;
  readReason?: string;
  writeReason?: string;
}[] = [
  {
    name: "owner only",
    settings: {},
    read: "pass",
    write: "pass",
    readReason: "no public read; no cross-account readers",
  },
  {
    name: "untrusted partner reads",
    settings: { policy: policy(grant({ AWS: PARTNER }, "s3:GetObject")) },
    read: "fail",
    write: "pass",
    readReason: `principal in account ${PARTNER} can read (statement 0) and is not in the trusted accounts`,
  },
  {
    name: "trusted partner reads",
    settings: { policy: policy(grant({ AWS: PARTNER }, "s3:GetObject")) },
    trusted: [PARTNER],
    read: "pass",
    write: "pass",
    readReason: `no public read; cross-account readers all trusted (${PARTNER})`,
  },
  {
    name: "untrusted partner writes",
    settings: { policy: policy(grant({ AWS: `arn:aws:iam::${PARTNER}:role/etl` }, "s3:PutObject")) },
    read: "pass",
    write: "fail",
  },
  {
    name: "unscoped service principal reads",
    settings: { policy: policy(grant({ Service: "cloudfront.amazonaws.com" }, "s3:GetObject")) },
    read: "fail",
    write: "pass",
  },
  {
    name: "org-scoped wildcard, org trusted",
    settings: {
      policy: policy(grant("*", "s3:GetObject", { Condition: { StringEquals: { "aws:PrincipalOrgID": "o-abc" } } })),
    },
    trusted: ["o-abc"],
    read: "pass",
    write: "pass",
  },
  {
    name: "org-scoped wildcard, org not trusted",
    settings: {
      policy: policy(grant("*", "s3:GetObject", { Condition: { StringEquals: { "aws:PrincipalOrgID": "o-abc" } } })),
    },
    read: "fail",
    write: "pass",
  },
  {
    name: "AuthenticatedUsers READ_ACP with ACLs on and BPA off",
    settings: {
      ...objectWriter,
      acl: acl({ granteeType: "Group", grantee: AUTHENTICATED_USERS_URI, displayName: null, permission: "READ_ACP" }),
      publicAccessBlock: absent(),
    },
    bpaOff: true,
    read: "fail",
    write: "pass",
  },
  {
    name: "AuthenticatedUsers grant ignored by IgnorePublicAcls",
    settings: {
      ...objectWriter,
      acl: acl({ granteeType: "Group", grantee: AUTHENTICATED_USERS_URI, displayName: null, permission: "READ" }),
    },
    read: "pass",
    write: "pass",
  },
  {
    name: "other account ACL write grant",
    settings: {
      ...objectWriter,
      acl: acl({
        granteeType: "CanonicalUser",
        grantee: "partner-canonical",
        displayName: "partner",
        permission: "WRITE",
      }),
    },
    read: "pass",
    write: "fail",
    writeReason: "ACL grants WRITE to another AWS account (partner): they can create, overwrite and delete objects.",
  },
  {
    name: "LogDelivery write allowed",
    settings: {
      ...objectWriter,
      acl: acl({ granteeType: "Group", grantee: LOG_DELIVERY_URI, displayName: null, permission: "WRITE" }),
    },
    read: "pass",
    write: "pass",
    writeReason:
      "no public write; no cross-account writers; the S3 LogDelivery group may write (server access log target)",
  },
  {
    name: "ACL grants ignored under BucketOwnerEnforced",
    settings: {
      acl: acl({
        granteeType: "CanonicalUser",
        grantee: "partner-canonical",
        displayName: null,
        permission: "FULL_CONTROL",
      }),
    },
    read: "pass",
    write: "pass",
  },
  {
    name: "policy unreadable",
    settings: { policy: unknown("AccessDenied") },
    read: "unknown",
    write: "unknown",
    readReason: "cross-account readers unknown: bucket policy could not be read: AccessDenied",
  },
  {
    name: "policy unreadable but ACL fails",
    settings: {
      policy: unknown("AccessDenied"),
      ...objectWriter,
      acl: acl({ granteeType: "CanonicalUser", grantee: "x", displayName: null, permission: "READ" }),
    },
    read: "fail",
    write: "unknown",
  },
  {
    name: "ACL unreadable with ACLs enabled",
    settings: { ...objectWriter, acl: unknown("AccessDenied") },
    read: "unknown",
    write: "unknown",
  },
  {
    name: "cross-account grant cut off by RestrictPublicBuckets on a public policy",
    settings: { policy: policy(grant("*", "s3:GetObject"), grant({ AWS: PARTNER }, "s3:GetObject")) },
    read: "pass",
    write: "pass",
  },
  {
    name: "public write policy with BPA off",
    settings: { policy: policy(grant("*", "s3:PutObject")), publicAccessBlock: absent() },
    bpaOff: true,
    read: "pass",
    write: "fail",
  },
  {
    name: "same-account role",
    settings: { policy: policy(grant({ AWS: `arn:aws:iam::${OWNER}:role/app` }, "s3:*")) },
    read: "pass",
    write: "pass",
  },
];

describe("least-privilege-read / least-privilege-write", () => {
  it.each(cases)("$name", ({ settings, trusted, bpaOff, read, write, readReason, writeReason }) => {
    const input = goodInput({
      settings,
      trustedAccountIds: trusted ?? [],
      ...(bpaOff ? { account: { publicAccessBlock: absent() } } : {}),
    });
    const r = leastPrivilegeRead.evaluate(input);
    const w = leastPrivilegeWrite.evaluate(input);
    expect({ read: r.status, write: w.status }).toEqual({ read, write });
    if (readReason) expect(r.reason).toBe(readReason);
    if (writeReason) expect(w.reason).toBe(writeReason);
    expect(r.evidence).toHaveProperty("crossAccountReaders");
    expect(w.evidence).toHaveProperty("crossAccountWriters");
  });
});

describe("least-privilege evidence", () => {
  it("names the trusted accounts the bucket grants to, not the whole allow-list", () => {
    // Every linked account is trusted: at 1,000 accounts the full list in two results per bucket made each 15 KB.
    const allowList = [PARTNER, ...Array.from({ length: 999 }, (_, i) => String(300000000000 + i))];
    const input = goodInput({
      settings: { policy: policy(grant({ AWS: PARTNER }, "s3:GetObject")) },
      trustedAccountIds: allowList,
    });
    const r = leastPrivilegeRead.evaluate(input);
    expect(r.status).toBe("pass");
    expect(r.evidence).toMatchObject({ trustedAccountsGranted: [PARTNER], trustedAccountCount: 1000 });
    expect(r.evidence).not.toHaveProperty("trustedAccountIds");
    expect(JSON.stringify(r.evidence).length).toBeLessThan(5000);
  });
});

import { describe, expect, it } from "vitest";
import { absent, present, unknown, type BucketSettings } from "../bucket-settings";
import { ALL_USERS_URI } from "../policy/analyze-acl";
import { OWNER_CANONICAL, goodInput } from "./control-input-fixture";
import { noPublicRead } from "./no-public-read";
import { noPublicWrite } from "./no-public-write";

const publicPolicy = (action: string) =>
  present({
    json: JSON.stringify({
      Statement: [{ Effect: "Allow", Principal: "*", Action: action, Resource: "arn:aws:s3:::data-bucket/*" }],
    }),
  });
const noBpa = { publicAccessBlock: absent<never>("NoSuchPublicAccessBlockConfiguration") };
const aclAllUsers = (permission: "READ" | "WRITE") =>
  present({
    ownerId: OWNER_CANONICAL,
    ownerDisplayName: null,
    grants: [{ granteeType: "Group" as const, grantee: ALL_USERS_URI, displayName: null, permission }],
  });

const cases: {
  name: string;
  settings: Partial<BucketSettings>;
  accountBpaOff?: boolean;
  read: string;
  write: string;
}[] = [
  { name: "well configured", settings: {}, read: "pass", write: "pass" },
  {
    name: "public read policy, BPA off",
    settings: { policy: publicPolicy("s3:GetObject"), ...noBpa },
    accountBpaOff: true,
    read: "fail",
    write: "pass",
  },
  {
    name: "public write policy, BPA off",
    settings: { policy: publicPolicy("s3:PutObject"), ...noBpa },
    accountBpaOff: true,
    read: "pass",
    write: "fail",
  },
  {
    name: "public policy neutralized by account RestrictPublicBuckets",
    settings: { policy: publicPolicy("s3:*"), ...noBpa },
    read: "pass",
    write: "pass",
  },
  {
    name: "public ACL, ObjectWriter, BPA off",
    settings: { acl: aclAllUsers("READ"), ownershipControls: present({ objectOwnership: "ObjectWriter" }), ...noBpa },
    accountBpaOff: true,
    read: "fail",
    write: "pass",
  },
  {
    name: "public ACL write ignored by BucketOwnerEnforced",
    settings: { acl: aclAllUsers("WRITE"), ...noBpa },
    accountBpaOff: true,
    read: "pass",
    write: "pass",
  },
  {
    name: "policy and policy status unreadable, BPA off",
    settings: { policy: unknown("AccessDenied"), policyStatus: unknown("AccessDenied"), ...noBpa },
    accountBpaOff: true,
    read: "unknown",
    write: "unknown",
  },
  {
    name: "policy unreadable, AWS policy status not public",
    settings: { policy: unknown("AccessDenied"), ...noBpa },
    accountBpaOff: true,
    read: "pass",
    write: "pass",
  },
  { name: "policy unreadable, BPA on", settings: { policy: unknown("AccessDenied") }, read: "pass", write: "pass" },
];

describe("no-public-read / no-public-write", () => {
  it.each(cases)("$name", ({ settings, accountBpaOff, read, write }) => {
    const input = goodInput({ settings, ...(accountBpaOff ? { account: { publicAccessBlock: absent() } } : {}) });
    const r = noPublicRead.evaluate(input);
    const w = noPublicWrite.evaluate(input);
    expect({ read: r.status, write: w.status }).toEqual({ read, write });
    expect(r.evidence).toHaveProperty("effectiveBlockPublicAccess");
    expect(r.evidence).toHaveProperty("policyChannel");
  });

  it("explains a public policy with the statement", () => {
    const v = noPublicRead.evaluate(
      goodInput({
        settings: { policy: publicPolicy("s3:GetObject"), ...noBpa },
        account: { publicAccessBlock: absent() },
      }),
    );
    expect(v.reason).toBe(
      'policy: bucket policy grants public read. Statement 0: Allow everyone, including anonymous callers (Principal "*") s3:GetObject on arn:aws:s3:::data-bucket/* with no condition that limits who → public read.',
    );
  });
});

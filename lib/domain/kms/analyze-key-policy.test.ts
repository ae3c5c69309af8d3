import { describe, expect, it } from "vitest";
import { analyzeKeyPolicy, type KeyPolicyAnalysisOk, type KeyPolicyContext } from "./analyze-key-policy";

const KEY_ACCOUNT = "111122223333";
const ORG_MEMBER = "444455556666";
const VENDOR = "999988887777";
const ctx: KeyPolicyContext = {
  keyAccountId: KEY_ACCOUNT,
  organizationId: "o-ours12345",
  organizationAccountIds: new Set([KEY_ACCOUNT, ORG_MEMBER]),
};

const rootStatement = {
  Sid: "Enable IAM User Permissions",
  Effect: "Allow",
  Principal: { AWS: `arn:aws:iam::${KEY_ACCOUNT}:root` },
  Action: "kms:*",
  Resource: "*",
};

function analyze(...statements: object[]): KeyPolicyAnalysisOk {
  const result = analyzeKeyPolicy({ Version: "2012-10-17", Statement: statements }, ctx);
  if (result.error !== null) throw new Error(result.error);
  return result;
}

describe("analyzeKeyPolicy", () => {
  it("reads the default key policy as the key's account only", () => {
    const r = analyze(rootStatement);
    expect(r.grants.map((g) => [g.scope, g.accountId])).toEqual([["key-account", KEY_ACCOUNT]]);
    expect(r.everyoneCanDecrypt).toBe(false);
    expect(r.outsideAccounts).toEqual([]);
  });

  it("names an account outside the organisation granted Decrypt", () => {
    const r = analyze(rootStatement, {
      Effect: "Allow",
      Principal: { AWS: `arn:aws:iam::${VENDOR}:role/backup` },
      Action: ["kms:Decrypt", "kms:DescribeKey"],
      Resource: "*",
    });
    expect(r.outsideAccounts).toEqual([VENDOR]);
    expect(r.grants.find((g) => g.accountId === VENDOR)?.scope).toBe("outside-organization");
  });

  it("places an organisation member inside the organisation", () => {
    const r = analyze({ Effect: "Allow", Principal: { AWS: ORG_MEMBER }, Action: "kms:Decrypt", Resource: "*" });
    expect(r.grants[0]?.scope).toBe("organization-account");
  });

  it("ignores statements that do not grant Decrypt", () => {
    const r = analyze({
      Effect: "Allow",
      Principal: { AWS: VENDOR },
      Action: ["kms:Encrypt", "kms:GenerateDataKey"],
      Resource: "*",
    });
    expect(r.grants).toEqual([]);
  });

  it('treats "*" and {"AWS":"*"} without a limiting condition as everyone', () => {
    expect(analyze({ Effect: "Allow", Principal: "*", Action: "kms:Decrypt", Resource: "*" }).everyoneCanDecrypt).toBe(
      true,
    );
    expect(
      analyze({ Effect: "Allow", Principal: { AWS: "*" }, Action: "kms:*", Resource: "*" }).everyoneCanDecrypt,
    ).toBe(true);
  });

  it("counts NotPrincipal with Allow as everyone", () => {
    const r = analyze({ Effect: "Allow", NotPrincipal: { AWS: VENDOR }, Action: "kms:Decrypt", Resource: "*" });
    expect(r.everyoneCanDecrypt).toBe(true);
  });

  it("reads the AWS-managed pattern (* with kms:CallerAccount and kms:ViaService) as the caller account via S3", () => {
    const r = analyze({
      Effect: "Allow",
      Principal: { AWS: "*" },
      Action: ["kms:Encrypt", "kms:Decrypt"],
      Resource: "*",
      Condition: { StringEquals: { "kms:CallerAccount": KEY_ACCOUNT, "kms:ViaService": "s3.eu-west-1.amazonaws.com" } },
    });
    expect(r.everyoneCanDecrypt).toBe(false);
    expect(r.grants).toHaveLength(1);
    expect(r.grants[0]).toMatchObject({
      scope: "key-account",
      accountId: KEY_ACCOUNT,
      viaServices: ["s3.eu-west-1.amazonaws.com"],
    });
  });

  it("does not count kms:ViaService alone as limiting who", () => {
    const r = analyze({
      Effect: "Allow",
      Principal: "*",
      Action: "kms:Decrypt",
      Resource: "*",
      Condition: { StringEquals: { "kms:ViaService": "s3.eu-west-1.amazonaws.com" } },
    });
    expect(r.everyoneCanDecrypt).toBe(true);
    expect(r.grants[0]?.viaServices).toEqual(["s3.eu-west-1.amazonaws.com"]);
  });

  it("reads aws:PrincipalOrgID as our organisation, or another one outside it", () => {
    const ours = analyze({
      Effect: "Allow",
      Principal: "*",
      Action: "kms:Decrypt",
      Resource: "*",
      Condition: { StringEquals: { "aws:PrincipalOrgID": "o-ours12345" } },
    });
    expect(ours.grants[0]).toMatchObject({ scope: "organization", organizationId: "o-ours12345" });
    const theirs = analyze({
      Effect: "Allow",
      Principal: "*",
      Action: "kms:Decrypt",
      Resource: "*",
      Condition: { StringEquals: { "aws:PrincipalOrgID": "o-vendor999" } },
    });
    expect(theirs.grants[0]).toMatchObject({ scope: "outside-organization", organizationId: "o-vendor999" });
    expect(theirs.everyoneCanDecrypt).toBe(false);
  });

  it("keeps a wildcard public when the condition does not limit who (IfExists, negated, spoofable)", () => {
    for (const Condition of [
      { StringEqualsIfExists: { "kms:CallerAccount": KEY_ACCOUNT } },
      { StringNotEquals: { "kms:CallerAccount": VENDOR } },
      { StringLike: { "aws:Referer": "https://example.com/*" } },
    ]) {
      expect(
        analyze({ Effect: "Allow", Principal: "*", Action: "kms:Decrypt", Resource: "*", Condition })
          .everyoneCanDecrypt,
      ).toBe(true);
    }
  });

  it("lets a Deny unless our organisation narrow every grant, and never grant anything itself", () => {
    const r = analyze(
      { Effect: "Allow", Principal: "*", Action: "kms:Decrypt", Resource: "*" },
      { Effect: "Allow", Principal: { AWS: VENDOR }, Action: "kms:Decrypt", Resource: "*" },
      {
        Effect: "Deny",
        Principal: "*",
        Action: "kms:*",
        Resource: "*",
        Condition: { StringNotEquals: { "aws:PrincipalOrgID": "o-ours12345" } },
      },
    );
    expect(r.everyoneCanDecrypt).toBe(false);
    expect(r.outsideAccounts).toEqual([]);
    expect(r.grants.map((g) => g.scope)).toEqual(["organization"]);
  });

  it("removes grants denied unconditionally, to everyone or to one account", () => {
    expect(
      analyze(rootStatement, { Effect: "Deny", Principal: "*", Action: "kms:Decrypt", Resource: "*" }).grants,
    ).toEqual([]);
    const r = analyze(
      { Effect: "Allow", Principal: { AWS: [VENDOR, ORG_MEMBER] }, Action: "kms:Decrypt", Resource: "*" },
      { Effect: "Deny", Principal: { AWS: VENDOR }, Action: "kms:Decrypt", Resource: "*" },
    );
    expect(r.grants.map((g) => g.accountId)).toEqual([ORG_MEMBER]);
  });

  it("is an error, not an empty grant list, for a policy it cannot read", () => {
    expect(analyzeKeyPolicy("not json", ctx).error).toBeTruthy();
    expect(analyzeKeyPolicy({ Statement: [{ Action: "kms:Decrypt" }] }, ctx).error).toBeTruthy();
  });
});

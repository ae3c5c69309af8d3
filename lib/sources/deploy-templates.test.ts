/**
 * The CloudFormation templates in deploy/ grant exactly the registered sources' allow-list — read-only: no object
 * data, no Put/Delete/Create/Update — and trust only the hub account with the ExternalId. The templates are JSON and
 * cannot import the registry: a source that needs new IAM actions edits both, and this test fails until it does.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readOnlyRoleActions } from "./read-only-allow-list";

const deploy = path.resolve(import.meta.dirname, "../../deploy");
const single = JSON.parse(readFileSync(path.join(deploy, "custody-readonly-role.json"), "utf8"));
const stackset = JSON.parse(readFileSync(path.join(deploy, "custody-readonly-stackset.json"), "utf8"));
const embedded = JSON.parse(stackset.Resources.CustodyReadOnlyStackSet.Properties.TemplateBody);

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource?: unknown;
  Condition?: unknown;
  Principal?: unknown;
}
const roleOf = (template: { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> }) => {
  const roles = Object.values(template.Resources).filter((r) => r.Type === "AWS::IAM::Role");
  expect(roles).toHaveLength(1);
  return roles[0]!.Properties as {
    Policies: { PolicyDocument: { Statement: Statement[] } }[];
    ManagedPolicyArns?: unknown;
    AssumeRolePolicyDocument: { Statement: Statement[] };
  };
};
const grantedActions = (template: Parameters<typeof roleOf>[0]) => {
  const role = roleOf(template);
  const statements = role.Policies.flatMap((p) => p.PolicyDocument.Statement);
  expect(statements.every((s) => s.Effect === "Allow")).toBe(true);
  return [...new Set(statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action])))].sort();
};

describe.each([
  ["single-account template", single],
  ["template inside the StackSet", embedded],
])("%s", (_name, template) => {
  it("grants exactly the IAM actions of the registered sources' command allow-list", () => {
    expect(grantedActions(template)).toEqual(readOnlyRoleActions());
  });

  it("is read-only: no wildcards, no object data, nothing but Get/List/Describe", () => {
    for (const action of grantedActions(template)) {
      expect(action).not.toContain("*");
      expect(action).toMatch(/^[a-z0-9]+:(Get|List|Describe)[A-Za-z]+$/);
      expect(action).not.toMatch(/:(Put|Delete|Create|Update|Tag|Untag|Enable|Disable|Restore|Replicate|Bypass)/);
    }
    const actions = grantedActions(template);
    expect(actions).not.toContain("s3:GetObject");
    expect(actions).not.toContain("s3:GetObjectVersion");
    expect(actions).not.toContain("s3:ListBucket"); // would list object keys
    // No managed policy sneaks in broader rights (ReadOnlyAccess includes s3:GetObject).
    expect(roleOf(template).ManagedPolicyArns).toBeUndefined();
  });

  it("trusts only the hub account, and only with the ExternalId", () => {
    const [trust, ...rest] = roleOf(template).AssumeRolePolicyDocument.Statement;
    expect(rest).toEqual([]);
    expect(trust).toMatchObject({
      Effect: "Allow",
      Action: "sts:AssumeRole",
      Principal: { AWS: { "Fn::Sub": "arn:${AWS::Partition}:iam::${HubAccountId}:root" } },
    });
    const branches = (trust!.Condition as { "Fn::If": [string, unknown, unknown] })["Fn::If"].slice(1) as Record<
      string,
      Record<string, unknown>
    >[];
    for (const branch of branches) expect(branch.StringEquals?.["sts:ExternalId"]).toEqual({ Ref: "ExternalId" });
  });
});

describe("StackSet", () => {
  it("deploys the single-account template unchanged, service-managed, to new accounts automatically", () => {
    const props = stackset.Resources.CustodyReadOnlyStackSet.Properties;
    expect(embedded).toEqual(single);
    expect(props.PermissionModel).toBe("SERVICE_MANAGED");
    expect(props.AutoDeployment.Enabled).toBe(true);
    expect(props.Parameters.map((p: { ParameterKey: string }) => p.ParameterKey).sort()).toEqual(
      Object.keys(single.Parameters).sort(),
    );
  });
});

/**
 * Classify one Principal value. AWS treats `"*"`, `{"AWS": "*"}` and `arn:aws:iam::*:root` as everyone
 * (including anonymous callers); a Federated principal is an identity provider that anyone can sign in to, so
 * AWS counts it as public too. Account ids, IAM ARNs, service principals and canonical users are fixed values.
 */
import type { PrincipalValue } from "./parse-policy";

export type PrincipalClass =
  | { kind: "everyone"; label: string }
  | { kind: "federated"; label: string; provider: string }
  | { kind: "account"; label: string; accountId: string }
  | { kind: "iam-principal"; label: string; accountId: string; arn: string }
  | { kind: "service"; label: string; service: string }
  | { kind: "canonical-user"; label: string; canonicalId: string }
  | { kind: "cloudfront-oai"; label: string; arn: string }
  | { kind: "deleted-principal"; label: string; uniqueId: string }
  | { kind: "unrecognized"; label: string; value: string };

const IAM_ARN = /^arn:aws[a-z-]*:(iam|sts)::([^:]*):(.+)$/i;
const CLOUDFRONT_OAI = /^arn:aws[a-z-]*:iam::cloudfront:user\/CloudFront Origin Access Identity /i;
/** IAM unique ids (AIDA user, AROA role, …) appear in a policy when the principal it named was deleted. */
const UNIQUE_ID = /^A(IDA|ROA|GPA|NPA|NVA|PKA|SCA|SIA|KIA)[A-Z0-9]{10,}$/;

export function classifyPrincipal(p: PrincipalValue): PrincipalClass {
  const v = p.value;
  if (v === "*") {
    return p.type === "AWS"
      ? { kind: "everyone", label: 'everyone, including anonymous callers (Principal "*")' }
      : { kind: "everyone", label: `everyone (${p.type} "*")` };
  }
  switch (p.type) {
    case "Federated":
      return { kind: "federated", label: `anyone who signs in through ${v} (Federated)`, provider: v };
    case "Service":
      return { kind: "service", label: `service ${v}`, service: v };
    case "CanonicalUser":
      return { kind: "canonical-user", label: `canonical user ${v}`, canonicalId: v };
    case "AWS": {
      if (/^\d{12}$/.test(v)) return { kind: "account", label: `account ${v}`, accountId: v };
      if (CLOUDFRONT_OAI.test(v))
        return { kind: "cloudfront-oai", label: `CloudFront origin access identity (${v})`, arn: v };
      const m = IAM_ARN.exec(v);
      if (m) {
        const account = m[2]!;
        const resource = m[3]!;
        if (account === "*" || account.includes("*") || account.includes("?")) {
          return { kind: "everyone", label: `every AWS account (${v})` };
        }
        if (!/^\d{12}$/.test(account)) return { kind: "unrecognized", label: `unrecognized principal ${v}`, value: v };
        if (resource === "root") return { kind: "account", label: `account ${account}`, accountId: account };
        return { kind: "iam-principal", label: `${v}`, accountId: account, arn: v };
      }
      if (UNIQUE_ID.test(v)) {
        return { kind: "deleted-principal", label: `deleted IAM principal (unique id ${v})`, uniqueId: v };
      }
      return { kind: "unrecognized", label: `unrecognized principal ${v}`, value: v };
    }
  }
}

export function isPublicPrincipal(c: PrincipalClass): boolean {
  return c.kind === "everyone" || c.kind === "federated";
}

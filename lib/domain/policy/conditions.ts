/**
 * Which Condition clauses stop a wildcard-principal grant from being public, following S3's "meaning of public":
 * a grant is non-public only when it is limited to fixed values (no wildcard, no policy variable) of one of a
 * short list of keys. Everything else — negated operators, IfExists variants, ForAllValues (true when the key is
 * absent), unrelated keys, spoofable keys like aws:Referer — leaves the grant public, and we say why.
 */
import { broadRangeReason } from "./ip-range";
import type { ConditionClause } from "./parse-policy";

export type RestrictionKind =
  "network" | "account" | "organization" | "principal" | "source" | "kms-key" | "access-point";

export interface Restriction {
  kind: RestrictionKind;
  key: string;
  operator: string;
  values: string[];
  /** Accounts the clause pins requests to, when it does (PrincipalAccount, SourceAccount, account field of ARNs). */
  accountIds: string[] | null;
  /** Organization ids pinned by aws:PrincipalOrgID. */
  orgIds: string[] | null;
  description: string;
}

export interface NonRestricting {
  clause: ConditionClause;
  reason: string;
}

interface KeyRule {
  kind: RestrictionKind;
  /** ARN-valued keys accept ArnEquals/ArnLike as pinning operators. */
  arn: boolean;
  ip: boolean;
  accountsFromValue?: (value: string) => string | null;
}

const ACCOUNT_VALUE = (v: string) => (/^\d{12}$/.test(v) ? v : null);
const ARN_ACCOUNT = (v: string) => {
  const account = v.split(":")[4];
  return account !== undefined && /^\d{12}$/.test(account) ? account : null;
};

/** Keys that AWS accepts as limiting a grant (lower-cased). aws:PrincipalAccount is logically as fixed as
 * aws:SourceAccount; the 2023 doc text does not list it (see aws-facts §3.1) — we accept it, and say so. */
const RESTRICTING_KEYS: Record<string, KeyRule> = {
  "aws:sourceip": { kind: "network", arn: false, ip: true },
  "aws:sourcevpc": { kind: "network", arn: false, ip: false },
  "aws:sourcevpce": { kind: "network", arn: false, ip: false },
  "aws:principalorgid": { kind: "organization", arn: false, ip: false },
  "aws:principalaccount": { kind: "account", arn: false, ip: false, accountsFromValue: ACCOUNT_VALUE },
  // KMS key policies: the account of the caller (AWS's own key policies pin "*" to it with kms:ViaService).
  "kms:calleraccount": { kind: "account", arn: false, ip: false, accountsFromValue: ACCOUNT_VALUE },
  "aws:sourceaccount": { kind: "account", arn: false, ip: false, accountsFromValue: ACCOUNT_VALUE },
  "aws:sourceowner": { kind: "account", arn: false, ip: false, accountsFromValue: ACCOUNT_VALUE },
  "aws:sourcearn": { kind: "source", arn: true, ip: false, accountsFromValue: ARN_ACCOUNT },
  "aws:principalarn": { kind: "principal", arn: true, ip: false, accountsFromValue: ARN_ACCOUNT },
  "aws:userid": { kind: "principal", arn: false, ip: false },
  "s3:dataaccesspointaccount": { kind: "access-point", arn: false, ip: false, accountsFromValue: ACCOUNT_VALUE },
  "s3:dataaccesspointarn": { kind: "access-point", arn: true, ip: false, accountsFromValue: ARN_ACCOUNT },
  "s3:x-amz-server-side-encryption-aws-kms-key-id": { kind: "kms-key", arn: false, ip: false },
};

const UNRELATED_KEY_REASONS: Record<string, string> = {
  "aws:referer":
    "aws:Referer is a header the caller sets and is trivially spoofed, so it does not limit who can access (AWS advises against relying on it)",
  "aws:useragent": "aws:UserAgent is a header the caller sets; it does not limit who can access",
  "aws:securetransport": "aws:SecureTransport only requires HTTPS; it does not limit who can access",
  "s3:prefix": "s3:prefix limits which keys are listed, not who can list them",
  "s3:delimiter": "s3:delimiter shapes the listing, not who can list",
  "s3:max-keys": "s3:max-keys limits page size, not who can list",
  "s3:tlsversion": "s3:TlsVersion limits the TLS version, not who can access",
  "aws:currenttime": "aws:CurrentTime limits when, not who",
  "aws:epochtime": "aws:EpochTime limits when, not who",
};

const PINNING_STRING_OPS = new Set(["stringequals", "stringequalsignorecase", "stringlike"]);
const PINNING_ARN_OPS = new Set(["arnequals", "arnlike"]);
const LIKE_OPS = new Set(["stringlike", "arnlike"]);

const HAS_VARIABLE = /\$\{[^}]*\}/;
const HAS_WILDCARD = /[*?]/;
/** aws:userid values of the form ROLEID:* mean "any session of this role" — AWS lists that pattern as public. */
const ROLE_SESSION_PATTERN = /^AROA[A-Z0-9]+:\*$/i;

const OPERATOR_NAMES: Record<string, string> = {
  stringequals: "StringEquals",
  stringequalsignorecase: "StringEqualsIgnoreCase",
  arnequals: "ArnEquals",
};

function clauseOperatorName(base: string): string {
  return OPERATOR_NAMES[base] ?? base;
}

function describe(clause: ConditionClause): string {
  const values = clause.values.length === 1 ? clause.values[0] : `[${clause.values.join(", ")}]`;
  return `${clause.operator} ${clause.key} = ${values}`;
}

export function describeClause(clause: ConditionClause): string {
  return describe(clause);
}

function isNegatedOperator(base: string): boolean {
  const b = base.toLowerCase();
  return (
    b.startsWith("stringnot") ||
    b.startsWith("arnnot") ||
    b === "notipaddress" ||
    b.startsWith("numericnot") ||
    b.startsWith("datenot")
  );
}

/** Why one value of a pinning clause is not a fixed value, or null when it is. */
function valueProblem(rule: KeyRule, keyLower: string, base: string, value: string): string | null {
  if (HAS_VARIABLE.test(value)) return `"${value}" contains a policy variable, which is not a fixed value`;
  if (rule.ip) return broadRangeReason(value);
  if (keyLower === "aws:userid" && ROLE_SESSION_PATTERN.test(value)) {
    return `"${value}" matches any session of a role (AROLEID:*), which AWS counts as public`;
  }
  if (HAS_WILDCARD.test(value)) {
    // Bucket policies may wildcard the access point name as long as the account is fixed (S3 user guide).
    if (keyLower === "s3:dataaccesspointarn") {
      const parts = value.split(":");
      if (parts.length >= 6 && /^\d{12}$/.test(parts[4] ?? "") && !HAS_WILDCARD.test(parts.slice(0, 5).join(":"))) {
        return null;
      }
    }
    // AWS judges "public" on the value, whatever the operator: a value holding * or ? is not fixed. Under an
    // Equals operator the * is compared literally, so no real caller matches today — say both, so nobody is misled.
    if (!LIKE_OPS.has(base)) {
      return `"${value}" contains ${value.includes("*") ? "*" : "?"}: ${clauseOperatorName(base)} compares literally, so this grants no caller today, but AWS treats it as public (not a fixed value), as GetBucketPolicyStatus and Block Public Access do`;
    }
    return `"${value}" contains a wildcard, so it matches any value and is not a fixed value`;
  }
  return null;
}

export type ClauseAssessment = { restricting: true; restriction: Restriction } | { restricting: false; reason: string };

/** Does this clause, in an Allow statement, limit the grant to fixed values of a non-public key? */
export function assessAllowClause(clause: ConditionClause): ClauseAssessment {
  const rule = RESTRICTING_KEYS[clause.keyLower];
  const base = clause.baseOperator.toLowerCase();
  if (!rule) {
    const known = UNRELATED_KEY_REASONS[clause.keyLower];
    return {
      restricting: false,
      reason: `${describe(clause)}: ${known ?? `${clause.key} does not limit who can access`}`,
    };
  }
  if (clause.setQualifier === "ForAllValues") {
    return {
      restricting: false,
      reason: `${describe(clause)}: ForAllValues is true when the request has no ${clause.key} at all, so callers without it get in`,
    };
  }
  if (clause.ifExists) {
    return {
      restricting: false,
      reason: `${describe(clause)}: the IfExists form is true when the request has no ${clause.key}, so callers without it get in`,
    };
  }
  if (isNegatedOperator(clause.baseOperator)) {
    return { restricting: false, reason: `${describe(clause)}: a negated operator allows every other value` };
  }
  const pinning = rule.ip
    ? base === "ipaddress"
    : PINNING_STRING_OPS.has(base) || (rule.arn && PINNING_ARN_OPS.has(base));
  if (!pinning) {
    return {
      restricting: false,
      reason: `${describe(clause)}: ${clause.baseOperator} does not pin ${clause.key} to fixed values`,
    };
  }
  for (const value of clause.values) {
    const problem = valueProblem(rule, clause.keyLower, base, value);
    if (problem) return { restricting: false, reason: `${describe(clause)}: ${problem}` };
  }
  let accountIds: string[] | null = null;
  if (rule.accountsFromValue) {
    const ids = clause.values.map(rule.accountsFromValue);
    // Only when every value names an account do we know the full set of accounts the clause admits.
    if (ids.every((id): id is string => id !== null)) accountIds = [...new Set(ids)];
  }
  return {
    restricting: true,
    restriction: {
      kind: rule.kind,
      key: clause.key,
      operator: clause.operator,
      values: clause.values,
      accountIds,
      orgIds: rule.kind === "organization" ? clause.values : null,
      description: describe(clause),
    },
  };
}

/**
 * In a Deny statement, a negated clause on a restricting key ("deny unless the request comes from vpce-1") means
 * the request must carry that fixed value to get through. Returns the restriction it implies, or null.
 */
export function denyClauseImpliedRestriction(clause: ConditionClause): Restriction | null {
  const rule = RESTRICTING_KEYS[clause.keyLower];
  if (!rule || clause.setQualifier !== null) return null;
  const base = clause.baseOperator.toLowerCase();
  // Negated operators are true when the key is missing, with or without IfExists, so both deny key-less requests.
  let positiveBase: string | null = null;
  if (rule.ip && base === "notipaddress") positiveBase = "ipaddress";
  if (!rule.ip && (base === "stringnotequals" || base === "stringnotequalsignorecase" || base === "stringnotlike")) {
    positiveBase = base.replace("not", "");
  }
  if (!rule.ip && rule.arn && (base === "arnnotequals" || base === "arnnotlike"))
    positiveBase = base.replace("not", "");
  if (positiveBase === null) return null;
  const positive: ConditionClause = {
    ...clause,
    operator: positiveBase,
    baseOperator: positiveBase,
    ifExists: false,
  };
  const assessed = assessAllowClause(positive);
  if (!assessed.restricting) return null;
  return { ...assessed.restriction, operator: clause.operator, description: describe(clause) };
}

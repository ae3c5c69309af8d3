/**
 * Bucket policy analysis: who can read, who can write, is it public in AWS's meaning, does it enforce HTTPS, and
 * which principals outside the owner account it admits. Every verdict carries a human "why" per statement, so a
 * security lead can check it against the JSON by eye.
 *
 * Semantics follow S3's "meaning of public" (S3 user guide, Block Public Access): a policy is public when some
 * Allow statement grants an S3 action on this bucket to a non-fixed principal ("*", {"AWS": "*"},
 * arn:aws:iam::*:root, NotPrincipal, Federated) without a condition pinning a fixed value of a non-public key
 * (see conditions.ts). Deny statements never make a policy public. One refinement AWS's own reasoning also makes:
 * a Deny that refuses every request lacking a fixed value of a non-public key (the "deny unless from my VPC
 * endpoint / my organization" pattern) neutralizes a wildcard Allow it fully covers.
 */
import { assessAllowClause, denyClauseImpliedRestriction, type Restriction } from "./conditions";
import { globCovers, globMatches, globsIntersect } from "./glob-match";
import { idSet } from "@/lib/domain/id-set";
import { parseBucketPolicy, type PolicyStatement } from "./parse-policy";
import { classifyPrincipal, isPublicPrincipal, type PrincipalClass } from "./principals";
import {
  S3_READ_ACTIONS,
  S3_WRITE_ACTIONS,
  actionSpecCovers,
  actionSpecMatches,
  actionSpecTouchesS3,
  isObjectLevelAction,
} from "./s3-actions";

export interface PolicyAnalysisContext {
  ownerAccountId: string;
  bucketName: string;
  /** Accounts (12 digits) or organization ids (o-…) allowed to receive cross-account access. */
  trustedAccountIds?: string[];
  /** The owner's canonical user id (from the bucket ACL), to recognize the owner in CanonicalUser principals. */
  ownerCanonicalId?: string | null;
}

export type GranteeKind =
  | "everyone"
  | "federated"
  | "owner-account"
  | "other-account"
  | "service"
  | "canonical-user"
  | "cloudfront-oai"
  | "deleted-principal"
  | "unrecognized";

export interface AccessGrant {
  /** Who, in words (e.g. "account 111122223333", "everyone, including anonymous callers (Principal \"*\")"). */
  principal: string;
  kind: GranteeKind;
  accountId: string | null;
  /** True when this grant makes the bucket public. */
  public: boolean;
  /** The read (or write) actions from our catalog this grant covers on this bucket. */
  actions: string[];
  statementIndex: number;
  sid: string | null;
  /** Conditions or Deny statements that limit this grant. */
  restrictedBy: string[];
}

export interface CrossAccountPrincipal {
  /** As written in the policy, or the value pinned by a condition (account id, org id). */
  principal: string;
  kind: "account" | "iam-principal" | "service" | "canonical-user" | "organization" | "account-via-condition";
  accountId: string | null;
  trusted: boolean;
  read: boolean;
  write: boolean;
  /** A service principal with no aws:SourceAccount / aws:SourceArn / aws:SourceOwner condition (confused deputy). */
  unscopedService: boolean;
  statementIndex: number;
  sid: string | null;
  note: string;
}

export interface StatementVerdict {
  index: number;
  sid: string | null;
  effect: "Allow" | "Deny";
  appliesToBucket: boolean;
  public: boolean;
  publicRead: boolean;
  publicWrite: boolean;
  why: string;
}

export interface SecureTransportVerdict {
  enforced: boolean;
  statementIndexes: number[];
  /** What an HTTP request could still do, e.g. "s3:GetObject on objects". Empty when enforced. */
  missing: string[];
  why: string;
}

export interface PolicyAnalysisOk {
  error: null;
  isPublic: boolean;
  allowsPublicRead: boolean;
  allowsPublicWrite: boolean;
  publicStatements: { index: number; sid: string | null; read: boolean; write: boolean; why: string }[];
  enforcesSecureTransport: boolean;
  secureTransport: SecureTransportVerdict;
  crossAccountPrincipals: CrossAccountPrincipal[];
  readers: AccessGrant[];
  writers: AccessGrant[];
  statements: StatementVerdict[];
}

export interface PolicyAnalysisError {
  /** Why the policy could not be analysed; every verdict about it is unknown. */
  error: string;
}

export type PolicyAnalysis = PolicyAnalysisOk | PolicyAnalysisError;

interface ResourceScope {
  bucket: boolean;
  objectsSome: boolean;
  objectsAll: boolean;
}

/** S3 ARNs in other partitions (aws-cn, aws-us-gov) are compared as if in "aws"; bucket names are global per partition. */
function normalizeResource(pattern: string): string {
  return pattern.replace(/^arn:aws-[a-z-]+:s3:::/, "arn:aws:s3:::");
}

/**
 * A statement's scope per bucket ARN, kept with the parsed statement: the analysis asks it up to three times per
 * statement (deny guards, grants, secure transport), and its glob tests were ≈ 8 % of an evaluation's CPU.
 */
const scopes = new WeakMap<PolicyStatement, { bucketArn: string; scope: ResourceScope }>();

function resourceScope(stmt: PolicyStatement, bucketArn: string): ResourceScope {
  const held = scopes.get(stmt);
  if (held?.bucketArn === bucketArn) return held.scope;
  const scope = computeResourceScope(stmt, bucketArn);
  scopes.set(stmt, { bucketArn, scope });
  return scope;
}

function computeResourceScope(stmt: PolicyStatement, bucketArn: string): ResourceScope {
  const objects = `${bucketArn}/*`;
  const values = stmt.resources.values.map(normalizeResource);
  if (stmt.resources.negated) {
    return {
      bucket: !values.some((v) => globMatches(v, bucketArn)),
      objectsSome: !values.some((v) => globCovers(v, objects)),
      objectsAll: !values.some((v) => globsIntersect(v, objects)),
    };
  }
  return {
    bucket: values.some((v) => globMatches(v, bucketArn)),
    objectsSome: values.some((v) => globsIntersect(v, objects)),
    objectsAll: values.some((v) => globCovers(v, objects)),
  };
}

function grantedActions(stmt: PolicyStatement, scope: ResourceScope, catalog: readonly string[]): string[] {
  return catalog.filter(
    (a) => actionSpecMatches(stmt.actions, a) && (isObjectLevelAction(a) ? scope.objectsSome : scope.bucket),
  );
}

/**
 * `s3:GetObject` on the bucket ARN alone (or `s3:ListBucket` on objects only) grants nothing: the action never
 * meets a matching resource. Only decidable for literal action names; with wildcards we assume it applies.
 */
function literalActionsMissResource(stmt: PolicyStatement, scope: ResourceScope): boolean {
  if (stmt.actions.negated || stmt.actions.values.some((a) => /[*?]/.test(a))) return false;
  return stmt.actions.values.every((a) => (isObjectLevelAction(a) ? !scope.objectsSome : !scope.bucket));
}

function statementLabel(stmt: PolicyStatement): string {
  return stmt.sid ? `Statement ${stmt.index} (Sid "${stmt.sid}")` : `Statement ${stmt.index}`;
}

function actionText(stmt: PolicyStatement): string {
  if (stmt.actions.values.length === 0)
    return "no action (it has neither Action nor NotAction, so it matches no request)";
  const list = stmt.actions.values.join(", ");
  return stmt.actions.negated ? `every action except ${list} (NotAction)` : list;
}

function resourceText(stmt: PolicyStatement): string {
  if (stmt.resources.values.length === 0)
    return "no resource (it has neither Resource nor NotResource, so it matches no request)";
  const list = stmt.resources.values.join(", ");
  return stmt.resources.negated ? `every resource except ${list} (NotResource)` : list;
}

interface DenyGuard {
  stmt: PolicyStatement;
  scope: ResourceScope;
  /** A request passes the Deny only if it satisfies one of these (empty = nothing passes). */
  alternatives: Restriction[];
  /** For NotPrincipal+Deny: the only principals let through. */
  fixedPrincipals: PrincipalClass[] | null;
  description: string;
}

function denyGuard(stmt: PolicyStatement, bucketArn: string): DenyGuard | null {
  if (stmt.effect !== "Deny") return null;
  const scope = resourceScope(stmt, bucketArn);
  if (stmt.principal.negated) {
    if (stmt.conditions.length > 0) return null;
    const fixed = stmt.principal.values.map(classifyPrincipal);
    if (fixed.some((p) => isPublicPrincipal(p) || p.kind === "unrecognized")) return null;
    return {
      stmt,
      scope,
      alternatives: [],
      fixedPrincipals: fixed,
      description: `${statementLabel(stmt)} denies everyone except ${fixed.map((p) => p.label).join(", ")}`,
    };
  }
  const everyone = stmt.principal.values.map(classifyPrincipal).some((p) => p.kind === "everyone");
  if (!everyone) return null;
  if (stmt.conditions.length === 0) {
    return {
      stmt,
      scope,
      alternatives: [],
      fixedPrincipals: null,
      description: `${statementLabel(stmt)} denies everyone unconditionally`,
    };
  }
  const alternatives: Restriction[] = [];
  for (const clause of stmt.conditions) {
    const implied = denyClauseImpliedRestriction(clause);
    if (!implied) return null;
    alternatives.push(implied);
  }
  return {
    stmt,
    scope,
    alternatives,
    fixedPrincipals: null,
    description: `${statementLabel(stmt)} denies every request unless ${alternatives.map((r) => `not (${r.description})`).join(" or ")}`,
  };
}

function guardCovers(guard: DenyGuard, allow: PolicyStatement, allowScope: ResourceScope, bucketArn: string): boolean {
  if (!actionSpecCovers(guard.stmt.actions, allow.actions)) return false;
  if (allowScope.bucket && !guard.scope.bucket) return false;
  if (allowScope.objectsSome && !guard.scope.objectsAll) {
    if (allow.resources.negated || guard.stmt.resources.negated) return false;
    const objects = `${bucketArn}/*`;
    const allowObjectPatterns = allow.resources.values.map(normalizeResource).filter((v) => globsIntersect(v, objects));
    const denyPatterns = guard.stmt.resources.values.map(normalizeResource);
    if (!allowObjectPatterns.every((ap) => denyPatterns.some((dp) => globCovers(dp, ap)))) return false;
  }
  return true;
}

function intersect(a: string[] | null, b: string[] | null): string[] | null {
  if (a === null) return b;
  if (b === null) return a;
  return a.filter((x) => b.includes(x));
}

/** Accounts a wildcard grant is pinned to by its conditions and guards, or null when not pinned to accounts. */
function pinnedAccounts(restrictions: Restriction[], guards: DenyGuard[]): string[] | null {
  let accounts: string[] | null = null;
  for (const r of restrictions) if (r.accountIds) accounts = intersect(accounts, r.accountIds);
  for (const g of guards) {
    if (g.fixedPrincipals) {
      const ids = g.fixedPrincipals.map((p) => ("accountId" in p ? p.accountId : null));
      if (ids.every((id): id is string => id !== null)) accounts = intersect(accounts, [...new Set(ids)]);
    } else if (g.alternatives.length > 0 && g.alternatives.every((r) => r.accountIds)) {
      accounts = intersect(accounts, [...new Set(g.alternatives.flatMap((r) => r.accountIds!))]);
    } else if (g.alternatives.length === 0) {
      accounts = [];
    }
  }
  return accounts;
}

/** AWS-owned accounts that appear in legacy log-delivery bucket policies; named so people recognise them. */
const KNOWN_AWS_ACCOUNTS: Record<string, string> = {
  "127311923021": "AWS Elastic Load Balancing log delivery account for us-east-1",
  "033677994240": "AWS Elastic Load Balancing log delivery account for us-east-2",
  "027434742980": "AWS Elastic Load Balancing log delivery account for us-west-1",
  "797873946194": "AWS Elastic Load Balancing log delivery account for us-west-2",
  "156460612806": "AWS Elastic Load Balancing log delivery account for eu-west-1",
  "054676820928": "AWS Elastic Load Balancing log delivery account for eu-central-1",
};

const SOURCE_KEYS = new Set(["aws:sourceaccount", "aws:sourcearn", "aws:sourceowner"]);

function isTrusted(ctx: PolicyAnalysisContext, value: string | null): boolean {
  return value !== null && ctx.trustedAccountIds !== undefined && idSet(ctx.trustedAccountIds).has(value);
}

export function analyzeBucketPolicy(policy: unknown, ctx: PolicyAnalysisContext): PolicyAnalysis {
  const parsed = parseBucketPolicy(policy);
  if (!parsed.ok) return { error: parsed.error };
  const bucketArn = `arn:aws:s3:::${ctx.bucketName}`;
  const statements = parsed.policy.statements;
  const guards = statements.map((s) => denyGuard(s, bucketArn)).filter((g): g is DenyGuard => g !== null);

  const verdicts: StatementVerdict[] = [];
  const readers: AccessGrant[] = [];
  const writers: AccessGrant[] = [];
  const cross: CrossAccountPrincipal[] = [];

  for (const stmt of statements) {
    const scope = resourceScope(stmt, bucketArn);
    const label = statementLabel(stmt);
    const touches =
      actionSpecTouchesS3(stmt.actions) &&
      (scope.bucket || scope.objectsSome) &&
      !literalActionsMissResource(stmt, scope);

    if (stmt.effect === "Deny") {
      verdicts.push({
        index: stmt.index,
        sid: stmt.sid,
        effect: "Deny",
        appliesToBucket: touches,
        public: false,
        publicRead: false,
        publicWrite: false,
        why: `${label}: Deny of ${actionText(stmt)} — a Deny never grants access, so it cannot make the bucket public${
          touches ? "" : " (and it does not apply to this bucket)"
        }.`,
      });
      continue;
    }

    if (!touches) {
      const reason = !actionSpecTouchesS3(stmt.actions)
        ? `grants no S3 action (${actionText(stmt)})`
        : scope.bucket || scope.objectsSome
          ? `of ${actionText(stmt)} on ${resourceText(stmt)} grants nothing: those actions need the ${
              scope.bucket ? "object ARN (bucket/*)" : "bucket ARN"
            }`
          : `does not apply to this bucket (${resourceText(stmt)})`;
      verdicts.push({
        index: stmt.index,
        sid: stmt.sid,
        effect: "Allow",
        appliesToBucket: false,
        public: false,
        publicRead: false,
        publicWrite: false,
        why: `${label}: Allow ${reason}.`,
      });
      continue;
    }

    const read = grantedActions(stmt, scope, S3_READ_ACTIONS);
    const write = grantedActions(stmt, scope, S3_WRITE_ACTIONS);
    const principals: PrincipalClass[] = stmt.principal.negated
      ? [
          {
            kind: "everyone",
            label: `everyone except ${stmt.principal.values.map((p) => p.value).join(", ")} (NotPrincipal with Allow)`,
          },
        ]
      : stmt.principal.values.map(classifyPrincipal);

    const restrictions: Restriction[] = [];
    const looseReasons: string[] = [];
    for (const clause of stmt.conditions) {
      const a = assessAllowClause(clause);
      if (a.restricting) restrictions.push(a.restriction);
      else looseReasons.push(a.reason);
    }
    const coveringGuards = guards.filter((g) => guardCovers(g, stmt, scope, bucketArn));
    const restrictedBy = [...restrictions.map((r) => r.description), ...coveringGuards.map((g) => g.description)];
    const anyPublicPrincipal = principals.some(isPublicPrincipal);
    const isPublic = anyPublicPrincipal && restrictedBy.length === 0;
    const accessWords =
      read.length > 0 && write.length > 0
        ? "public read and write"
        : read.length > 0
          ? "public read"
          : write.length > 0
            ? "public write"
            : "public (bucket metadata actions only, no object read or write)";

    let why = `${label}: Allow ${principals.map((p) => p.label).join(", ")} ${actionText(stmt)} on ${resourceText(stmt)}`;
    if (isPublic) {
      why += ` with no condition that limits who → ${accessWords}`;
      if (looseReasons.length > 0) why += `. Conditions that do not limit who: ${looseReasons.join("; ")}`;
    } else if (anyPublicPrincipal) {
      why += ` → not public: limited by ${restrictedBy.join("; and ")}`;
    } else {
      why += ` → not public (fixed principals)`;
    }
    why += ".";

    verdicts.push({
      index: stmt.index,
      sid: stmt.sid,
      effect: "Allow",
      appliesToBucket: true,
      public: isPublic,
      publicRead: isPublic && read.length > 0,
      publicWrite: isPublic && write.length > 0,
      why,
    });

    const statementAccounts = pinnedAccounts(restrictions, coveringGuards);
    const orgIds = restrictions.flatMap((r) => r.orgIds ?? []);

    for (const p of principals) {
      const base = { statementIndex: stmt.index, sid: stmt.sid, restrictedBy };
      let kind: GranteeKind;
      let accountId: string | null = null;
      const grantPublic = isPublicPrincipal(p) && isPublic;
      switch (p.kind) {
        case "everyone":
          kind = "everyone";
          break;
        case "federated":
          kind = "federated";
          break;
        case "account":
        case "iam-principal":
          accountId = p.accountId;
          kind = p.accountId === ctx.ownerAccountId ? "owner-account" : "other-account";
          break;
        case "service":
          kind = "service";
          break;
        case "canonical-user":
          kind = ctx.ownerCanonicalId && p.canonicalId === ctx.ownerCanonicalId ? "owner-account" : "canonical-user";
          accountId = kind === "owner-account" ? ctx.ownerAccountId : null;
          break;
        case "cloudfront-oai":
          kind = "cloudfront-oai";
          break;
        case "deleted-principal":
          kind = "deleted-principal";
          break;
        default:
          kind = "unrecognized";
      }
      if (read.length > 0)
        readers.push({ principal: p.label, kind, accountId, public: grantPublic, actions: read, ...base });
      if (write.length > 0)
        writers.push({ principal: p.label, kind, accountId, public: grantPublic, actions: write, ...base });

      // Cross-account view: who outside the owner account can reach the bucket through this statement.
      const rw = { read: read.length > 0, write: write.length > 0, statementIndex: stmt.index, sid: stmt.sid };
      if (p.kind === "account" || p.kind === "iam-principal") {
        if (p.accountId !== ctx.ownerAccountId) {
          const known = KNOWN_AWS_ACCOUNTS[p.accountId];
          cross.push({
            principal: p.kind === "account" ? p.accountId : p.arn,
            kind: p.kind,
            accountId: p.accountId,
            trusted: isTrusted(ctx, p.accountId),
            unscopedService: false,
            note: known
              ? `${known}; add it to the trusted accounts if this bucket receives those logs`
              : `principal in account ${p.accountId}`,
            ...rw,
          });
        }
      } else if (p.kind === "service") {
        const sourceRestrictions = restrictions.filter((r) => SOURCE_KEYS.has(r.key.toLowerCase()));
        if (sourceRestrictions.length === 0) {
          cross.push({
            principal: p.service,
            kind: "service",
            accountId: null,
            trusted: false,
            unscopedService: true,
            note: `service principal ${p.service} without an aws:SourceAccount or aws:SourceArn condition: the service acting for any AWS account can use this grant (confused deputy)`,
            ...rw,
          });
        } else {
          const accounts = pinnedAccounts(sourceRestrictions, []) ?? [];
          for (const account of accounts.filter((a) => a !== ctx.ownerAccountId)) {
            cross.push({
              principal: p.service,
              kind: "service",
              accountId: account,
              trusted: isTrusted(ctx, account),
              unscopedService: false,
              note: `service ${p.service} acting for account ${account}`,
              ...rw,
            });
          }
        }
      } else if (p.kind === "canonical-user" && kind !== "owner-account") {
        cross.push({
          principal: p.canonicalId,
          kind: "canonical-user",
          accountId: null,
          trusted: isTrusted(ctx, p.canonicalId),
          unscopedService: false,
          note: "canonical user id; the account behind it cannot be read from the policy",
          ...rw,
        });
      } else if (isPublicPrincipal(p) && !isPublic) {
        if (statementAccounts !== null) {
          for (const account of statementAccounts.filter((a) => a !== ctx.ownerAccountId)) {
            cross.push({
              principal: account,
              kind: "account-via-condition",
              accountId: account,
              trusted: isTrusted(ctx, account),
              unscopedService: false,
              note: `wildcard principal limited to account ${account} by a condition`,
              ...rw,
            });
          }
        } else {
          for (const org of orgIds) {
            cross.push({
              principal: org,
              kind: "organization",
              accountId: null,
              trusted: isTrusted(ctx, org),
              unscopedService: false,
              note: `every account in organization ${org} (aws:PrincipalOrgID)`,
              ...rw,
            });
          }
        }
      }
    }
  }

  const secureTransport = analyzeSecureTransport(statements, bucketArn);
  const publicStatements = verdicts
    .filter((v) => v.public)
    .map((v) => ({ index: v.index, sid: v.sid, read: v.publicRead, write: v.publicWrite, why: v.why }));
  return {
    error: null,
    isPublic: publicStatements.length > 0,
    allowsPublicRead: publicStatements.some((s) => s.read),
    allowsPublicWrite: publicStatements.some((s) => s.write),
    publicStatements,
    enforcesSecureTransport: secureTransport.enforced,
    secureTransport,
    crossAccountPrincipals: cross,
    readers,
    writers,
    statements: verdicts,
  };
}

/**
 * HTTPS-only (S3_BUCKET_SSL_REQUESTS_ONLY, Security Hub S3.5): an explicit Deny to everyone when
 * aws:SecureTransport is false. An Allow conditioned on SecureTransport=true does not count: IAM policies in the
 * caller's account can still allow plain HTTP. We require the Deny(s) to cover reading objects, writing objects
 * and listing the bucket; a Deny with further conditions only applies when those also hold, so it does not count.
 */
function analyzeSecureTransport(statements: PolicyStatement[], bucketArn: string): SecureTransportVerdict {
  // Object reads and writes carry the data; bucket-level requests (listing, policy/ACL reads and writes) carry
  // key names and access settings. Any of those bucket-level actions denied on the bucket ARN counts, so
  // `s3:Get*` + `s3:Put*` on both ARNs is accepted, as is `s3:*`.
  const needs = [
    { actions: ["s3:GetObject"], objects: true, label: "s3:GetObject on objects" },
    { actions: ["s3:PutObject"], objects: true, label: "s3:PutObject on objects" },
    {
      actions: ["s3:ListBucket", "s3:GetBucketPolicy", "s3:GetBucketAcl", "s3:PutBucketPolicy", "s3:PutBucketAcl"],
      objects: false,
      label: "bucket-level requests (s3:ListBucket, s3:GetBucket*, s3:PutBucket*) on the bucket ARN",
    },
  ];
  const covered = new Set<string>();
  const used: number[] = [];
  let allowTrueSeen = false;
  for (const stmt of statements) {
    const clause = stmt.conditions.length === 1 ? stmt.conditions[0]! : null;
    const isSecureTransportClause = (c: typeof clause, value: string) =>
      c !== null &&
      c.keyLower === "aws:securetransport" &&
      c.baseOperator.toLowerCase() === "bool" &&
      c.setQualifier === null &&
      c.values.length > 0 &&
      c.values.every((v) => v.toLowerCase() === value);
    if (stmt.effect === "Allow" && stmt.conditions.some((c) => isSecureTransportClause(c, "true")))
      allowTrueSeen = true;
    if (stmt.effect !== "Deny" || stmt.principal.negated || !isSecureTransportClause(clause, "false")) continue;
    if (!stmt.principal.values.map(classifyPrincipal).some((p) => p.kind === "everyone")) continue;
    const scope = resourceScope(stmt, bucketArn);
    let useful = false;
    for (const need of needs) {
      if (covered.has(need.label)) continue;
      const resourceOk = need.objects ? scope.objectsAll : scope.bucket;
      if (resourceOk && need.actions.some((a) => actionSpecMatches(stmt.actions, a))) {
        covered.add(need.label);
        useful = true;
      }
    }
    if (useful) used.push(stmt.index);
  }
  const missing = needs.filter((n) => !covered.has(n.label)).map((n) => n.label);
  const enforced = missing.length === 0;
  let why: string;
  if (enforced) {
    why = `Deny when aws:SecureTransport is false in statement${used.length > 1 ? "s" : ""} ${used.join(", ")} covers the bucket and all its objects.`;
  } else if (used.length === 0) {
    why = "No statement denies requests where aws:SecureTransport is false to everyone";
    if (allowTrueSeen)
      why += " (an Allow conditioned on aws:SecureTransport=true does not stop HTTP: other grants still apply)";
    why += ".";
  } else {
    why = `The SecureTransport Deny in statement${used.length > 1 ? "s" : ""} ${used.join(", ")} leaves HTTP open for: ${missing.join(", ")}.`;
  }
  return { enforced, statementIndexes: used, missing, why };
}

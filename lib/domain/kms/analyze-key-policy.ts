/**
 * Who can decrypt with a KMS key, from its key policy — the other half of "can an outsider read our data": an
 * account granted s3:GetObject on an SSE-KMS bucket still gets nothing unless the key lets it call kms:Decrypt.
 *
 * Same policy engine as bucket policies (parse-policy, principals, conditions), with KMS's own reading:
 *   - A key policy's Resource is the key itself ("*"), so resources are not compared.
 *   - The key's own account as principal (`arn:aws:iam::<key account>:root`) lets IAM policies in that account
 *     grant use of the key: that is "the key's account", not one person.
 *   - `"*"` / `{"AWS":"*"}` is everyone unless a condition pins fixed values of a key that limits who (the keys of
 *     conditions.ts plus kms:CallerAccount): pinned accounts and organisations are named and placed inside or
 *     outside our organisation; a network pin (aws:SourceVpce …) limits who but names no account.
 *   - kms:ViaService limits *how* (only through S3 in a region, say), not who: it is reported beside the grant.
 *   - A Deny never grants. A Deny of kms:Decrypt to everyone unless a fixed value (e.g. aws:PrincipalOrgID) holds
 *     narrows every Allow it covers to that value; an unconditional Deny removes them.
 * A policy that cannot be read is an error with its reason: the caller reports "who can decrypt" as unknown.
 */
import { assessAllowClause, denyClauseImpliedRestriction, type Restriction } from "@/lib/domain/policy/conditions";
import { parseBucketPolicy, type PolicyStatement } from "@/lib/domain/policy/parse-policy";
import { classifyPrincipal, isPublicPrincipal, type PrincipalClass } from "@/lib/domain/policy/principals";
import { actionSpecMatches } from "@/lib/domain/policy/s3-actions";

export interface KeyPolicyContext {
  /** The account that owns the key (from its ARN). */
  keyAccountId: string;
  /** Our organisation's id (o-…), when known. */
  organizationId: string | null;
  /** Accounts of our organisation (the key's account need not be one: a third party's key is analysed too). */
  organizationAccountIds: ReadonlySet<string>;
}

/** Where a decrypter stands relative to the key's owner and our organisation. */
export type DecrypterScope =
  | "everyone"
  | "key-account"
  | "organization-account"
  | "organization"
  | "outside-organization"
  | "service"
  | "conditional";

export interface DecryptGrant {
  /** Who, in words. */
  principal: string;
  scope: DecrypterScope;
  /** The account granted, when one is named or pinned. */
  accountId: string | null;
  /** The organisation pinned by aws:PrincipalOrgID, for scope "organization" / an outside organisation. */
  organizationId: string | null;
  /** Services the grant is limited to (kms:ViaService), e.g. s3.eu-west-1.amazonaws.com. Empty: any. */
  viaServices: string[];
  /** Conditions and Deny statements that limit this grant. */
  restrictedBy: string[];
  statementIndex: number;
  sid: string | null;
}

export interface KeyPolicyAnalysisOk {
  error: null;
  grants: DecryptGrant[];
  /** Anyone at all (anonymous included) can call kms:Decrypt. */
  everyoneCanDecrypt: boolean;
  /** Accounts outside our organisation that can decrypt (named or pinned by a condition). */
  outsideAccounts: string[];
}

export type KeyPolicyAnalysis = KeyPolicyAnalysisOk | { error: string };

const DECRYPT = "kms:Decrypt";

interface DenyLimit {
  /** Requests pass only if they satisfy one of these; empty = nothing passes. */
  alternatives: Restriction[];
  /** The Deny names principals: it removes grants to these accounts (null = it applies to everyone). */
  deniedAccounts: string[] | null;
  description: string;
}

function label(stmt: PolicyStatement): string {
  return stmt.sid ? `Statement ${stmt.index} (Sid "${stmt.sid}")` : `Statement ${stmt.index}`;
}

function denyLimit(stmt: PolicyStatement): DenyLimit | null {
  if (stmt.effect !== "Deny" || !actionSpecMatches(stmt.actions, DECRYPT) || stmt.principal.negated) return null;
  const principals = stmt.principal.values.map(classifyPrincipal);
  if (!principals.some((p) => p.kind === "everyone")) {
    if (stmt.conditions.length > 0) return null;
    const accounts = principals.map((p) => ("accountId" in p ? p.accountId : null));
    if (!accounts.every((a): a is string => a !== null)) return null;
    return { alternatives: [], deniedAccounts: accounts, description: `${label(stmt)} denies ${accounts.join(", ")}` };
  }
  if (stmt.conditions.length === 0) {
    return { alternatives: [], deniedAccounts: null, description: `${label(stmt)} denies kms:Decrypt to everyone` };
  }
  const alternatives: Restriction[] = [];
  for (const clause of stmt.conditions) {
    const implied = denyClauseImpliedRestriction(clause);
    // A Deny with a condition we cannot turn into "only callers with X get through" limits nothing we can name.
    if (!implied) return null;
    alternatives.push(implied);
  }
  return {
    alternatives,
    deniedAccounts: null,
    description: `${label(stmt)} denies kms:Decrypt unless ${alternatives.map((r) => `not (${r.description})`).join(" or ")}`,
  };
}

export function analyzeKeyPolicy(policy: unknown, ctx: KeyPolicyContext): KeyPolicyAnalysis {
  const parsed = parseBucketPolicy(policy);
  if (!parsed.ok) return { error: parsed.error };
  const statements = parsed.policy.statements;
  const limits = statements.map(denyLimit).filter((d): d is DenyLimit => d !== null);

  const accountScope = (accountId: string): DecrypterScope =>
    accountId === ctx.keyAccountId
      ? "key-account"
      : ctx.organizationAccountIds.has(accountId)
        ? "organization-account"
        : "outside-organization";

  const grants: DecryptGrant[] = [];
  for (const stmt of statements) {
    if (stmt.effect !== "Allow" || !actionSpecMatches(stmt.actions, DECRYPT)) continue;
    const principals: PrincipalClass[] = stmt.principal.negated
      ? [{ kind: "everyone", label: "everyone except the listed principals (NotPrincipal with Allow)" }]
      : stmt.principal.values.map(classifyPrincipal);

    const restrictions: Restriction[] = [];
    const viaServices: string[] = [];
    for (const clause of stmt.conditions) {
      if (
        clause.keyLower === "kms:viaservice" &&
        !clause.ifExists &&
        clause.baseOperator.toLowerCase().startsWith("stringequals")
      ) {
        viaServices.push(...clause.values);
        continue;
      }
      const assessed = assessAllowClause(clause);
      if (assessed.restricting) restrictions.push(assessed.restriction);
    }
    const applicable = limits.filter((l) => l.deniedAccounts === null);
    if (applicable.some((l) => l.alternatives.length === 0)) continue; // denied to everyone: nobody decrypts
    const pins = [...restrictions, ...applicable.flatMap((l) => (l.alternatives.length === 1 ? l.alternatives : []))];
    const restrictedBy = [...restrictions.map((r) => r.description), ...applicable.map((l) => l.description)];
    const base = { viaServices, restrictedBy, statementIndex: stmt.index, sid: stmt.sid };
    const denied = (accountId: string | null) =>
      accountId !== null && limits.some((l) => l.deniedAccounts?.includes(accountId));

    for (const p of principals) {
      if (p.kind === "account" || p.kind === "iam-principal") {
        if (denied(p.accountId) || !admittedByPins(p.accountId, pins, ctx)) continue;
        grants.push({
          principal: p.label,
          scope: accountScope(p.accountId),
          accountId: p.accountId,
          organizationId: null,
          ...base,
        });
      } else if (p.kind === "service") {
        const accounts = pinnedAccounts(pins);
        grants.push({
          principal: p.label,
          scope: "service",
          accountId: accounts?.[0] ?? null,
          organizationId: null,
          ...base,
        });
      } else if (isPublicPrincipal(p)) {
        const accounts = pinnedAccounts(pins);
        const orgs = pins.flatMap((r) => r.orgIds ?? []);
        if (accounts !== null) {
          for (const accountId of accounts) {
            if (denied(accountId)) continue;
            grants.push({
              principal: `account ${accountId} (by condition)`,
              scope: accountScope(accountId),
              accountId,
              organizationId: null,
              ...base,
            });
          }
        } else if (orgs.length > 0) {
          for (const org of [...new Set(orgs)]) {
            const ours = ctx.organizationId !== null && org === ctx.organizationId;
            grants.push({
              principal: `every account in organisation ${org} (aws:PrincipalOrgID)`,
              scope: ours ? "organization" : "outside-organization",
              accountId: null,
              organizationId: org,
              ...base,
            });
          }
        } else if (pins.length > 0) {
          grants.push({
            principal: `${p.label}, limited by conditions`,
            scope: "conditional",
            accountId: null,
            organizationId: null,
            ...base,
          });
        } else {
          grants.push({ principal: p.label, scope: "everyone", accountId: null, organizationId: null, ...base });
        }
      } else {
        grants.push({ principal: p.label, scope: "conditional", accountId: null, organizationId: null, ...base });
      }
    }
  }
  const outsideAccounts = [
    ...new Set(
      grants.filter((g) => g.scope === "outside-organization" && g.accountId).map((g) => g.accountId as string),
    ),
  ];
  return { error: null, grants, everyoneCanDecrypt: grants.some((g) => g.scope === "everyone"), outsideAccounts };
}

/**
 * Can a request from this account satisfy every pin? An account pin must name it; a pin to OUR organisation
 * excludes accounts we know are outside it. A pin to another organisation is left open: we cannot list its members.
 */
function admittedByPins(accountId: string, pins: Restriction[], ctx: KeyPolicyContext): boolean {
  return pins.every((r) => {
    if (r.accountIds) return r.accountIds.includes(accountId);
    if (r.orgIds && ctx.organizationId !== null && r.orgIds.every((o) => o === ctx.organizationId)) {
      return ctx.organizationAccountIds.has(accountId);
    }
    return true;
  });
}

/** Accounts all account pins agree on (their intersection), or null when nothing pins accounts. */
function pinnedAccounts(pins: Restriction[]): string[] | null {
  let accounts: string[] | null = null;
  for (const r of pins) {
    if (!r.accountIds) continue;
    accounts = accounts === null ? [...r.accountIds] : accounts.filter((a) => r.accountIds!.includes(a));
  }
  return accounts;
}

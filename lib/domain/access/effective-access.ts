/**
 * Effective access from outside the organisation, per bucket and external principal: what the bucket grants (its
 * policy and ACL, as Block Public Access and Object Ownership leave them — effective-exposure.ts) AND, to read
 * objects encrypted with a customer managed KMS key, what the key grants (kms:Decrypt in its key policy —
 * analyze-key-policy.ts). A bucket grant the key does not match is "granted by the bucket, blocked by the key".
 *
 * How the key enters each verdict:
 *   - Read under SSE-S3 (or no default encryption): the bucket grant alone suffices; S3 decrypts for anyone it lets in.
 *   - Read under the AWS managed key (alias/aws/s3): its key policy admits only callers of the bucket's own account
 *     (kms:CallerAccount), so AWS managed keys cannot be used across accounts: an outsider is blocked by the key.
 *   - Read under a customer managed key: the principal needs a Decrypt grant — to its account, to its organisation
 *     (aws:PrincipalOrgID), or to everyone — that S3 can use (kms:ViaService, when present, must name S3). An
 *     unreadable key policy makes the read unknown, with the reason, never effective or blocked.
 *   - Write: the bucket grant alone. A writer can name its own encryption in the request (SSE-S3, its own key), so
 *     the default key does not stop writes.
 * The verdict is about objects written under the bucket's default encryption; objects uploaded with their own
 * encryption header follow their own key.
 */
import type { AclPermission } from "../bucket-settings";
import { exposureFor } from "../controls/control-helpers";
import type { ControlInput } from "../controls/control-input";
import type { DecryptGrant } from "../kms/analyze-key-policy";
import { bucketKeyChoice, organizationAccountSet, type BucketKeyChoice, type BucketKmsKey } from "../kms/bucket-key";
import { globCovers } from "../policy/glob-match";
import { parseBucketPolicy } from "../policy/parse-policy";
import { classifyPrincipal } from "../policy/principals";
import { actionSpecMatches } from "../policy/s3-actions";

/** A bucket's key and its effective access from outside, as the bucket page shows them. */
export interface BucketKeyAccess {
  /** What the default encryption names; null when the encryption setting could not be read (reason given). */
  choice: BucketKeyChoice | null;
  encryptionUnknown: string | null;
  key: BucketKmsKey | null;
  access: EffectiveAccess;
}

/** What effective access reads: a control input; the bucket's classification plays no part. */
export type EffectiveAccessInput = Omit<ControlInput, "classification">;

export type AccessReach = "effective" | "blocked-by-key" | "unknown";

export interface AccessVerdict {
  reach: AccessReach;
  /** Why, in words: what the bucket grants and what the key says. */
  reason: string;
}

export type ExternalPrincipalKind = "account" | "organization" | "canonical-user" | "everyone";

export interface ExternalPrincipalAccess {
  /** Account id, organisation id (o-…), canonical user id, or "everyone". */
  principal: string;
  kind: ExternalPrincipalKind;
  accountId: string | null;
  /** null: the bucket grants this principal no read (or no write). */
  read: AccessVerdict | null;
  write: AccessVerdict | null;
  /** Where the bucket grants it: policy statements, ACL grants. */
  grantedBy: string[];
}

export interface EffectiveAccess {
  principals: ExternalPrincipalAccess[];
  /** Parts of the bucket's grants that could not be read: who else might get in is unknown. */
  unknowns: string[];
  /**
   * Outsiders the bucket's customer managed key lets decrypt although the bucket grants them nothing: no access
   * today, one bucket-policy change away from it.
   */
  keyOnly: { principal: string; kind: ExternalPrincipalKind; accountId: string | null; reason: string }[];
  /**
   * Someone outside the organisation can effectively read or write: true; nobody, and everything was read: false;
   * null when a grant's effect or part of the bucket's grants is unknown.
   */
  reachableFromOutside: boolean | null;
}

const ACL_READ: readonly AclPermission[] = ["READ", "FULL_CONTROL"];
const ACL_WRITE: readonly AclPermission[] = ["WRITE", "FULL_CONTROL"];

interface Subject {
  kind: ExternalPrincipalKind;
  principal: string;
  accountId: string | null;
}

const EVERYONE: Subject = { kind: "everyone", principal: "everyone", accountId: null };

/** Whether the bucket's default encryption lets this principal decrypt what the bucket lets it read. */
function keyVerdictForRead(input: EffectiveAccessInput, who: Subject): AccessVerdict {
  const encryption = input.settings.encryption;
  if (encryption.status === "unknown") {
    return { reach: "unknown", reason: `default encryption could not be read: ${encryption.reason}` };
  }
  const choice = encryption.status === "absent" ? null : bucketKeyChoice(encryption.value);
  if (!choice || choice.kind === "none") {
    return { reach: "effective", reason: "SSE-S3: the bucket's grant alone lets it read" };
  }
  if (choice.kind === "aws-managed") {
    return {
      reach: "blocked-by-key",
      reason: "the AWS managed key alias/aws/s3 admits only callers of the bucket's own account",
    };
  }
  const key = input.kmsKey;
  if (!key) return { reach: "unknown", reason: `key ${choice.keyRef} was not loaded` };
  const name = key.arn ?? key.keyRef;
  if (key.awsManaged) {
    return { reach: "blocked-by-key", reason: `${name} is an AWS managed key: it cannot be used by other accounts` };
  }
  if (key.policy.error !== null)
    return { reach: "unknown", reason: `who can decrypt with ${name} is unknown: ${key.policy.error}` };

  const viaS3 = (g: DecryptGrant) => g.viaServices.length === 0 || g.viaServices.some((s) => /^s3[.-]/.test(s));
  const grants = key.policy.grants.filter(viaS3);
  const describe = (g: DecryptGrant) => `${name} lets ${g.principal} decrypt (statement ${g.statementIndex})`;
  const everyone = grants.find((g) => g.scope === "everyone");
  if (everyone) return { reach: "effective", reason: describe(everyone) };
  if (who.accountId !== null) {
    const match = grants.find((g) => g.accountId === who.accountId && g.scope !== "service");
    if (match) return { reach: "effective", reason: describe(match) };
  }
  if (who.kind === "organization") {
    const match = grants.find((g) => g.organizationId === who.principal);
    if (match) return { reach: "effective", reason: describe(match) };
  }
  // Grants Custody cannot place for this principal: to another organisation (its members are not known here), or
  // to everyone under conditions that name no account.
  const open = grants.filter(
    (g) =>
      g.scope === "conditional" ||
      (g.scope === "outside-organization" && g.accountId === null && who.kind !== "organization") ||
      (who.kind === "canonical-user" && g.scope === "outside-organization"),
  );
  if (open.length > 0) {
    return {
      reach: "unknown",
      reason: `${name} lets ${open.map((g) => g.principal).join("; ")} decrypt, which may include ${who.principal}`,
    };
  }
  const excluded = key.policy.grants.filter(
    (g) => !viaS3(g) && (g.scope === "everyone" || g.accountId === who.accountId),
  );
  return {
    reach: "blocked-by-key",
    reason:
      excluded.length > 0
        ? `${name} lets it decrypt only through ${excluded.flatMap((g) => g.viaServices).join(", ")}, not S3`
        : `${name} does not let ${who.kind === "everyone" ? "everyone" : who.principal} decrypt`,
  };
}

/**
 * Accounts an unconditional Deny in the bucket policy shuts out of reading (s3:GetObject) or writing (s3:PutObject)
 * every object: the policy engine narrows wildcard grants by Denies; a Deny naming an account (its root), or a Deny
 * with NotPrincipal listing no principal of the account, is applied here. A Deny naming one role of the account
 * leaves the account's other principals in.
 */
function denyRules(policyJson: string, bucketName: string) {
  const rules: { mode: "read" | "write"; denies: (accountId: string) => boolean }[] = [];
  const parsed = parseBucketPolicy(policyJson);
  if (!parsed.ok) return rules;
  const objects = `arn:aws:s3:::${bucketName}/*`;
  for (const stmt of parsed.policy.statements) {
    if (stmt.effect !== "Deny" || stmt.conditions.length > 0 || stmt.resources.negated) continue;
    if (!stmt.resources.values.some((r) => globCovers(r, objects))) continue;
    const principals = stmt.principal.values.map(classifyPrincipal);
    let denies: (accountId: string) => boolean;
    if (stmt.principal.negated) {
      // Deny with NotPrincipal: everyone but the listed principals. An account none of them belongs to is out.
      if (principals.some((p) => !("accountId" in p))) continue;
      const spared = new Set(principals.map((p) => ("accountId" in p ? p.accountId : "")));
      denies = (accountId) => !spared.has(accountId);
    } else {
      const named = new Set(principals.flatMap((p) => (p.kind === "account" ? [p.accountId] : [])));
      denies = (accountId) => named.has(accountId);
    }
    if (actionSpecMatches(stmt.actions, "s3:GetObject")) rules.push({ mode: "read", denies });
    if (actionSpecMatches(stmt.actions, "s3:PutObject")) rules.push({ mode: "write", denies });
  }
  return rules;
}

export function computeEffectiveAccess(input: EffectiveAccessInput): EffectiveAccess {
  const e = exposureFor(input);
  const orgAccounts = organizationAccountSet(input.organization);
  const ownOrg = input.organization.organizationId;
  const unknowns: string[] = [];
  const subjects = new Map<string, Subject & { read: string[]; write: string[] }>();
  const grant = (who: Subject, mode: "read" | "write", where: string) => {
    let s = subjects.get(who.principal);
    if (!s) {
      s = { ...who, read: [], write: [] };
      subjects.set(who.principal, s);
    }
    if (!s[mode].includes(where)) s[mode].push(where);
  };

  if (e.publicRead.status === "public") grant(EVERYONE, "read", `public: ${e.publicRead.reason}`);
  else if (e.publicRead.status === "unknown") unknowns.push(`public read unknown: ${e.publicRead.reason}`);
  if (e.publicWrite.status === "public") grant(EVERYONE, "write", `public: ${e.publicWrite.reason}`);
  else if (e.publicWrite.status === "unknown") unknowns.push(`public write unknown: ${e.publicWrite.reason}`);

  const policy = e.policy.analysis;
  if (policy && !e.policy.crossAccountBlocked) {
    const settings = input.settings.policy;
    const denies = settings.status === "present" ? denyRules(settings.value.json, input.bucket.name) : [];
    const deniedTo = (who: Subject, mode: "read" | "write") =>
      who.accountId !== null && denies.some((d) => d.mode === mode && d.denies(who.accountId!));
    for (const c of policy.crossAccountPrincipals) {
      let who: Subject | null = null;
      if (c.kind === "organization") {
        if (c.principal !== ownOrg) who = { kind: "organization", principal: c.principal, accountId: null };
      } else if (c.kind === "canonical-user") {
        who = { kind: "canonical-user", principal: c.principal, accountId: null };
      } else if (c.kind !== "service" && c.accountId && !orgAccounts.has(c.accountId)) {
        who = { kind: "account", principal: c.accountId, accountId: c.accountId };
      }
      if (!who) continue;
      const where = `bucket policy statement ${c.statementIndex}${c.sid ? ` (Sid "${c.sid}")` : ""}`;
      if (c.read && !deniedTo(who, "read")) grant(who, "read", where);
      if (c.write && !deniedTo(who, "write")) grant(who, "write", where);
    }
  } else if (!policy && e.policy.state !== "absent") {
    unknowns.push(`bucket policy grants unknown: ${e.policy.error ?? "the policy could not be analysed"}`);
  }

  if (e.acl.ignoredBecause !== "BucketOwnerEnforced") {
    if (!e.acl.analysis) {
      unknowns.push(`ACL grants unknown: ${e.acl.publicRead.reason}`);
    } else {
      for (const g of e.acl.analysis.grants) {
        if (g.audience !== "other-account") continue;
        const who: Subject = { kind: "canonical-user", principal: g.grantee, accountId: null };
        if (ACL_READ.includes(g.permission)) grant(who, "read", `ACL ${g.permission}`);
        if (ACL_WRITE.includes(g.permission)) grant(who, "write", `ACL ${g.permission}`);
      }
    }
  }

  const principals: ExternalPrincipalAccess[] = [...subjects.values()].map((s) => {
    let read: AccessVerdict | null = null;
    if (s.read.length > 0) {
      const key = keyVerdictForRead(input, s);
      const granted = `granted by the bucket (${s.read.join("; ")})`;
      read = {
        reach: key.reach,
        reason:
          key.reach === "blocked-by-key"
            ? `${granted}, blocked by the key: ${key.reason}`
            : `${granted}; ${key.reason}`,
      };
    }
    const write: AccessVerdict | null =
      s.write.length > 0
        ? {
            reach: "effective",
            reason: `granted by the bucket (${s.write.join("; ")}); a writer names its own encryption, the key does not stop writes`,
          }
        : null;
    return {
      principal: s.principal,
      kind: s.kind,
      accountId: s.accountId,
      read,
      write,
      grantedBy: [...new Set([...s.read, ...s.write])],
    };
  });
  principals.sort((a, b) => a.principal.localeCompare(b.principal));

  const keyOnly: EffectiveAccess["keyOnly"] = [];
  const key = input.kmsKey;
  const encryption = input.settings.encryption;
  const customer = encryption.status === "present" && bucketKeyChoice(encryption.value).kind === "customer";
  if (customer && key && key.policy.error === null) {
    for (const g of key.policy.grants) {
      const who: Subject | null =
        g.scope === "everyone"
          ? EVERYONE
          : g.scope !== "outside-organization"
            ? null
            : g.accountId
              ? { kind: "account", principal: g.accountId, accountId: g.accountId }
              : g.organizationId
                ? { kind: "organization", principal: g.organizationId, accountId: null }
                : null;
      if (!who || subjects.has(who.principal) || keyOnly.some((k) => k.principal === who.principal)) continue;
      keyOnly.push({
        ...who,
        reason: `${key.arn ?? key.keyRef} lets ${g.principal} decrypt (statement ${g.statementIndex}); the bucket grants it nothing`,
      });
    }
  }

  const verdicts = principals.flatMap((p) => [p.read, p.write]).filter((v): v is AccessVerdict => v !== null);
  const reachableFromOutside = verdicts.some((v) => v.reach === "effective")
    ? true
    : verdicts.some((v) => v.reach === "unknown") || unknowns.length > 0
      ? null
      : false;
  return { principals, unknowns, keyOnly, reachableFromOutside };
}

/**
 * Shared reasoning of least-privilege-read and least-privilege-write: public access, cross-account principals
 * outside the allow-list (bucket policy), and ACL grants beyond the owner. A known violation fails even when
 * another part could not be read; only when nothing failed does an unreadable part make the result unknown.
 */
import type { AclPermission } from "../bucket-settings";
import type { ControlVerdict } from "./control";
import { exposureEvidence, exposureFor, fail, pass, unknownVerdict } from "./control-helpers";
import type { ControlInput } from "./control-input";
import { idSet } from "@/lib/domain/id-set";

const ACL_READ: readonly AclPermission[] = ["READ", "READ_ACP", "FULL_CONTROL"];
const ACL_WRITE: readonly AclPermission[] = ["WRITE", "WRITE_ACP", "FULL_CONTROL"];

export function assessLeastPrivilege(input: ControlInput, mode: "read" | "write"): ControlVerdict {
  const e = exposureFor(input);
  const failures: string[] = [];
  const unknowns: string[] = [];
  const notes: string[] = [];
  const verb = mode === "read" ? "read" : "write";
  const who = mode === "read" ? "readers" : "writers";

  const publicVerdict = mode === "read" ? e.publicRead : e.publicWrite;
  if (publicVerdict.status === "public") failures.push(`public ${verb}: ${publicVerdict.reason}`);
  else if (publicVerdict.status === "unknown") unknowns.push(`public ${verb} unknown: ${publicVerdict.reason}`);

  const crossAccount = (e.policy.analysis?.crossAccountPrincipals ?? []).filter((c) =>
    mode === "read" ? c.read : c.write,
  );
  if (e.policy.analysis) {
    if (e.policy.crossAccountBlocked && crossAccount.length > 0) {
      notes.push("cross-account grants in the policy are cut off by RestrictPublicBuckets (the policy is public)");
    } else {
      for (const c of crossAccount) {
        const where = `statement ${c.statementIndex}${c.sid ? ` (Sid "${c.sid}")` : ""}`;
        if (!c.trusted) failures.push(`${c.note} can ${verb} (${where}) and is not in the trusted accounts`);
      }
    }
  } else if (e.policy.state !== "absent") {
    unknowns.push(`cross-account ${who} unknown: ${e.policy.error ?? "bucket policy could not be analysed"}`);
  }

  const trustedAclGrantees: string[] = [];
  if (e.acl.ignoredBecause !== "BucketOwnerEnforced") {
    const acl = e.acl.analysis;
    if (!acl) {
      unknowns.push(`ACL grants unknown: ${e.acl.publicRead.reason}`);
    } else {
      const perms = mode === "read" ? ACL_READ : ACL_WRITE;
      for (const g of acl.grants) {
        if (!perms.includes(g.permission) || g.audience === "owner") continue;
        if (g.audience === "log-delivery") {
          if (mode === "write") notes.push("the S3 LogDelivery group may write (server access log target)");
          continue;
        }
        if (g.public && e.acl.ignoredBecause === "IgnorePublicAcls") continue;
        if (g.audience === "other-account" && idSet(input.trustedAccountIds).has(g.grantee)) {
          trustedAclGrantees.push(g.grantee);
          continue;
        }
        failures.push(g.why);
      }
    }
  }

  const trusted = crossAccount.filter((c) => c.trusted).map((c) => c.accountId ?? c.principal);
  // The trusted accounts this bucket actually grants to, not the whole allow-list: every linked account is trusted,
  // and copying 1,000 ids into two results per bucket made each 15 KB (GBs at 100,000 buckets, issue 7).
  const evidence = {
    ...exposureEvidence(input, e),
    [mode === "read" ? "crossAccountReaders" : "crossAccountWriters"]: crossAccount,
    trustedAccountsGranted: [...new Set([...trusted, ...trustedAclGrantees])].sort(),
    trustedAccountCount: input.trustedAccountIds.length,
  };
  if (failures.length > 0) return fail(failures.join(" | "), evidence);
  if (unknowns.length > 0) return unknownVerdict(unknowns.join(" | "), evidence);
  const parts = [`no public ${verb}`];
  parts.push(
    trusted.length > 0
      ? `cross-account ${who} all trusted (${[...new Set(trusted)].join(", ")})`
      : `no cross-account ${who}`,
  );
  parts.push(...notes);
  return pass(parts.join("; "), evidence);
}

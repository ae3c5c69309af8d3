/**
 * Bucket ACL analysis. An ACL is public when it grants anything to AllUsers (anonymous) or AuthenticatedUsers
 * (any AWS account — not "your users"). Permissions on a *bucket* ACL mean: READ = list objects, WRITE = create,
 * overwrite and delete objects, READ_ACP = read the ACL, WRITE_ACP = rewrite the ACL (so, grant yourself
 * anything), FULL_CONTROL = all four. Object ACLs are separate and not read here.
 */
import type { AclGrant, AclPermission, AclSettings } from "../bucket-settings";

export const ALL_USERS_URI = "http://acs.amazonaws.com/groups/global/AllUsers";
export const AUTHENTICATED_USERS_URI = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers";
export const LOG_DELIVERY_URI = "http://acs.amazonaws.com/groups/s3/LogDelivery";

export type AclAudience =
  "all-users" | "authenticated-users" | "log-delivery" | "owner" | "other-account" | "unknown-group";

export interface AclGrantFinding {
  grantee: string;
  granteeType: AclGrant["granteeType"];
  displayName: string | null;
  permission: AclPermission;
  audience: AclAudience;
  /** Grants to AllUsers / AuthenticatedUsers. */
  public: boolean;
  read: boolean;
  write: boolean;
  why: string;
}

export interface AclAnalysis {
  isPublic: boolean;
  publicRead: boolean;
  publicWrite: boolean;
  /** AllUsers / AuthenticatedUsers can read the ACL itself (it names the owner and grantees). */
  publicReadAcp: boolean;
  allUsers: AclPermission[];
  authenticatedUsers: AclPermission[];
  logDelivery: AclPermission[];
  /** Grants to canonical users (or e-mail grantees) other than the owner: cross-account access through the ACL. */
  otherAccounts: { grantee: string; displayName: string | null; permissions: AclPermission[] }[];
  grants: AclGrantFinding[];
}

const READS: readonly AclPermission[] = ["READ", "FULL_CONTROL"];
/** WRITE_ACP counts as write: whoever can rewrite the ACL can grant themselves WRITE. */
const WRITES: readonly AclPermission[] = ["WRITE", "WRITE_ACP", "FULL_CONTROL"];

const PERMISSION_MEANING: Record<AclPermission, string> = {
  READ: "list the bucket's objects",
  WRITE: "create, overwrite and delete objects",
  READ_ACP: "read the bucket ACL",
  WRITE_ACP: "rewrite the bucket ACL (and so grant themselves anything)",
  FULL_CONTROL: "list, write and delete objects and read and rewrite the ACL",
};

function audienceOf(grant: AclGrant, ownerId: string): AclAudience {
  if (grant.granteeType === "Group") {
    if (grant.grantee === ALL_USERS_URI) return "all-users";
    if (grant.grantee === AUTHENTICATED_USERS_URI) return "authenticated-users";
    if (grant.grantee === LOG_DELIVERY_URI) return "log-delivery";
    return "unknown-group";
  }
  if (grant.granteeType === "CanonicalUser" && grant.grantee === ownerId) return "owner";
  return "other-account";
}

const AUDIENCE_WORDS: Record<AclAudience, string> = {
  "all-users": "AllUsers (anyone on the internet, no credentials)",
  "authenticated-users": "AuthenticatedUsers (anyone with any AWS account)",
  "log-delivery": "the S3 LogDelivery group (server access log delivery)",
  owner: "the bucket owner",
  "other-account": "another AWS account",
  "unknown-group": "an unrecognized group",
};

export function analyzeAcl(acl: AclSettings): AclAnalysis {
  const grants: AclGrantFinding[] = acl.grants.map((g) => {
    const audience = audienceOf(g, acl.ownerId);
    const isPublicGrant = audience === "all-users" || audience === "authenticated-users";
    const who =
      audience === "other-account"
        ? `${AUDIENCE_WORDS[audience]} (${g.displayName ?? g.grantee})`
        : AUDIENCE_WORDS[audience];
    return {
      grantee: g.grantee,
      granteeType: g.granteeType,
      displayName: g.displayName,
      permission: g.permission,
      audience,
      public: isPublicGrant,
      read: READS.includes(g.permission),
      write: WRITES.includes(g.permission),
      why: `ACL grants ${g.permission} to ${who}: they can ${PERMISSION_MEANING[g.permission]}${isPublicGrant ? " → public" : ""}.`,
    };
  });
  const perms = (audience: AclAudience) => [
    ...new Set(grants.filter((g) => g.audience === audience).map((g) => g.permission)),
  ];
  const others = new Map<string, { grantee: string; displayName: string | null; permissions: AclPermission[] }>();
  for (const g of grants.filter((x) => x.audience === "other-account")) {
    const entry = others.get(g.grantee) ?? { grantee: g.grantee, displayName: g.displayName, permissions: [] };
    if (!entry.permissions.includes(g.permission)) entry.permissions.push(g.permission);
    others.set(g.grantee, entry);
  }
  const publicGrants = grants.filter((g) => g.public);
  return {
    isPublic: publicGrants.length > 0,
    publicRead: publicGrants.some((g) => g.read),
    publicWrite: publicGrants.some((g) => g.write),
    publicReadAcp: publicGrants.some((g) => g.permission === "READ_ACP" || g.permission === "FULL_CONTROL"),
    allUsers: perms("all-users"),
    authenticatedUsers: perms("authenticated-users"),
    logDelivery: perms("log-delivery"),
    otherAccounts: [...others.values()],
    grants,
  };
}

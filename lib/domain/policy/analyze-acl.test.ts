import { describe, expect, it } from "vitest";
import type { AclGrant, AclPermission } from "../bucket-settings";
import { ALL_USERS_URI, AUTHENTICATED_USERS_URI, LOG_DELIVERY_URI, analyzeAcl } from "./analyze-acl";

const OWNER = "owner-canonical-id";
const ownerGrant: AclGrant = {
  granteeType: "CanonicalUser",
  grantee: OWNER,
  displayName: "me",
  permission: "FULL_CONTROL",
};
const group = (uri: string, permission: AclPermission): AclGrant => ({
  granteeType: "Group",
  grantee: uri,
  displayName: null,
  permission,
});

describe("analyzeAcl", () => {
  it.each([
    { name: "owner only", grants: [ownerGrant], pub: false, read: false, write: false, acp: false },
    {
      name: "AllUsers READ",
      grants: [ownerGrant, group(ALL_USERS_URI, "READ")],
      pub: true,
      read: true,
      write: false,
      acp: false,
    },
    {
      name: "AllUsers WRITE",
      grants: [group(ALL_USERS_URI, "WRITE")],
      pub: true,
      read: false,
      write: true,
      acp: false,
    },
    {
      name: "AllUsers READ_ACP",
      grants: [group(ALL_USERS_URI, "READ_ACP")],
      pub: true,
      read: false,
      write: false,
      acp: true,
    },
    {
      name: "AllUsers WRITE_ACP counts as write",
      grants: [group(ALL_USERS_URI, "WRITE_ACP")],
      pub: true,
      read: false,
      write: true,
      acp: false,
    },
    {
      name: "AllUsers FULL_CONTROL",
      grants: [group(ALL_USERS_URI, "FULL_CONTROL")],
      pub: true,
      read: true,
      write: true,
      acp: true,
    },
    {
      name: "AuthenticatedUsers READ is public",
      grants: [group(AUTHENTICATED_USERS_URI, "READ")],
      pub: true,
      read: true,
      write: false,
      acp: false,
    },
    {
      name: "LogDelivery WRITE is not public",
      grants: [group(LOG_DELIVERY_URI, "WRITE"), group(LOG_DELIVERY_URI, "READ_ACP")],
      pub: false,
      read: false,
      write: false,
      acp: false,
    },
    {
      name: "other canonical user is not public",
      grants: [{ granteeType: "CanonicalUser", grantee: "other", displayName: "partner", permission: "READ" }],
      pub: false,
      read: false,
      write: false,
      acp: false,
    },
  ] as const)("$name", ({ grants, pub, read, write, acp }) => {
    const a = analyzeAcl({ ownerId: OWNER, ownerDisplayName: "me", grants: [...grants] });
    expect({ pub: a.isPublic, read: a.publicRead, write: a.publicWrite, acp: a.publicReadAcp }).toEqual({
      pub,
      read,
      write,
      acp,
    });
  });

  it("reports per audience and explains each grant", () => {
    const a = analyzeAcl({
      ownerId: OWNER,
      ownerDisplayName: "me",
      grants: [
        ownerGrant,
        group(AUTHENTICATED_USERS_URI, "READ"),
        group(LOG_DELIVERY_URI, "WRITE"),
        { granteeType: "CanonicalUser", grantee: "other", displayName: "partner", permission: "READ" },
        { granteeType: "CanonicalUser", grantee: "other", displayName: "partner", permission: "WRITE" },
      ],
    });
    expect(a.allUsers).toEqual([]);
    expect(a.authenticatedUsers).toEqual(["READ"]);
    expect(a.logDelivery).toEqual(["WRITE"]);
    expect(a.otherAccounts).toEqual([{ grantee: "other", displayName: "partner", permissions: ["READ", "WRITE"] }]);
    expect(a.grants.map((g) => g.audience)).toEqual([
      "owner",
      "authenticated-users",
      "log-delivery",
      "other-account",
      "other-account",
    ]);
    expect(a.grants[1]!.why).toBe(
      "ACL grants READ to AuthenticatedUsers (anyone with any AWS account): they can list the bucket's objects → public.",
    );
  });
});

/**
 * THE role list. The permission table (lib/server/permissions.ts) grants permissions to these roles; the users
 * admin, the demo users and the e2e suite (e2e/fixtures/roles.ts) read the same list. Pure: safe in any process.
 */
export const ROLES = ["admin", "security-lead", "manager", "auditor"] as const;
export type RoleName = (typeof ROLES)[number];

export const ROLE_LABELS: Record<RoleName, string> = {
  admin: "Admin",
  "security-lead": "Security lead",
  manager: "Manager",
  auditor: "Auditor",
};

/** The spelling of the database enum (Prisma's enum member names cannot contain "-"). */
export type DbRoleName = Exclude<RoleName, "security-lead"> | "security_lead";

export function roleFromDb(role: string): RoleName {
  return (role === "security_lead" ? "security-lead" : role) as RoleName;
}

export function roleToDb(role: RoleName): DbRoleName {
  return role === "security-lead" ? "security_lead" : role;
}

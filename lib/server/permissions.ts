import "server-only";
/**
 * THE permission table. Every DAL function calls `authorize(actor, permission)` before it queries; pages and route
 * handlers never decide access on their own. The e2e access matrix (e2e/access-matrix.spec.ts) tests this table.
 */
import { AppError } from "@/lib/errors";
import { ROLE_LABELS, ROLES, type RoleName } from "@/lib/roles";

const ALL: readonly RoleName[] = ROLES;

export const PERMISSIONS = {
  /** Overview: posture numbers, riskiest buckets. */
  "posture:read": ["admin", "security-lead", "auditor"],
  /** Bucket list and bucket pages (managers drill down from coverage). */
  "buckets:read": ALL,
  /** Export a filtered bucket view as CSV/JSON. */
  "buckets:export": ["admin", "security-lead", "auditor"],
  /** Set a bucket's classification by hand (audited). */
  "buckets:classify": ["admin", "security-lead"],
  "findings:read": ["admin", "security-lead", "auditor"],
  /** Third parties: accounts outside the organisation with grants on buckets or keys, and its CSV export. */
  "third-parties:read": ["admin", "security-lead", "auditor"],
  /** Name an outside account as a known vendor (audited). */
  "third-parties:name": ["admin"],
  "coverage:read": ALL,
  "accounts:read": ["admin", "security-lead", "auditor"],
  "accounts:manage": ["admin"],
  "sync:run": ["admin", "security-lead"],
  "settings:read": ["admin", "auditor"],
  "scheme:edit": ["admin"],
  "waivers:read": ALL,
  "waivers:propose": ["admin", "security-lead"],
  "waivers:decide": ["admin"],
  "evidence:read": ["admin", "auditor"],
  "evidence:create": ["admin", "auditor"],
  "audit:read": ["admin", "auditor"],
  "users:manage": ["admin"],
  /** One's own account: password and second factors (every signed-in user). */
  "self:manage": ALL,
} as const satisfies Record<string, readonly RoleName[]>;

export type Permission = keyof typeof PERMISSIONS;

export interface Actor {
  id: string;
  email: string;
  name: string;
  role: RoleName;
  /** Signed in with a temporary password an admin set: pages send them to /account until they choose their own. */
  mustChangePassword?: boolean;
}

export function can(actor: Actor | null, permission: Permission): boolean {
  return actor !== null && (PERMISSIONS[permission] as readonly RoleName[]).includes(actor.role);
}

export function authorize(actor: Actor | null, permission: Permission): asserts actor is Actor {
  // The permission travels with the error so that the refusal can be recorded where it becomes a response.
  if (!actor) throw new AppError("unauthenticated", "Please sign in.", { permission });
  if (!can(actor, permission)) {
    throw new AppError("forbidden", `Your role (${ROLE_LABELS[actor.role]}) may not do this (${permission}).`, {
      permission,
    });
  }
}

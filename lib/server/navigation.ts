import "server-only";
/** The sections of the app and who sees them (derived from the one permission table). */
import { can, type Actor, type Permission } from "@/lib/server/permissions";

// Order matters: homeFor() lands each role on its first visible section — Overview for admin, security lead and
// auditor (posture:read), Coverage for managers.
export const SECTIONS: { href: string; label: string; icon: string; permission: Permission }[] = [
  { href: "/overview", label: "Overview", icon: "overview", permission: "posture:read" },
  { href: "/coverage", label: "Coverage", icon: "coverage", permission: "coverage:read" },
  { href: "/buckets", label: "Buckets", icon: "buckets", permission: "buckets:read" },
  { href: "/findings", label: "Findings", icon: "findings", permission: "findings:read" },
  { href: "/accounts", label: "Accounts", icon: "accounts", permission: "accounts:read" },
  { href: "/waivers", label: "Waivers", icon: "waivers", permission: "waivers:read" },
  { href: "/evidence", label: "Evidence", icon: "evidence", permission: "evidence:read" },
  { href: "/audit", label: "Audit log", icon: "audit", permission: "audit:read" },
  { href: "/settings", label: "Settings", icon: "settings", permission: "settings:read" },
];

export const sectionsFor = (actor: Actor) => SECTIONS.filter((s) => can(actor, s.permission));

/** Where a role lands after sign-in: the first section it may see. */
export const homeFor = (actor: Actor) => sectionsFor(actor)[0]?.href ?? "/buckets";

/**
 * The sections of the app, one line each: where it lives, its entry in the navigation, the permission that shows it
 * (lib/server/navigation.ts), and — for a page that takes one — the schema its query string must pass
 * (lib/schemas/page-queries.ts: proxy.ts answers a query that does not with HTTP 400). Adding a list page adds its
 * line here. No `server-only` and only a type from lib/server: proxy.ts reads this too.
 */
import type { ZodType } from "zod";
import { AccountListQuerySchema } from "@/lib/schemas/account-list-query";
import { AccountPostureQuerySchema } from "@/lib/schemas/account-posture-query";
import { AuditQuerySchema } from "@/lib/schemas/audit-query";
import { BucketQuerySchema } from "@/lib/schemas/bucket-query";
import { CoverageQuerySchema } from "@/lib/schemas/coverage-query";
import { FindingQuerySchema } from "@/lib/schemas/finding-query";
import { WaiverQuerySchema } from "@/lib/schemas/waiver";
import type { Permission } from "@/lib/server/permissions";

export interface Section {
  href: string;
  label: string;
  icon: string;
  permission: Permission;
  query?: ZodType;
}

// Order matters: homeFor() lands each role on its first visible section — Overview for admin, security lead and
// auditor (posture:read), Coverage for managers.
export const SECTIONS: readonly Section[] = [
  { href: "/overview", label: "Overview", icon: "overview", permission: "posture:read" },
  { href: "/coverage", label: "Coverage", icon: "coverage", permission: "coverage:read", query: CoverageQuerySchema },
  { href: "/buckets", label: "Buckets", icon: "buckets", permission: "buckets:read", query: BucketQuerySchema },
  { href: "/findings", label: "Findings", icon: "findings", permission: "findings:read", query: FindingQuerySchema },
  { href: "/third-parties", label: "Third parties", icon: "thirdParties", permission: "third-parties:read" },
  {
    href: "/accounts",
    label: "Accounts",
    icon: "accounts",
    permission: "accounts:read",
    query: AccountListQuerySchema,
  },
  {
    href: "/account-posture",
    label: "Account posture",
    icon: "account-posture",
    permission: "posture:read",
    query: AccountPostureQuerySchema,
  },
  { href: "/waivers", label: "Waivers", icon: "waivers", permission: "waivers:read", query: WaiverQuerySchema },
  { href: "/evidence", label: "Evidence", icon: "evidence", permission: "evidence:read" },
  { href: "/audit", label: "Audit log", icon: "audit", permission: "audit:read", query: AuditQuerySchema },
  { href: "/settings", label: "Settings", icon: "settings", permission: "settings:read" },
];

/** The demo organisation's users, one per role (loaded by load-demo.ts; the e2e suite signs in as them). */
import type { RoleName } from "@/lib/roles";

export const DEMO_USERS: readonly { email: string; name: string; role: RoleName }[] = [
  { email: "admin@demo.custody.local", name: "Ada Admin", role: "admin" },
  { email: "lead@demo.custody.local", name: "Lee Security-Lead", role: "security-lead" },
  { email: "manager@demo.custody.local", name: "Max Manager", role: "manager" },
  { email: "auditor@demo.custody.local", name: "Aud Auditor", role: "auditor" },
];

export function demoUserEmail(role: RoleName): string {
  return DEMO_USERS.find((u) => u.role === role)!.email;
}

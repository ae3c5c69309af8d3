import "server-only";
/**
 * Which users need a second factor at sign-in: everyone who has one enrolled, and everyone whose role an admin
 * listed in the AppSetting "auth.mfaRequiredRoles" (Settings page). A user of such a role without a factor must
 * enrol one right after the password, before any session exists.
 */
import { z } from "zod";
import type { Db } from "@/lib/db/prisma";
import { roleFromDb, type RoleName, ROLES } from "@/lib/roles";

export const MFA_REQUIRED_ROLES_KEY = "auth.mfaRequiredRoles";
const RequiredRoles = z.array(z.enum(ROLES));

export async function mfaRequiredRoles(client: Db): Promise<RoleName[]> {
  const row = await client.appSetting.findUnique({ where: { key: MFA_REQUIRED_ROLES_KEY }, select: { value: true } });
  const parsed = RequiredRoles.safeParse(row?.value ?? []);
  return parsed.success ? parsed.data : [];
}

export async function userFactors(
  client: Db,
  userId: string,
): Promise<{ totp: boolean; passkeys: number; recoveryCodesLeft: number }> {
  const [totp, passkeys, recoveryCodesLeft] = await Promise.all([
    client.userTotp.count({ where: { userId, confirmedAt: { not: null } } }),
    client.userPasskey.count({ where: { userId } }),
    client.userRecoveryCode.count({ where: { userId, usedAt: null } }),
  ]);
  return { totp: totp > 0, passkeys, recoveryCodesLeft };
}

/** What stands between a correct password and a session: nothing, a second factor, or enrolling one first. */
export async function secondFactorStep(
  client: Db,
  user: { id: string; role: string },
): Promise<"none" | "verify" | "enrol"> {
  const factors = await userFactors(client, user.id);
  if (factors.totp || factors.passkeys > 0) return "verify";
  return (await mfaRequiredRoles(client)).includes(roleFromDb(user.role)) ? "enrol" : "none";
}

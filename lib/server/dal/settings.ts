import "server-only";
/** Settings: the current classification scheme and the users. */
import { CONTROL_CATALOG } from "@/lib/domain/controls/catalog";
import { db } from "@/lib/server/db";
import { authorize, type Actor } from "@/lib/server/permissions";
import { roleFromDb } from "@/lib/roles";

export async function getSchemeOverview(actor: Actor | null) {
  authorize(actor, "settings:read");
  const version = await db().schemeVersion.findFirst({
    orderBy: { version: "desc" },
    select: {
      version: true,
      tagKey: true,
      fallbackLevel: true,
      createdAt: true,
      note: true,
      levels: {
        orderBy: { rank: "desc" },
        select: { key: true, name: true, rank: true, description: true, requiredControlIds: true, aliases: true },
      },
    },
  });
  return { scheme: version, controls: CONTROL_CATALOG.map((c) => ({ id: c.id, title: c.title })) };
}

export async function listUsers(actor: Actor | null) {
  authorize(actor, "users:manage");
  const users = await db().user.findMany({
    orderBy: { email: "asc" },
    select: {
      id: true,
      email: true,
      name: true,
      role: true,
      createdAt: true,
      disabledAt: true,
      totp: { select: { confirmedAt: true } },
      _count: { select: { passkeys: true } },
    },
  });
  return users.map(({ totp, _count, ...u }) => ({
    ...u,
    role: roleFromDb(u.role),
    totp: Boolean(totp?.confirmedAt),
    passkeys: _count.passkeys,
  }));
}

/**
 * The classification scheme in Postgres: every change is a new SchemeVersion (with its ClassificationLevel rows);
 * evaluation uses the latest version and records which one it used; an evidence bundle uses the version in force at
 * its snapshot.
 */
import { bulkPoolFor, type Db } from "@/lib/db/prisma";
import type { Prisma } from "@/lib/generated/prisma/client";
import { DEFAULT_SCHEME, type ClassificationScheme } from "@/lib/domain/classification/scheme";
import { parseClassificationScheme } from "@/lib/domain/classification/scheme-schema";

export async function saveSchemeVersion(
  client: Db | Prisma.TransactionClient,
  scheme: ClassificationScheme,
  meta: { createdById?: string | null; note?: string | null; version?: number },
): Promise<number> {
  const latest = await client.schemeVersion.findFirst({ orderBy: { version: "desc" }, select: { version: true } });
  const version = meta.version ?? (latest?.version ?? 0) + 1;
  await client.schemeVersion.create({
    data: {
      version,
      tagKey: scheme.tagKey,
      fallbackLevel: scheme.fallbackLevelKey,
      definition: scheme as unknown as Prisma.InputJsonValue,
      createdById: meta.createdById ?? null,
      note: meta.note ?? null,
      levels: {
        create: scheme.levels.map((l) => ({
          key: l.key,
          name: l.name,
          rank: l.rank,
          description: l.description,
          requiredControlIds: l.requiredControlIds,
          aliases: l.valueAliases,
        })),
      },
    },
  });
  return version;
}

export async function ensureDefaultScheme(client: Db): Promise<void> {
  if ((await client.schemeVersion.count()) > 0) return;
  try {
    await saveSchemeVersion(client, DEFAULT_SCHEME, { note: "Default scheme (High / Medium / Low)", version: 1 });
  } catch (error) {
    // Two processes starting at once: the other one created version 1.
    if ((await client.schemeVersion.count()) === 0) throw error;
  }
}

export interface StoredScheme {
  version: number;
  scheme: ClassificationScheme;
}

/** A stored scheme definition that does not parse (edited by hand in the database, or written by another release). */
export class StoredSchemeError extends Error {}

function parseStored(row: { version: number; definition: Prisma.JsonValue }): StoredScheme {
  const parsed = parseClassificationScheme(row.definition);
  if (!parsed.ok)
    throw new StoredSchemeError(`Stored scheme version ${row.version} is invalid: ${parsed.errors.join("; ")}`);
  return { version: row.version, scheme: parsed.scheme };
}

/**
 * The scheme in force. On a database that has none yet (a CLI-only installation: db:migrate → accounts:add → sync,
 * never `npm start`), the default scheme is created here, so whatever the entry point, the first evaluation already
 * records scheme version 1 and its levels — never "version 0".
 */
export async function loadCurrentScheme(client: Db): Promise<StoredScheme> {
  // Plain SQL on a bulk connection: every account job's evaluation reads it (through Prisma ≈ 1 ms of worker CPU).
  let row: { version: number; definition: Prisma.JsonValue } | null | undefined = (
    await bulkPoolFor(client).query<{ version: number; definition: Prisma.JsonValue }>({
      name: "current-scheme",
      text: "SELECT version, definition FROM scheme_version ORDER BY version DESC LIMIT 1",
    })
  ).rows[0];
  if (!row) {
    await ensureDefaultScheme(client);
    row = await client.schemeVersion.findFirst({
      orderBy: { version: "desc" },
      select: { version: true, definition: true },
    });
    if (!row) throw new Error("The default classification scheme could not be created");
  }
  return parseStored(row);
}

/**
 * The scheme in force at `at` (an evidence snapshot): the latest version created by then, or — for a point before
 * the first version was stored — the first one. null when there is no version at all.
 */
export async function loadSchemeInForce(client: Db, at: Date): Promise<StoredScheme | null> {
  const row =
    (await client.schemeVersion.findFirst({
      where: { createdAt: { lte: at } },
      orderBy: { version: "desc" },
      select: { version: true, definition: true },
    })) ??
    (await client.schemeVersion.findFirst({
      orderBy: { version: "asc" },
      select: { version: true, definition: true },
    }));
  return row ? parseStored(row) : null;
}

import "server-only";
/**
 * Editing the classification scheme (admins): every change is a new SchemeVersion, audited as scheme.update with
 * its diff, followed by a background re-evaluation of the buckets the change affects (see diff-scheme.ts).
 * The `…With(client, …)` forms take the database client so integration tests run the same code path.
 */
import type { Db } from "@/lib/db/prisma";
import { diffSchemes } from "@/lib/domain/classification/diff-scheme";
import type { ClassificationScheme } from "@/lib/domain/classification/scheme";
import { exportClassificationScheme, parseClassificationScheme } from "@/lib/domain/classification/scheme-schema";
import { AppError } from "@/lib/errors";
import { writeAudit } from "@/lib/server/audit";
import { db } from "@/lib/server/db";
import { authorize, type Actor } from "@/lib/server/permissions";
import {
  readReevaluationStatus,
  schemeChangeScope,
  startReevaluation,
  type ReevaluationStatus,
} from "@/lib/evaluation/reevaluation";
import { loadCurrentScheme, saveSchemeVersion } from "@/lib/evaluation/scheme-store";

export type SchemeChangeResult =
  | { ok: true; version: number; changes: string[]; reevaluating: number; done: Promise<ReevaluationStatus> | null }
  | { ok: false; errors: string[] };

/** Parse the JSON text of a scheme; a syntax error names the position, a schema error names the field. */
export function parseSchemeText(
  text: string,
): { ok: true; scheme: ClassificationScheme } | { ok: false; errors: string[] } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return {
      ok: false,
      errors: [`the file is not valid JSON: ${error instanceof Error ? error.message : "syntax error"}`],
    };
  }
  return parseClassificationScheme(json);
}

export async function changeSchemeWith(
  client: Db,
  actor: Actor | null,
  input: { schemeJson: string; note: string; source: "editor" | "import" },
): Promise<SchemeChangeResult> {
  authorize(actor, "scheme:edit");
  const parsed = parseSchemeText(input.schemeJson);
  if (!parsed.ok) {
    await writeAudit(client, {
      actor,
      action: "scheme.update",
      targetType: "scheme",
      outcome: "failure",
      detail: { source: input.source, errors: parsed.errors.slice(0, 20) },
    });
    return parsed;
  }
  const current = await loadCurrentScheme(client);
  const diff = diffSchemes(current.scheme, parsed.scheme);
  if (diff.changes.length === 0)
    return { ok: false, errors: ["nothing changed: the scheme is the same as the current version"] };

  const version = await client.$transaction(async (tx) => {
    const v = await saveSchemeVersion(tx, parsed.scheme, {
      createdById: actor.id,
      note: input.note || diff.changes.join("; ").slice(0, 500),
    });
    await writeAudit(tx, {
      actor,
      action: "scheme.update",
      targetType: "scheme",
      targetId: String(v),
      outcome: "success",
      detail: {
        source: input.source,
        fromVersion: current.version,
        toVersion: v,
        changes: diff.changes,
        note: input.note || null,
      },
    });
    return v;
  });

  const where = schemeChangeScope(diff);
  if (where === null) return { ok: true, version, changes: diff.changes, reevaluating: 0, done: null };
  const job = await startReevaluation(
    client,
    where,
    `scheme version ${version}: ${diff.changes.join("; ")}`.slice(0, 300),
  );
  return { ok: true, version, changes: diff.changes, reevaluating: job.total, done: job.done };
}

export const changeScheme = (
  actor: Actor | null,
  input: { schemeJson: string; note: string; source: "editor" | "import" },
) => changeSchemeWith(db(), actor, input);

/** The current scheme as the editor's starting point. */
export async function getEditableScheme(actor: Actor | null) {
  authorize(actor, "settings:read");
  const { version, scheme } = await loadCurrentScheme(db());
  return { version, scheme };
}

/** Every version, newest first, with who made it and what changed from the one before. */
export async function listSchemeVersions(actor: Actor | null, limit = 50) {
  authorize(actor, "settings:read");
  const rows = await db().schemeVersion.findMany({
    orderBy: { version: "desc" },
    take: limit + 1,
    select: { version: true, createdAt: true, createdById: true, note: true, definition: true },
  });
  const userIds = [...new Set(rows.map((r) => r.createdById).filter((x): x is string => x !== null))];
  const users = new Map(
    (await db().user.findMany({ where: { id: { in: userIds } }, select: { id: true, email: true } })).map((u) => [
      u.id,
      u.email,
    ]),
  );
  const parsed = rows.map((r) => {
    const p = parseClassificationScheme(r.definition);
    return p.ok ? p.scheme : null;
  });
  return rows.slice(0, limit).map((r, i) => {
    const before = parsed[i + 1];
    const after = parsed[i];
    return {
      version: r.version,
      createdAt: r.createdAt,
      createdBy: r.createdById ? (users.get(r.createdById) ?? "deleted user") : "system",
      note: r.note,
      changes: before && after ? diffSchemes(before, after).changes : [],
    };
  });
}

/** A version's JSON, exactly what import accepts (the export route audits it as scheme.export). */
export async function exportSchemeVersion(
  actor: Actor | null,
  version?: number,
): Promise<{ version: number; json: string }> {
  authorize(actor, "settings:read");
  const row = version
    ? await db().schemeVersion.findUnique({ where: { version }, select: { version: true, definition: true } })
    : await db().schemeVersion.findFirst({ orderBy: { version: "desc" }, select: { version: true, definition: true } });
  if (!row)
    throw new AppError("not_found", version ? `There is no scheme version ${version}.` : "There is no scheme yet.");
  const parsed = parseClassificationScheme(row.definition);
  if (!parsed.ok)
    throw new AppError("conflict", `Stored scheme version ${row.version} is invalid: ${parsed.errors.join("; ")}`);
  return { version: row.version, json: exportClassificationScheme(parsed.scheme) };
}

/** The latest background re-evaluation, for the banner (every signed-in role sees verdicts, so every role may see this). */
export async function getReevaluationStatus(actor: Actor | null): Promise<ReevaluationStatus | null> {
  authorize(actor, "buckets:read");
  return readReevaluationStatus(db());
}

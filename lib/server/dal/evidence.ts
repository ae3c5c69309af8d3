import "server-only";
/**
 * Evidence for auditors: reproducible ZIP bundles for a scope at a completed sync run (lib/evidence), the record of
 * every bundle made (EvidenceBundle: manifest SHA-256, who, when, scope), and verification of a bundle someone
 * holds against that record.
 */
import { createHash } from "node:crypto";
import { PassThrough } from "node:stream";
import { databaseUrlOf, type Db } from "@/lib/db/prisma";
import type { Prisma } from "@/lib/generated/prisma/client";
import { CONTROL_CATALOG } from "@/lib/domain/controls/catalog";
import { settingsFrom } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { writeEvidenceBundleInWorker } from "@/lib/evidence/bundle-in-worker";
import {
  EvidenceError,
  normalizeScope,
  resolveSnapshot,
  writeEvidenceBundle,
  type BundleResult,
} from "@/lib/evidence/write-bundle";
import { readZipEntries, ZipReadError } from "@/lib/evidence/zip-reader";
import { logger } from "@/lib/logger";
import { EvidenceRequestSchema, ManifestHashSchema } from "@/lib/schemas/evidence";
import { parseInput } from "@/lib/schemas/parse-input";
import { writeAudit } from "@/lib/server/audit";
import { searchAccountOptions } from "@/lib/server/dal/accounts";
import { currentLevels } from "@/lib/server/dal/buckets";
import { db } from "@/lib/server/db";
import { authorize, type Actor } from "@/lib/server/permissions";

/**
 * What the evidence form offers. Accounts: only the first by name and how many there are; the form finds the others
 * through the accounts' search as the user types (every name was 832 KB of the page at 10,000 accounts).
 */
export async function evidenceOptions(actor: Actor | null) {
  authorize(actor, "evidence:read");
  const client = db();
  const [runs, firstAccounts, accountCount, ous, levels] = await Promise.all([
    client.syncRun.findMany({
      where: { status: { in: ["succeeded", "partial"] }, finishedAt: { not: null } },
      orderBy: { finishedAt: "desc" },
      take: 50,
      select: { id: true, status: true, trigger: true, finishedAt: true, accountsTotal: true, accountsFailed: true },
    }),
    searchAccountOptions(actor, { q: "" }),
    client.account.count(),
    client.$queryRaw<{ ouPath: string }[]>`SELECT DISTINCT ou_path AS "ouPath" FROM account ORDER BY 1`,
    currentLevels(actor),
  ]);
  return {
    runs,
    accounts: { first: firstAccounts.accounts, more: firstAccounts.more, total: accountCount },
    ous: ous.map((o) => o.ouPath).filter(Boolean),
    levels,
    controls: CONTROL_CATALOG.map((c) => ({ id: c.id, title: c.title })),
  };
}

/**
 * Validate the request and start streaming the bundle. Bad input and unusable snapshots fail here (4xx) before a
 * byte is sent; the bundle is recorded once every data file is hashed. The ZIP is built in a worker thread with its
 * own capped heap and database connections (lib/evidence/bundle-in-worker.ts); authorization, the record and the
 * audit stay here, on `client`.
 */
export async function startEvidenceBundleWith(
  client: Db,
  actor: Actor | null,
  raw: unknown,
): Promise<{ stream: PassThrough; fileName: string; done: Promise<BundleResult> }> {
  authorize(actor, "evidence:create");
  const request = normalizeScope(parseInput(EvidenceRequestSchema, raw));
  let snapshot;
  try {
    snapshot = await resolveSnapshot(client, request.syncRunId);
  } catch (error) {
    if (error instanceof EvidenceError) throw new AppError("invalid_input", error.message);
    throw error;
  }
  const createdAt = new Date();
  const fileName = `custody-evidence-${snapshot.finishedAt.toISOString().slice(0, 19).replace(/[:T]/g, "")}-${createdAt.getTime().toString(36)}.zip`;
  const out = new PassThrough();
  let recordId: string | null = null;
  // CUSTODY_EVIDENCE_IN_PROCESS=1 builds in this thread (as before the worker; for comparison and as a fallback).
  const inProcess = settingsFrom().CUSTODY_EVIDENCE_IN_PROCESS;
  const write = (args: Parameters<typeof writeEvidenceBundle>[1]) =>
    inProcess ? writeEvidenceBundle(client, args) : writeEvidenceBundleInWorker(databaseUrlOf(client), args);
  const done = write({
    request,
    createdBy: { id: actor.id, email: actor.email },
    createdAt,
    snapshot,
    out,
    onManifest: async (result) => {
      const record = await client.evidenceBundle.create({
        data: {
          createdAt,
          createdById: actor.id,
          scope: request as unknown as Prisma.InputJsonValue,
          syncRunId: request.syncRunId,
          sha256: result.manifestSha256,
          manifest: result.manifest as Prisma.InputJsonValue,
          fileName,
          sizeBytes: 0,
        },
        select: { id: true },
      });
      recordId = record.id;
      await writeAudit(client, {
        actor,
        action: "evidence.create",
        targetType: "evidence-bundle",
        targetId: record.id,
        outcome: "success",
        detail: {
          scope: request as unknown as Prisma.InputJsonValue,
          manifestSha256: result.manifestSha256,
          buckets: result.bucketCount,
        },
      });
    },
  });
  let size = 0;
  out.on("data", (chunk: Buffer) => (size += chunk.length));
  done
    .then(async () => {
      await new Promise((r) => out.once("end", r));
      if (recordId) await client.evidenceBundle.update({ where: { id: recordId }, data: { sizeBytes: size } });
    })
    .catch((error) => {
      logger.error({ err: error }, "evidence bundle failed");
      out.destroy(error instanceof Error ? error : new Error(String(error)));
    });
  return { stream: out, fileName, done };
}

export const startEvidenceBundle = (actor: Actor | null, raw: unknown) => startEvidenceBundleWith(db(), actor, raw);

/**
 * An issued bundle, again: rebuilt from its recorded scope, snapshot, issue time and issuer (everything its
 * manifest.json holds), buffered whole, and handed out only when the manifest.json inside these bytes hashes to the
 * recorded SHA-256 and every data file to its line of that manifest — the same check "Verify a bundle" makes. Any
 * difference (data of the snapshot changed since, or the record was altered) refuses with 409 and serves nothing.
 */
export async function rebuildEvidenceBundleWith(
  client: Db,
  actor: Actor | null,
  id: string,
): Promise<{ bytes: Buffer; fileName: string; sha256: string }> {
  authorize(actor, "evidence:read");
  const record = await client.evidenceBundle.findUnique({
    where: { id },
    select: { id: true, createdAt: true, scope: true, sha256: true, manifest: true, fileName: true },
  });
  if (!record) throw new AppError("not_found", "no bundle with that id was issued");
  const recorded = record.manifest as { createdAt?: string; createdBy?: string; format?: string };
  const request = normalizeScope(parseInput(EvidenceRequestSchema, record.scope));
  const chunks: Buffer[] = [];
  const out = new PassThrough();
  out.on("data", (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise((resolve) => out.once("end", resolve));
  const args = {
    request,
    // The issuer as the manifest names them (an e-mail may have changed since); the id is not in the manifest.
    createdBy: { id: "", email: recorded.createdBy ?? "" },
    createdAt: recorded.createdAt ? new Date(recorded.createdAt) : record.createdAt,
    // In the format it was issued in: a bundle issued before account posture joined keeps its six files.
    format: recorded.format,
    out,
  };
  try {
    await (settingsFrom().CUSTODY_EVIDENCE_IN_PROCESS
      ? writeEvidenceBundle(client, args)
      : writeEvidenceBundleInWorker(databaseUrlOf(client), args));
  } catch (error) {
    if (error instanceof EvidenceError)
      throw new AppError("conflict", `this bundle cannot be rebuilt: ${error.message}`);
    throw error;
  }
  await ended;
  const bytes = Buffer.concat(chunks);
  const entries = readZipEntries(bytes);
  const manifestBytes = entries.get("manifest.json");
  const sha256 = manifestBytes ? createHash("sha256").update(manifestBytes).digest("hex") : "";
  const listed = manifestBytes
    ? ((JSON.parse(manifestBytes.toString("utf8")) as { files?: { name: string; sha256: string }[] }).files ?? [])
    : [];
  const badFiles = listed
    .filter((f) => {
      const data = entries.get(f.name);
      return !data || createHash("sha256").update(data).digest("hex") !== f.sha256;
    })
    .map((f) => f.name);
  const same = sha256 === record.sha256 && badFiles.length === 0;
  await writeAudit(client, {
    actor,
    action: "evidence.download-again",
    targetType: "evidence-bundle",
    targetId: record.id,
    outcome: same ? "success" : "failure",
    detail: { recordedSha256: record.sha256, rebuiltSha256: sha256, badFiles },
  });
  if (!same) {
    logger.warn(
      { bundle: record.id, recordedSha256: record.sha256, rebuiltSha256: sha256, badFiles },
      "evidence bundle rebuilt with different bytes: not served",
    );
    throw new AppError(
      "conflict",
      `This bundle cannot be downloaded again: rebuilt from its recorded scope and snapshot, its manifest.json hashes to ${sha256.slice(0, 12)}…, not the recorded ${record.sha256.slice(0, 12)}…. The data of that snapshot, or the record, changed since it was issued. Nothing was served; the original file, if you hold it, can still be checked under "Verify a bundle".`,
    );
  }
  return { bytes, fileName: record.fileName, sha256 };
}

export const rebuildEvidenceBundle = (actor: Actor | null, id: string) => rebuildEvidenceBundleWith(db(), actor, id);

export async function listEvidenceBundles(actor: Actor | null) {
  authorize(actor, "evidence:read");
  const rows = await db().evidenceBundle.findMany({
    orderBy: { createdAt: "desc" },
    take: 50,
    select: {
      id: true,
      createdAt: true,
      createdById: true,
      scope: true,
      syncRunId: true,
      sha256: true,
      fileName: true,
      sizeBytes: true,
      manifest: true,
    },
  });
  const users = new Map(
    (
      await db().user.findMany({
        where: { id: { in: [...new Set(rows.map((r) => r.createdById))] } },
        select: { id: true, email: true },
      })
    ).map((u) => [u.id, u.email]),
  );
  return rows.map(({ manifest, sizeBytes, createdById, ...r }) => ({
    ...r,
    createdBy: users.get(createdById) ?? "deleted user",
    sizeBytes: Number(sizeBytes),
    buckets: (manifest as { buckets?: number }).buckets ?? null,
    scope: r.scope as { accounts: string[]; ous: string[]; levels: string[]; controls: string[] },
  }));
}

export interface VerifyResult {
  match: boolean;
  message: string;
  manifestSha256: string | null;
  bundle: { id: string; createdAt: string; createdBy: string; fileName: string } | null;
  files: { name: string; ok: boolean }[];
}

/** Check a bundle (the ZIP itself, or the SHA-256 of its manifest.json) against the record of bundles made. */
export async function verifyEvidenceWith(
  client: Db,
  actor: Actor | null,
  input: { zip?: Buffer; hash?: string },
): Promise<VerifyResult> {
  authorize(actor, "evidence:read");
  if (!input.zip && !input.hash?.trim())
    throw new AppError("invalid_input", "choose the bundle ZIP or paste the SHA-256 of its manifest.json");
  let manifestSha256: string;
  const files: VerifyResult["files"] = [];
  if (input.zip) {
    let entries: Map<string, Buffer>;
    try {
      entries = readZipEntries(input.zip);
    } catch (error) {
      if (error instanceof ZipReadError) throw new AppError("invalid_input", `file: ${error.message}`);
      throw error;
    }
    const manifestBytes = entries.get("manifest.json");
    if (!manifestBytes)
      throw new AppError("invalid_input", "file: the ZIP has no manifest.json, so it is not a Custody evidence bundle");
    manifestSha256 = createHash("sha256").update(manifestBytes).digest("hex");
    let listed: { name: string; sha256: string }[] = [];
    try {
      listed =
        (JSON.parse(manifestBytes.toString("utf8")) as { files?: { name: string; sha256: string }[] }).files ?? [];
    } catch {
      throw new AppError("invalid_input", "file: manifest.json is not valid JSON");
    }
    for (const f of listed) {
      const data = entries.get(f.name);
      files.push({ name: f.name, ok: !!data && createHash("sha256").update(data).digest("hex") === f.sha256 });
    }
  } else {
    const parsed = ManifestHashSchema.safeParse(input.hash);
    if (!parsed.success) throw new AppError("invalid_input", parsed.error.issues[0]!.message);
    manifestSha256 = parsed.data;
  }
  const record = await client.evidenceBundle.findFirst({
    where: { sha256: manifestSha256 },
    select: { id: true, createdAt: true, createdById: true, fileName: true },
  });
  const email = record
    ? ((await client.user.findUnique({ where: { id: record.createdById }, select: { email: true } }))?.email ??
      "deleted user")
    : null;
  const badFiles = files.filter((f) => !f.ok).map((f) => f.name);
  const match = record !== null && badFiles.length === 0;
  const message = !record
    ? "No match: Custody never issued a bundle with this manifest. The manifest was changed, or the bundle comes from elsewhere."
    : badFiles.length
      ? `No match: the manifest is one Custody issued, but these files differ from it: ${badFiles.join(", ")}.`
      : `Match: issued by Custody to ${email} on ${record.createdAt.toISOString().replace("T", " ").slice(0, 19)} UTC${files.length ? `; all ${files.length} files match their SHA-256` : ""}.`;
  await writeAudit(client, {
    actor,
    action: "evidence.verify",
    targetType: "evidence-bundle",
    targetId: record?.id,
    outcome: "success",
    detail: { manifestSha256, match, badFiles },
  });
  return {
    match,
    message,
    manifestSha256,
    bundle: record
      ? { id: record.id, createdAt: record.createdAt.toISOString(), createdBy: email!, fileName: record.fileName }
      : null,
    files,
  };
}

export const verifyEvidence = (actor: Actor | null, input: { zip?: Buffer; hash?: string }) =>
  verifyEvidenceWith(db(), actor, input);

/**
 * An evidence bundle: a ZIP streamed to the caller, built for one scope at one point in time — a completed sync
 * run (T = its finishedAt). Every data file is a pure function of what Postgres holds for T, in a stable order,
 * with no volatile field, so the same scope and snapshot give byte-identical data files; only manifest.json says
 * who made it and when. Buckets are read in keyset pages (by id), never all at once.
 *
 * Point in time: bucket settings are the BucketState current at T (greatest readAt <= T); the control matrix is
 * re-evaluated from that state (lib/domain is pure, so this is deterministic) with the scheme version in force at
 * T, the manual classification set before T and the waivers active at T. Custody keeps no history for account-wide
 * S3 settings, Config rule deployment or Macie status, and keeps only the latest Config evaluation and Macie
 * finding rows: those are the current rows, filtered to what was recorded by T. manifest.json lists these limits.
 */
import { createHash } from "node:crypto";
import { PassThrough, Readable } from "node:stream";
import { ZipArchive } from "archiver";
import { stringify } from "csv-stringify/sync";
import type { Db } from "@/lib/db/prisma";
import { Prisma } from "@/lib/generated/prisma/client";
import type { AccountSettings, BucketSettings, ConfigVerdict, MacieBucketContext, Setting } from "@/lib/domain/bucket-settings";
import { unknown } from "@/lib/domain/bucket-settings";
import { resolveBucketLevel } from "@/lib/domain/classification/resolve-bucket-level";
import type { ClassificationScheme } from "@/lib/domain/classification/scheme";
import { exportClassificationScheme, parseClassificationScheme } from "@/lib/domain/classification/scheme-schema";
import { evaluateBucket } from "@/lib/domain/evaluate-bucket";
import type { EvidenceRequest } from "@/lib/schemas/evidence";
import { macieSession, trustedAccountIds, type MacieRegionStatus } from "@/lib/sync/evaluate-buckets";
import { stableStringify } from "@/lib/sync/stable-json";

const PAGE = 500;
export const BUNDLE_FORMAT = "custody-evidence/1";

export const BUNDLE_LIMITATIONS = [
  "bucket-settings.json holds, per bucket, the settings state current at the snapshot (greatest readAt <= snapshot.finishedAt).",
  "control-matrix.csv is re-evaluated from those settings with the scheme version in force at the snapshot, manual classifications set before it and waivers active at it.",
  "Account-level S3 Block Public Access, trusted accounts, AWS Config rule deployment and Macie status have no history in Custody: their current values are used.",
  "config-evaluations.json and macie-findings.json hold the rows Custody keeps (the latest per rule and per finding) recorded or created by the snapshot time.",
];

export class EvidenceError extends Error {}

export interface BundleFile {
  name: string;
  sha256: string;
  bytes: number;
}

export interface BundleResult {
  manifest: Record<string, unknown>;
  manifestSha256: string;
  bucketCount: number;
  files: BundleFile[];
}

interface Snapshot {
  syncRunId: string;
  finishedAt: Date;
  status: string;
  schemeVersion: number;
  scheme: ClassificationScheme;
}

export async function resolveSnapshot(client: Db, syncRunId: string): Promise<Snapshot> {
  const run = await client.syncRun.findUnique({ where: { id: syncRunId }, select: { id: true, status: true, finishedAt: true } });
  if (!run || !run.finishedAt || !["succeeded", "partial"].includes(run.status)) throw new EvidenceError("snapshot: this sync run did not complete; choose a completed one");
  const at = run.finishedAt;
  const version =
    (await client.schemeVersion.findFirst({ where: { createdAt: { lte: at } }, orderBy: { version: "desc" }, select: { version: true, definition: true } })) ??
    (await client.schemeVersion.findFirst({ orderBy: { version: "asc" }, select: { version: true, definition: true } }));
  if (!version) throw new EvidenceError("there is no classification scheme");
  const parsed = parseClassificationScheme(version.definition);
  if (!parsed.ok) throw new EvidenceError(`stored scheme version ${version.version} is invalid`);
  return { syncRunId: run.id, finishedAt: at, status: run.status, schemeVersion: version.version, scheme: parsed.scheme };
}

interface BucketAtT {
  id: number;
  name: string;
  arn: string;
  region: string;
  accountId: string;
  stateId: number;
  stateHash: string;
  readAt: Date;
  settings: BucketSettings;
  manual: { levelKey: string; reason: string; setAt: Date; email: string } | null;
  levelKey: string;
  levelSource: string;
}

/** Buckets in scope that existed at T, with the state current at T, in id order; level-filtered in JS (cheap). */
async function* bucketsAt(client: Db, snap: Snapshot, scope: EvidenceRequest): AsyncGenerator<BucketAtT[]> {
  const T = snap.finishedAt;
  const accountFilter = scope.accounts.length ? Prisma.sql`AND b.account_id = ANY(${scope.accounts}::varchar[])` : Prisma.empty;
  const ouFilter = scope.ous.length
    ? Prisma.sql`AND EXISTS (SELECT 1 FROM unnest(${scope.ous}::text[]) o WHERE a.ou_path = o OR a.ou_path LIKE o || '/%')`
    : Prisma.empty;
  let cursor = 0;
  for (;;) {
    const rows = await client.$queryRaw<
      { id: number; name: string; arn: string; region: string; account_id: string; state_id: number; hash: string; read_at: Date; settings: unknown; m_level: string | null; m_reason: string | null; m_set_at: Date | null; m_email: string | null }[]
    >`
      SELECT b.id, b.name, b.arn, b.region, b.account_id, s.id AS state_id, s.hash, s.read_at, s.settings,
             c.level_key AS m_level, c.reason AS m_reason, c.set_at AS m_set_at, u.email AS m_email
      FROM bucket b
      JOIN account a ON a.id = b.account_id
      JOIN LATERAL (SELECT id, hash, read_at, settings FROM bucket_state WHERE bucket_id = b.id AND read_at <= ${T} ORDER BY read_at DESC, id DESC LIMIT 1) s ON true
      LEFT JOIN bucket_classification c ON c.bucket_id = b.id AND c.set_at <= ${T}
      LEFT JOIN app_user u ON u.id = c.set_by_id
      WHERE b.id > ${cursor} AND (b.gone_at IS NULL OR b.gone_at > ${T}) ${accountFilter} ${ouFilter}
      ORDER BY b.id
      LIMIT ${PAGE}`;
    if (rows.length === 0) return;
    cursor = rows[rows.length - 1]!.id;
    const page: BucketAtT[] = [];
    for (const r of rows) {
      const settings = r.settings as BucketSettings;
      const manual = r.m_level ? { levelKey: r.m_level, reason: r.m_reason ?? "", setAt: r.m_set_at!, email: r.m_email ?? "deleted user" } : null;
      const level = resolveBucketLevel({ scheme: snap.scheme, tags: settings.tags, manual: manual ? { levelKey: manual.levelKey, by: manual.email, at: manual.setAt, reason: manual.reason } : null });
      if (scope.levels.length && !scope.levels.includes(level.levelKey)) continue;
      page.push({ id: r.id, name: r.name, arn: r.arn, region: r.region, accountId: r.account_id, stateId: r.state_id, stateHash: r.hash.trim(), readAt: r.read_at, settings, manual, levelKey: level.levelKey, levelSource: level.source });
    }
    if (page.length) yield page;
  }
}

const pairsOf = (page: BucketAtT[]) => page.map((b) => ({ accountId: b.accountId, bucketName: b.name }));
const iso = (d: Date | null | undefined) => (d ? d.toISOString() : "");

async function* bucketSettingsFile(client: Db, snap: Snapshot, scope: EvidenceRequest): AsyncGenerator<string> {
  yield "[\n";
  let first = true;
  for await (const page of bucketsAt(client, snap, scope)) {
    for (const b of page) {
      yield `${first ? "" : ",\n"}${stableStringify({ bucketId: b.id, arn: b.arn, accountId: b.accountId, region: b.region, name: b.name, stateId: b.stateId, stateHash: b.stateHash, readAt: iso(b.readAt), settings: b.settings })}`;
      first = false;
    }
  }
  yield "\n]\n";
}

async function* controlMatrixFile(client: Db, snap: Snapshot, scope: EvidenceRequest, counter: { buckets: number }): AsyncGenerator<string> {
  const T = snap.finishedAt;
  yield stringify([["account_id", "bucket", "region", "level", "level_source", "control_id", "required", "status", "observed", "config_verdict", "config_compliance", "waiver_id", "reason"]]);
  const trusted = await trustedAccountIds(client);
  const regionRows = await client.accountRegion.findMany({ select: { accountId: true, region: true, collector: true, status: true, lastSuccessAt: true } });
  const deployed = new Map<string, string[] | null>();
  const macieStatus = new Map<string, MacieRegionStatus>();
  for (const r of regionRows) {
    const k = `${r.accountId}/${r.region}`;
    if (r.collector === "config") {
      const s = r.status as { deployedRules?: { sourceIdentifier: string }[] } | null;
      deployed.set(k, r.lastSuccessAt && s?.deployedRules ? s.deployedRules.map((d) => d.sourceIdentifier) : null);
    } else if (r.collector === "macie" && r.status) macieStatus.set(k, r.status as MacieRegionStatus);
  }
  const accounts = new Map(
    (await client.account.findMany({ select: { id: true, s3AccountSettings: true } })).map((a) => [
      a.id,
      (a.s3AccountSettings as AccountSettings | null) ?? { publicAccessBlock: unknown("Account settings have not been read yet") as Setting<never> },
    ]),
  );
  for await (const page of bucketsAt(client, snap, scope)) {
    const pairs = pairsOf(page);
    const [configRows, findings, profiles, waivers] = await Promise.all([
      client.configEvaluation.findMany({ where: { OR: pairs, recordedAt: { lte: T } }, select: { accountId: true, bucketName: true, region: true, sourceIdentifier: true, ruleName: true, complianceType: true, recordedAt: true, annotation: true } }),
      client.macieFinding.findMany({ where: { OR: pairs, category: "CLASSIFICATION", createdAt: { lte: T }, archived: false }, select: { accountId: true, bucketName: true, severityScore: true, sensitiveDataCategories: true, detectionTypes: true } }),
      client.macieBucketProfile.findMany({ where: { OR: pairs }, select: { accountId: true, bucketName: true, sensitivityScore: true, monitoringStatus: true } }),
      activeWaiversAt(client, page.map((b) => b.id), T),
    ]);
    for (const b of page) {
      const key = (a: string, n: string) => a === b.accountId && n === b.name;
      const mine = findings.filter((f) => key(f.accountId, f.bucketName));
      const profile = profiles.find((p) => key(p.accountId, p.bucketName));
      const session = macieSession(macieStatus.get(`${b.accountId}/${b.region}`), b.accountId, b.region);
      const macie: MacieBucketContext | null = session
        ? {
            macie: session,
            sensitiveFindings: {
              count: mine.length,
              maxSeverityScore: Math.max(0, ...mine.map((f) => f.severityScore)),
              categories: [...new Set(mine.flatMap((f) => f.sensitiveDataCategories))].sort(),
              types: [...new Set(mine.flatMap((f) => f.detectionTypes))].sort(),
            },
            sensitivityScore: profile?.sensitivityScore ?? null,
            automatedDiscoveryMonitoringStatus: (profile?.monitoringStatus as "MONITORED" | "NOT_MONITORED" | null) ?? null,
          }
        : null;
      const configVerdicts: ConfigVerdict[] = configRows
        .filter((c) => key(c.accountId, c.bucketName) && c.region === b.region)
        .map((c) => ({ sourceIdentifier: c.sourceIdentifier, ruleName: c.ruleName, complianceType: c.complianceType as ConfigVerdict["complianceType"], recordedAt: c.recordedAt.toISOString(), annotation: c.annotation }));
      const level = resolveBucketLevel({ scheme: snap.scheme, tags: b.settings.tags, manual: b.manual ? { levelKey: b.manual.levelKey, by: b.manual.email, at: b.manual.setAt, reason: b.manual.reason } : null });
      const evaluation = evaluateBucket({
        scheme: snap.scheme,
        schemeVersion: snap.schemeVersion,
        input: { bucket: { name: b.name, arn: b.arn, region: b.region, accountId: b.accountId }, settings: b.settings, account: accounts.get(b.accountId)!, macie, trustedAccountIds: trusted },
        level,
        waivers: waivers.filter((w) => w.bucketId === b.id),
        configVerdicts,
        deployedConfigRules: deployed.get(`${b.accountId}/${b.region}`) ?? null,
        now: T,
      });
      counter.buckets++;
      const rows = evaluation.results
        .filter((r) => !scope.controls.length || scope.controls.includes(r.controlId))
        .map((r) => [b.accountId, b.name, b.region, evaluation.level.levelKey, evaluation.level.source, r.controlId, r.required ? "true" : "false", r.status, r.observed, r.config?.verdict ?? "", r.config?.complianceType ?? "", r.waiverId ?? "", r.reason]);
      if (rows.length) yield stringify(rows);
    }
  }
}

function activeWaiversAt(client: Db, bucketIds: number[], T: Date) {
  return client.waiver.findMany({
    where: { bucketId: { in: bucketIds }, status: { in: ["approved", "revoked", "expired"] }, decidedAt: { lte: T }, expiresAt: { gt: T }, OR: [{ endedAt: null }, { endedAt: { gt: T } }] },
    orderBy: [{ bucketId: "asc" }, { controlId: "asc" }, { id: "asc" }],
    select: { id: true, bucketId: true, controlId: true, reason: true, owner: true, expiresAt: true, proposedAt: true, decidedAt: true },
  });
}

async function* configFile(client: Db, snap: Snapshot, scope: EvidenceRequest): AsyncGenerator<string> {
  yield "[\n";
  let first = true;
  for await (const page of bucketsAt(client, snap, scope)) {
    const rows = await client.configEvaluation.findMany({
      where: { OR: pairsOf(page), recordedAt: { lte: snap.finishedAt } },
      select: { accountId: true, region: true, bucketName: true, ruleName: true, sourceIdentifier: true, complianceType: true, recordedAt: true, annotation: true },
    });
    const order = new Map(page.map((b, i) => [`${b.accountId}/${b.name}`, i]));
    rows.sort((a, b) => order.get(`${a.accountId}/${a.bucketName}`)! - order.get(`${b.accountId}/${b.bucketName}`)! || a.region.localeCompare(b.region) || a.ruleName.localeCompare(b.ruleName));
    for (const r of rows) {
      yield `${first ? "" : ",\n"}${stableStringify({ ...r, recordedAt: iso(r.recordedAt) })}`;
      first = false;
    }
  }
  yield "\n]\n";
}

async function* macieFile(client: Db, snap: Snapshot, scope: EvidenceRequest): AsyncGenerator<string> {
  yield "[\n";
  let first = true;
  for await (const page of bucketsAt(client, snap, scope)) {
    const rows = await client.macieFinding.findMany({
      where: { OR: pairsOf(page), createdAt: { lte: snap.finishedAt } },
      select: { id: true, accountId: true, region: true, bucketName: true, type: true, category: true, severity: true, severityScore: true, count: true, sensitiveDataCategories: true, detectionTypes: true, createdAt: true, archived: true },
    });
    const order = new Map(page.map((b, i) => [`${b.accountId}/${b.name}`, i]));
    rows.sort((a, b) => order.get(`${a.accountId}/${a.bucketName}`)! - order.get(`${b.accountId}/${b.bucketName}`)! || a.id.localeCompare(b.id));
    for (const r of rows) {
      yield `${first ? "" : ",\n"}${stableStringify({ ...r, createdAt: iso(r.createdAt) })}`;
      first = false;
    }
  }
  yield "\n]\n";
}

async function* waiversFile(client: Db, snap: Snapshot, scope: EvidenceRequest): AsyncGenerator<string> {
  yield stringify([["waiver_id", "account_id", "bucket", "control_id", "reason", "owner", "proposed_at", "approved_at", "expires_at"]]);
  for await (const page of bucketsAt(client, snap, scope)) {
    const byId = new Map(page.map((b) => [b.id, b]));
    const rows = (await activeWaiversAt(client, page.map((b) => b.id), snap.finishedAt)).filter((w) => !scope.controls.length || scope.controls.includes(w.controlId as never));
    if (rows.length) yield stringify(rows.map((w) => [w.id, byId.get(w.bucketId)!.accountId, byId.get(w.bucketId)!.name, w.controlId, w.reason, w.owner, iso(w.proposedAt), iso(w.decidedAt), iso(w.expiresAt)]));
  }
}

/** The scope as recorded: sorted and de-duplicated, so equal requests describe themselves equally. */
export function normalizeScope(scope: EvidenceRequest): EvidenceRequest {
  const norm = <T extends string>(xs: T[]) => [...new Set(xs)].sort();
  return { syncRunId: scope.syncRunId, accounts: norm(scope.accounts), ous: norm(scope.ous), levels: norm(scope.levels), controls: norm(scope.controls) };
}

/**
 * Stream the bundle into `out`. `onManifest` runs once every data file is hashed, before manifest.json is written
 * (the caller records the bundle there). Resolves when the ZIP is complete.
 */
export async function writeEvidenceBundle(
  client: Db,
  args: { request: EvidenceRequest; createdBy: { id: string; email: string }; createdAt: Date; out: PassThrough; onManifest?: (result: BundleResult) => Promise<void> },
): Promise<BundleResult> {
  const scope = normalizeScope(args.request);
  const snap = await resolveSnapshot(client, scope.syncRunId);
  const archive = new ZipArchive({ zlib: { level: 6 } });
  const failed = new Promise<never>((_, reject) => archive.on("error", reject));
  failed.catch(() => undefined);
  archive.pipe(args.out);
  const date = snap.finishedAt; // entry timestamps from the snapshot, not the clock
  const counter = { buckets: 0 };
  const files: BundleFile[] = [];

  const sources: [string, () => AsyncGenerator<string> | Generator<string>][] = [
    ["scheme.json", function* () { yield `${stableStringify({ version: snap.schemeVersion, scheme: JSON.parse(exportClassificationScheme(snap.scheme)) })}\n`; }],
    ["bucket-settings.json", () => bucketSettingsFile(client, snap, scope)],
    ["control-matrix.csv", () => controlMatrixFile(client, snap, scope, counter)],
    ["config-evaluations.json", () => configFile(client, snap, scope)],
    ["macie-findings.json", () => macieFile(client, snap, scope)],
    ["waivers.csv", () => waiversFile(client, snap, scope)],
  ];
  for (const [name, make] of sources) {
    const hash = createHash("sha256");
    let bytes = 0;
    const gen = make();
    const hashed = async function* () {
      for await (const chunk of gen) {
        const buf = Buffer.from(chunk, "utf8");
        hash.update(buf);
        bytes += buf.length;
        yield buf;
      }
    };
    const entered = new Promise<void>((resolve) => {
      const onEntry = (e: { name: string }) => {
        if (e.name === name) {
          archive.off("entry", onEntry);
          resolve();
        }
      };
      archive.on("entry", onEntry);
    });
    archive.append(Readable.from(hashed()), { name, date });
    await Promise.race([entered, failed]);
    files.push({ name, sha256: hash.digest("hex"), bytes });
  }

  const manifest = {
    format: BUNDLE_FORMAT,
    createdAt: args.createdAt.toISOString(),
    createdBy: args.createdBy.email,
    snapshot: { syncRunId: snap.syncRunId, finishedAt: snap.finishedAt.toISOString(), status: snap.status },
    schemeVersion: snap.schemeVersion,
    filters: { accounts: scope.accounts, ous: scope.ous, levels: scope.levels, controls: scope.controls },
    buckets: counter.buckets,
    files,
    limitations: BUNDLE_LIMITATIONS,
  };
  const manifestText = `${JSON.stringify(manifest, null, 2)}\n`;
  const result: BundleResult = { manifest, manifestSha256: createHash("sha256").update(manifestText).digest("hex"), bucketCount: counter.buckets, files };
  await args.onManifest?.(result);
  archive.append(manifestText, { name: "manifest.json", date });
  await Promise.race([archive.finalize(), failed]);
  return result;
}

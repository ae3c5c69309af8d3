/**
 * The current per-bucket view for exports, read in id-ordered pages (keyset pagination) so an export of 100,000
 * buckets streams with constant memory: settings, level, control statuses, Config verdicts, Macie counts, risk.
 */
import { CONTROL_CATALOG } from "@/lib/domain/controls/catalog";
import type { Db } from "@/lib/db/prisma";

export interface BucketExportRow {
  id: number;
  arn: string;
  name: string;
  accountId: string;
  accountName: string;
  region: string;
  level: string | null;
  levelSource: string;
  classified: boolean;
  exposure: string;
  publicWrite: string;
  riskScore: number;
  compliant: boolean;
  failingRequired: number;
  unknownRequired: number;
  macieFindings: number;
  macieMaxSeverity: number;
  configDisagreements: number;
  lastSeenAt: string;
  evaluatedAt: string | null;
  accountLastSuccessAt: string | null;
  /** controlId → status (pass | fail | unknown | waived | not-required). */
  controls: Record<string, string>;
  /** controlId → Config verdict (agree | disagree | rule-not-deployed | no-data). */
  configVerdicts: Record<string, string>;
  settings: unknown;
}

export const CONTROL_IDS = CONTROL_CATALOG.map((c) => c.id);

export async function* iterateBucketView(client: Db, options: { batchSize?: number } = {}): AsyncGenerator<BucketExportRow> {
  const take = options.batchSize ?? 500;
  let after = 0;
  for (;;) {
    const page = await client.bucket.findMany({
      where: { goneAt: null, id: { gt: after } },
      orderBy: { id: "asc" },
      take,
      select: {
        id: true, arn: true, name: true, accountId: true, region: true, levelKey: true, levelSource: true, classified: true,
        exposure: true, publicWrite: true, riskScore: true, compliant: true, failingRequired: true, unknownRequired: true,
        macieFindings: true, macieMaxSeverity: true, configDisagreements: true, lastSeenAt: true, evaluatedAt: true,
        account: { select: { name: true, lastSuccessAt: true } },
        currentState: { select: { settings: true } },
        controlResults: { select: { controlId: true, status: true, configVerdict: true } },
      },
    });
    for (const b of page) {
      yield {
        id: b.id, arn: b.arn, name: b.name, accountId: b.accountId, accountName: b.account.name, region: b.region,
        level: b.levelKey, levelSource: b.levelSource, classified: b.classified, exposure: b.exposure, publicWrite: b.publicWrite,
        riskScore: b.riskScore, compliant: b.compliant, failingRequired: b.failingRequired, unknownRequired: b.unknownRequired,
        macieFindings: b.macieFindings, macieMaxSeverity: b.macieMaxSeverity, configDisagreements: b.configDisagreements,
        lastSeenAt: b.lastSeenAt.toISOString(), evaluatedAt: b.evaluatedAt?.toISOString() ?? null,
        accountLastSuccessAt: b.account.lastSuccessAt?.toISOString() ?? null,
        controls: Object.fromEntries(b.controlResults.map((c) => [c.controlId, c.status])),
        configVerdicts: Object.fromEntries(b.controlResults.filter((c) => c.configVerdict).map((c) => [c.controlId, c.configVerdict as string])),
        settings: b.currentState?.settings ?? null,
      };
    }
    if (page.length < take) return;
    after = page[page.length - 1]!.id;
  }
}

/** Flat CSV columns: the view's scalars, then one status column and one Config column per control. */
export function csvColumns(): string[] {
  return [
    "id", "arn", "name", "accountId", "accountName", "region", "level", "levelSource", "classified", "exposure", "publicWrite",
    "riskScore", "compliant", "failingRequired", "unknownRequired", "macieFindings", "macieMaxSeverity", "configDisagreements",
    "lastSeenAt", "evaluatedAt", "accountLastSuccessAt",
    ...CONTROL_IDS.map((id) => `control:${id}`),
    ...CONTROL_IDS.map((id) => `config:${id}`),
  ];
}

export function csvRecord(row: BucketExportRow): (string | number | boolean | null)[] {
  return [
    row.id, row.arn, row.name, row.accountId, row.accountName, row.region, row.level, row.levelSource, row.classified, row.exposure,
    row.publicWrite, row.riskScore, row.compliant, row.failingRequired, row.unknownRequired, row.macieFindings, row.macieMaxSeverity,
    row.configDisagreements, row.lastSeenAt, row.evaluatedAt, row.accountLastSuccessAt,
    ...CONTROL_IDS.map((id) => row.controls[id] ?? ""),
    ...CONTROL_IDS.map((id) => row.configVerdicts[id] ?? ""),
  ];
}

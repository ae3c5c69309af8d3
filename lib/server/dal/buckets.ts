import "server-only";
/**
 * Buckets for the app. Every function authorizes first, filters/sorts/paginates in Postgres on indexed columns,
 * and returns DTOs (never raw rows).
 */
import type { Prisma } from "@/lib/generated/prisma/client";
import type { BucketSettings } from "@/lib/domain/bucket-settings";
import { AppError } from "@/lib/errors";
import type { BucketQuery } from "@/lib/schemas/bucket-query";
import { db } from "@/lib/server/db";
import { authorize, type Actor } from "@/lib/server/permissions";

export function bucketWhere(query: BucketQuery): Prisma.BucketWhereInput {
  const where: Prisma.BucketWhereInput = { goneAt: null };
  if (query.account) where.accountId = query.account;
  if (query.region) where.region = query.region;
  if (query.level) where.levelKey = query.level;
  if (query.source) where.levelSource = query.source;
  if (query.exposure) where.exposure = query.exposure;
  if (query.q) where.name = { contains: query.q, mode: "insensitive" };
  return where;
}

function bucketOrder(query: BucketQuery): Prisma.BucketOrderByWithRelationInput[] {
  const dir: "asc" | "desc" = query.dir ?? (query.sort === "risk" || !query.sort ? "desc" : "asc");
  switch (query.sort ?? "risk") {
    case "name":
      return [{ name: dir }, { id: "asc" }];
    case "account":
      return [{ accountId: dir }, { name: "asc" }, { id: "asc" }];
    case "region":
      return [{ region: dir }, { name: "asc" }, { id: "asc" }];
    case "level":
      return [{ levelKey: dir }, { riskScore: "desc" }, { id: "asc" }];
    case "lastSeen":
      return [{ account: { lastSuccessAt: dir } }, { id: "asc" }];
    default:
      return [{ riskScore: dir }, { id: "asc" }];
  }
}

export async function listBuckets(actor: Actor | null, query: BucketQuery) {
  authorize(actor, "buckets:read");
  const where = bucketWhere(query);
  const client = db();
  const [total, rows] = await Promise.all([
    client.bucket.count({ where }),
    client.bucket.findMany({
      where,
      orderBy: bucketOrder(query),
      skip: (query.page - 1) * query.pageSize,
      take: query.pageSize,
      select: {
        id: true,
        name: true,
        region: true,
        accountId: true,
        account: { select: { name: true, lastSuccessAt: true } },
        levelKey: true,
        levelSource: true,
        classified: true,
        exposure: true,
        riskScore: true,
        failingRequired: true,
        unknownRequired: true,
        macieMaxSeverity: true,
        lastSeenAt: true,
        evaluatedAt: true,
      },
    }),
  ]);
  return {
    total,
    page: query.page,
    pageSize: query.pageSize,
    pages: Math.max(1, Math.ceil(total / query.pageSize)),
    // Settings of a listed bucket were last confirmed by its account's last successful sync (unchanged buckets
    // are not rewritten on every sync); a bucket no longer listed keeps the time it was last seen.
    rows: rows.map(({ account, ...b }) => ({ ...b, accountName: account.name, lastReadAt: account.lastSuccessAt ?? b.lastSeenAt })),
  };
}

export type BucketListRow = Awaited<ReturnType<typeof listBuckets>>["rows"][number];

export async function bucketFilterOptions(actor: Actor | null) {
  authorize(actor, "buckets:read");
  const client = db();
  const [accounts, regions, levels] = await Promise.all([
    client.account.findMany({ select: { id: true, name: true }, orderBy: { name: "asc" } }),
    client.bucket.findMany({ where: { goneAt: null }, distinct: ["region"], select: { region: true }, orderBy: { region: "asc" } }),
    currentLevels(),
  ]);
  return { accounts, regions: regions.map((r) => r.region), levels };
}

/** Levels of the current scheme version, highest rank first. */
export async function currentLevels() {
  const latest = await db().schemeVersion.findFirst({ orderBy: { version: "desc" }, select: { version: true } });
  if (!latest) return [];
  return db().classificationLevel.findMany({
    where: { schemeVersion: latest.version },
    orderBy: { rank: "desc" },
    select: { key: true, name: true, rank: true },
  });
}

export async function getBucket(actor: Actor | null, id: number) {
  authorize(actor, "buckets:read");
  const bucket = await db().bucket.findUnique({
    where: { id },
    select: {
      id: true,
      arn: true,
      name: true,
      region: true,
      accountId: true,
      account: {
        select: { name: true, ouPath: true, lastSyncStatus: true, lastSuccessAt: true, lastError: true, s3AccountSettings: true, s3AccountSettingsReadAt: true },
      },
      bucketCreatedAt: true,
      firstSeenAt: true,
      lastSeenAt: true,
      goneAt: true,
      levelKey: true,
      levelSource: true,
      classified: true,
      exposure: true,
      publicWrite: true,
      riskScore: true,
      failingRequired: true,
      unknownRequired: true,
      evaluatedAt: true,
      schemeVersion: true,
      currentState: { select: { settings: true, readAt: true, lastReadAt: true, syncRunId: true } },
      classification: { select: { levelKey: true, reason: true, setAt: true, setBy: { select: { email: true } } } },
      changes: {
        orderBy: { changedAt: "desc" },
        take: 50,
        select: { id: true, setting: true, fromValue: true, toValue: true, changedAt: true },
      },
      controlResults: {
        select: {
          controlId: true, required: true, status: true, observed: true, reason: true, evidence: true,
          configVerdict: true, configCompliance: true, waiverId: true,
        },
      },
    },
  });
  if (!bucket) throw new AppError("not_found", `There is no bucket with id ${id}.`);
  const { currentState, ...rest } = bucket;
  return {
    ...rest,
    settings: (currentState?.settings ?? null) as BucketSettings | null,
    settingsReadAt: currentState?.readAt ?? null,
    settingsConfirmedAt: rest.goneAt ? rest.lastSeenAt : (rest.account.lastSuccessAt ?? currentState?.lastReadAt ?? null),
  };
}

export type BucketDetail = Awaited<ReturnType<typeof getBucket>>;

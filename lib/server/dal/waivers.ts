import "server-only";
/**
 * Waivers: a security lead proposes an exception for one bucket × control (reason, owner, expiry ≤ 1 year); an
 * admin other than the proposer approves or rejects it; an admin may revoke an approved one. An approved waiver
 * turns that control's fail into "waived" until it expires: evaluation ignores a waiver past its expiry, and the
 * sync workers' housekeeping (lib/sync/jobs/expire-waivers.ts) marks it expired and re-evaluates its bucket within
 * about 30 s. Every step is audited.
 */
import type { Db } from "@/lib/db/prisma";
import { startCsvStream } from "@/lib/export/csv";
import { keysetPages } from "@/lib/export/keyset-pages";
import type { Prisma } from "@/lib/generated/prisma/client";
import { AppError } from "@/lib/errors";
import { parseInput } from "@/lib/schemas/parse-input";
import { DecideWaiverSchema, ProposeWaiverSchema, waiverExpiry, type WaiverQuery } from "@/lib/schemas/waiver";
import { writeAudit } from "@/lib/server/audit";
import { db } from "@/lib/server/db";
import { authorize, type Actor } from "@/lib/server/permissions";
import { reevaluateAndWait } from "@/lib/evaluation/reevaluation";

const PAGE_SIZE = 50;

async function findBucket(client: Db, ref: string) {
  const select = { id: true, name: true, goneAt: true } as const;
  const bucket = /^\d{1,10}$/.test(ref)
    ? await client.bucket.findUnique({ where: { id: Number(ref) }, select })
    : await client.bucket.findFirst({ where: { name: ref }, orderBy: { id: "asc" }, select });
  if (!bucket) throw new AppError("not_found", `bucket: there is no bucket "${ref}".`);
  return bucket;
}

export async function proposeWaiverWith(client: Db, actor: Actor | null, raw: unknown, now = new Date()) {
  authorize(actor, "waivers:propose");
  const input = parseInput(ProposeWaiverSchema, raw);
  const expiry = waiverExpiry(input.expiresOn, now);
  if (!expiry.ok) throw new AppError("invalid_input", expiry.error);
  const bucket = await findBucket(client, input.bucket);
  const result = await client.controlResult.findUnique({
    where: { bucketId_controlId: { bucketId: bucket.id, controlId: input.controlId } },
    select: { status: true, required: true },
  });
  if (!result || !result.required || result.status !== "fail") {
    throw new AppError(
      "conflict",
      `control: ${input.controlId} is ${!result ? "not evaluated" : !result.required ? "not required" : result.status} on ${bucket.name}; only a failing required control can be waived.`,
    );
  }
  const open = await client.waiver.findFirst({
    where: {
      bucketId: bucket.id,
      controlId: input.controlId,
      OR: [{ status: "proposed" }, { status: "approved", expiresAt: { gt: now } }],
    },
    select: { status: true },
  });
  if (open)
    throw new AppError(
      "conflict",
      `control: ${bucket.name} already has a ${open.status} waiver for ${input.controlId}.`,
    );
  return client.$transaction(async (tx) => {
    const waiver = await tx.waiver.create({
      data: {
        bucketId: bucket.id,
        controlId: input.controlId,
        reason: input.reason,
        owner: input.owner,
        expiresAt: expiry.expiresAt,
        proposedById: actor.id,
      },
      select: { id: true },
    });
    await writeAudit(tx, {
      actor,
      action: "waiver.propose",
      targetType: "waiver",
      targetId: waiver.id,
      outcome: "success",
      detail: {
        bucket: bucket.name,
        bucketId: bucket.id,
        controlId: input.controlId,
        owner: input.owner,
        expiresAt: expiry.expiresAt.toISOString(),
        reason: input.reason,
      },
    });
    return { id: waiver.id, bucketId: bucket.id, bucketName: bucket.name };
  });
}

export async function decideWaiverWith(client: Db, actor: Actor | null, raw: unknown, now = new Date()) {
  authorize(actor, "waivers:decide");
  const { waiverId, decision, note } = parseInput(DecideWaiverSchema, raw);
  const waiver = await client.waiver.findUnique({
    where: { id: waiverId },
    select: { id: true, status: true, proposedById: true, bucketId: true, controlId: true, expiresAt: true },
  });
  if (!waiver) throw new AppError("not_found", "There is no such waiver.");
  const action = `waiver.${decision}`;
  if (decision !== "revoke" && waiver.proposedById === actor.id) {
    await writeAudit(client, {
      actor,
      action,
      targetType: "waiver",
      targetId: waiver.id,
      outcome: "denied",
      detail: { why: "proposer may not decide their own waiver" },
    });
    throw new AppError("forbidden", "You proposed this waiver; another admin has to approve or reject it.");
  }
  const expected = decision === "revoke" ? "approved" : "proposed";
  if (waiver.status !== expected)
    throw new AppError(
      "conflict",
      `This waiver is ${waiver.status}; only a ${expected} waiver can be ${decision === "revoke" ? "revoked" : `${decision}d`}.`,
    );
  if (decision === "approve" && waiver.expiresAt <= now)
    throw new AppError("conflict", "This waiver's expiry date has passed; propose a new one.");

  const data: Prisma.WaiverUpdateInput =
    decision === "revoke"
      ? { status: "revoked", endedAt: now, endedById: actor.id, decisionNote: note || null }
      : {
          status: decision === "approve" ? "approved" : "rejected",
          decidedById: actor.id,
          decidedAt: now,
          decisionNote: note || null,
        };
  await client.$transaction(async (tx) => {
    // Conditional update: two admins deciding at once cannot both win.
    const updated = await tx.waiver.updateMany({
      where: { id: waiver.id, status: expected },
      data: data as Prisma.WaiverUpdateManyMutationInput,
    });
    if (updated.count !== 1)
      throw new AppError("conflict", "Someone else decided this waiver a moment ago; reload the page.");
    await writeAudit(tx, {
      actor,
      action,
      targetType: "waiver",
      targetId: waiver.id,
      outcome: "success",
      detail: { bucketId: waiver.bucketId, controlId: waiver.controlId, note: note || null },
    });
  });
  if (decision !== "reject") await reevaluateAndWait(client, { id: waiver.bucketId });
  return { id: waiver.id, bucketId: waiver.bucketId, status: data.status as string };
}

export const proposeWaiver = (actor: Actor | null, raw: unknown) => proposeWaiverWith(db(), actor, raw);
export const decideWaiver = (actor: Actor | null, raw: unknown) => decideWaiverWith(db(), actor, raw);

function waiverWhere(query: Partial<WaiverQuery>): Prisma.WaiverWhereInput {
  const where: Prisma.WaiverWhereInput = {};
  if (query.status) where.status = query.status;
  if (query.bucket) where.bucketId = query.bucket;
  if (query.control) where.controlId = query.control;
  return where;
}

const waiverSelect = {
  id: true,
  bucketId: true,
  controlId: true,
  reason: true,
  owner: true,
  expiresAt: true,
  status: true,
  proposedById: true,
  proposedAt: true,
  decidedById: true,
  decidedAt: true,
  decisionNote: true,
  endedAt: true,
  bucket: { select: { name: true, accountId: true } },
} as const;

async function emailsOf(client: Db, ids: (string | null)[]) {
  const unique = [...new Set(ids.filter((x): x is string => !!x))];
  const users = await client.user.findMany({ where: { id: { in: unique } }, select: { id: true, email: true } });
  return new Map(users.map((u) => [u.id, u.email]));
}

export async function listWaivers(actor: Actor | null, query: WaiverQuery) {
  authorize(actor, "waivers:read");
  const client = db();
  const where = waiverWhere(query);
  const [total, rows, counts] = await Promise.all([
    client.waiver.count({ where }),
    client.waiver.findMany({
      where,
      orderBy: [{ proposedAt: "desc" }, { id: "asc" }],
      skip: (query.page - 1) * PAGE_SIZE,
      take: PAGE_SIZE,
      select: waiverSelect,
    }),
    client.waiver.groupBy({ by: ["status"], _count: { _all: true } }),
  ]);
  const emails = await emailsOf(
    client,
    rows.flatMap((r) => [r.proposedById, r.decidedById]),
  );
  return {
    total,
    page: query.page,
    pageSize: PAGE_SIZE,
    pages: Math.max(1, Math.ceil(total / PAGE_SIZE)),
    counts: Object.fromEntries(counts.map((c) => [c.status, c._count._all])) as Record<string, number>,
    rows: rows.map(({ bucket, proposedById, decidedById, ...w }) => ({
      ...w,
      bucketName: bucket.name,
      accountId: bucket.accountId,
      proposedById,
      proposedBy: emails.get(proposedById) ?? "deleted user",
      decidedBy: decidedById ? (emails.get(decidedById) ?? "deleted user") : null,
    })),
  };
}

/** What the propose form needs for a bucket: its failing required controls. */
export async function waiverCandidates(actor: Actor | null, bucketId: number) {
  authorize(actor, "waivers:propose");
  const bucket = await db().bucket.findUnique({
    where: { id: bucketId },
    select: {
      id: true,
      name: true,
      controlResults: {
        where: { required: true, status: "fail" },
        select: { controlId: true },
        orderBy: { controlId: "asc" },
      },
    },
  });
  return bucket ? { id: bucket.id, name: bucket.name, failing: bucket.controlResults.map((c) => c.controlId) } : null;
}

const CSV_COLUMNS = [
  "id",
  "bucket",
  "account",
  "control",
  "status",
  "reason",
  "owner",
  "expires_at",
  "proposed_by",
  "proposed_at",
  "decided_by",
  "decided_at",
  "decision_note",
  "ended_at",
];

/**
 * Every waiver matching the filter as CSV (lib/export/csv.ts: reasons and owners are free text), streamed in keyset
 * pages (proposedAt, id). The export route audits it (waiver.export) once the first page has been read.
 */
export async function streamWaiversCsv(
  actor: Actor | null,
  query: Partial<WaiverQuery>,
): Promise<ReadableStream<Uint8Array>> {
  authorize(actor, "waivers:read");
  const client = db();
  const where = waiverWhere(query);
  const iso = (d: Date | null) => (d ? d.toISOString() : "");
  const pages = keysetPages(
    (after: { proposedAt: Date; id: string } | null, limit) =>
      client.waiver.findMany({
        where: after
          ? {
              AND: [
                where,
                {
                  OR: [
                    { proposedAt: { lt: after.proposedAt } },
                    { proposedAt: after.proposedAt, id: { gt: after.id } },
                  ],
                },
              ],
            }
          : where,
        orderBy: [{ proposedAt: "desc" }, { id: "asc" }],
        take: limit,
        select: waiverSelect,
      }),
    (last) => ({ proposedAt: last.proposedAt, id: last.id }),
    500,
  );
  return startCsvStream(CSV_COLUMNS, pages, async (page) => {
    const emails = await emailsOf(
      client,
      page.flatMap((r) => [r.proposedById, r.decidedById]),
    );
    return page.map((w) => [
      w.id,
      w.bucket.name,
      w.bucket.accountId,
      w.controlId,
      w.status,
      w.reason,
      w.owner,
      iso(w.expiresAt),
      emails.get(w.proposedById) ?? "",
      iso(w.proposedAt),
      w.decidedById ? (emails.get(w.decidedById) ?? "") : "",
      iso(w.decidedAt),
      w.decisionNote ?? "",
      iso(w.endedAt),
    ]);
  });
}

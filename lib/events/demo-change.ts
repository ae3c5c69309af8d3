/**
 * `npm run demo:change`: change a bucket of the demo's fixture AWS as someone with console access would, and send the
 * CloudTrail events AWS would deliver for it to the local bucket-change queue — so a new user watches the overview,
 * the bucket page and the webhooks follow within seconds, through the same consumer production runs.
 */
import { randomUUID } from "node:crypto";
import type { Db } from "@/lib/db/prisma";
import { settingsFrom, processEnv, type EnvSource } from "@/lib/env";
import type { ConnectorMode, DemoChangesSource } from "@/lib/sources/connector-factory";
import { demoFixtureWorld } from "@/lib/sources/fixture/demo-organisation";
import { demoChangeEvents, type DemoChangeKind } from "@/lib/sources/fixture/demo-changes";
import { sqsEventsQueue, type EventsQueue } from "@/lib/sources/events-queue/sqs-queue";
import { localEventsQueue, sendLocalEvent } from "./local-queue";

/** The recorded demo changes, read at each account connection of the fixture AWS. */
export function demoChangesFrom(db: Db): DemoChangesSource {
  return async () => db.demoChange.findMany({ orderBy: { id: "asc" }, select: { bucketName: true, change: true } });
}

export class DemoChangeError extends Error {}

export async function makeDemoChange(
  db: Db,
  input: { bucketName: string; kind: DemoChangeKind; at?: Date },
): Promise<{ accountId: string; region: string; events: number }> {
  const bucket = demoFixtureWorld()
    .linked.allBuckets()
    .find((b) => b.name === input.bucketName);
  if (!bucket) throw new DemoChangeError(`There is no bucket named "${input.bucketName}" in the demo organisation.`);
  const events = demoChangeEvents(bucket, input.kind, input.at ?? new Date(), `demo-${randomUUID()}`);
  await db.$transaction(async (tx) => {
    await tx.demoChange.create({ data: { bucketName: bucket.name, change: input.kind } });
    for (const e of events) await sendLocalEvent(tx as unknown as Db, e);
  });
  return { accountId: bucket.accountId, region: bucket.region, events: events.length };
}

/**
 * Where a worker reads bucket-change events from: the hub's SQS queue when CUSTODY_EVENTS_QUEUE_URL is set; else, on
 * the demo's fixture AWS, the local queue `npm run demo:change` sends to; else nowhere (daily syncs only).
 */
export function eventsQueueFor(
  db: Db,
  mode: ConnectorMode,
  source: EnvSource = processEnv(),
): { queue: EventsQueue; windowMs: number } | undefined {
  const s = settingsFrom(source);
  const windowMs = s.CUSTODY_EVENTS_WINDOW_SECONDS * 1000;
  if (s.CUSTODY_EVENTS_QUEUE_URL)
    return {
      queue: sqsEventsQueue({ queueUrl: s.CUSTODY_EVENTS_QUEUE_URL, endpointUrl: s.AWS_ENDPOINT_URL }),
      windowMs,
    };
  if (mode === "fixture-demo") return { queue: localEventsQueue(db), windowMs };
  return undefined;
}

/**
 * What a sync made worse, for the webhooks: buckets that newly fail a required control, and buckets that newly
 * became public. Pure: it compares two snapshots of one account taken before and after the account's sync.
 */
export interface PostureSnapshot {
  /** bucketId → required controls failing (status "fail"; waived or unknown do not count). */
  failing: Map<number, Set<string>>;
  /** Buckets whose effective read exposure is "public". */
  publicBuckets: Set<number>;
}

export interface BucketRef {
  id: number;
  name: string;
  accountId: string;
}

export type PostureEvent =
  | { kind: "newly-failing"; bucket: BucketRef; controls: string[] }
  | { kind: "newly-public"; bucket: BucketRef }
  /** Effectively reachable from outside the organisation (not public): from change events (lib/events). */
  | { kind: "newly-reachable"; bucket: BucketRef };

export function emptySnapshot(): PostureSnapshot {
  return { failing: new Map(), publicBuckets: new Set() };
}

export function diffPosture(
  before: PostureSnapshot,
  after: PostureSnapshot,
  bucketOf: (id: number) => BucketRef,
): PostureEvent[] {
  const events: PostureEvent[] = [];
  for (const id of [...after.publicBuckets].sort((a, b) => a - b)) {
    if (!before.publicBuckets.has(id)) events.push({ kind: "newly-public", bucket: bucketOf(id) });
  }
  for (const id of [...after.failing.keys()].sort((a, b) => a - b)) {
    const was = before.failing.get(id) ?? new Set<string>();
    const controls = [...(after.failing.get(id) ?? [])].filter((c) => !was.has(c)).sort();
    if (controls.length) events.push({ kind: "newly-failing", bucket: bucketOf(id), controls });
  }
  return events;
}

/** At most this many lines in one message; the rest is summarised ("and 12 more"). */
export const MAX_LISTED_EVENTS = 50;

/** The JSON body posted to every webhook: Slack-compatible `text`, plus the structured events. */
export function webhookPayload(input: {
  syncRunId: string;
  finishedAt: Date;
  events: PostureEvent[];
  appUrl?: string | null;
}) {
  const { events } = input;
  const lines = events.slice(0, MAX_LISTED_EVENTS).map((e) => {
    const where = `${e.bucket.name} (account ${e.bucket.accountId})`;
    const link = input.appUrl ? ` ${input.appUrl.replace(/\/$/, "")}/buckets/${e.bucket.id}` : "";
    if (e.kind === "newly-public") return `• ${where} became PUBLIC${link}`;
    if (e.kind === "newly-reachable") return `• ${where} became reachable from outside the organisation${link}`;
    return `• ${where} now fails ${e.controls.join(", ")}${link}`;
  });
  if (events.length > MAX_LISTED_EVENTS) lines.push(`… and ${events.length - MAX_LISTED_EVENTS} more`);
  const publicCount = events.filter((e) => e.kind === "newly-public").length;
  const reachableCount = events.filter((e) => e.kind === "newly-reachable").length;
  const failingCount = events.length - publicCount - reachableCount;
  const text = [
    `Custody sync finished: ${failingCount} bucket(s) newly fail a required control, ${publicCount} newly public` +
      (reachableCount ? `, ${reachableCount} newly reachable from outside the organisation.` : "."),
    ...lines,
  ].join("\n");
  return {
    text,
    syncRunId: input.syncRunId,
    finishedAt: input.finishedAt.toISOString(),
    events: events.map((e) =>
      e.kind !== "newly-failing"
        ? { kind: e.kind, bucketId: e.bucket.id, bucket: e.bucket.name, accountId: e.bucket.accountId }
        : {
            kind: e.kind,
            bucketId: e.bucket.id,
            bucket: e.bucket.name,
            accountId: e.bucket.accountId,
            controls: e.controls,
          },
    ),
  };
}

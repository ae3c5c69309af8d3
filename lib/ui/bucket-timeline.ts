/**
 * A bucket's timeline: every change to it, newest first — from change events (who, when, from where, the verdict
 * before and after) and from syncs (settings that differ from the previous read) — with the settings diff of each.
 * A re-read caused by events stores its settings diff under the refresh's id, which joins the two.
 */
export interface TimelineChange {
  id: number;
  setting: string;
  fromValue: unknown;
  toValue: unknown;
  changedAt: Date;
  syncRunId: string;
}

export interface TimelineEvent {
  eventId: string;
  eventName: string;
  eventTime: Date;
  actorArn: string | null;
  actorType: string | null;
  principalId: string | null;
  sourceIp: string | null;
  errorCode: string | null;
  refreshId: string | null;
  verdictBefore: unknown;
  verdictAfter: unknown;
}

export interface Verdict {
  exposure: string | null;
  outsideReach: string | null;
  failing: string[];
  gone: boolean;
}

export type TimelineEntry =
  | {
      kind: "event";
      key: string;
      at: Date;
      events: TimelineEvent[];
      changes: TimelineChange[];
      before: Verdict | null;
      after: Verdict | null;
    }
  | { kind: "sync"; key: string; at: Date; changes: TimelineChange[] };

function asVerdict(v: unknown): Verdict | null {
  if (!v || typeof v !== "object") return null;
  const o = v as Partial<Verdict>;
  return {
    exposure: o.exposure ?? null,
    outsideReach: o.outsideReach ?? null,
    failing: Array.isArray(o.failing) ? o.failing : [],
    gone: o.gone === true,
  };
}

export function timelineEntries(changes: TimelineChange[], events: TimelineEvent[]): TimelineEntry[] {
  const changesByRead = new Map<string, TimelineChange[]>();
  for (const c of changes) {
    const list = changesByRead.get(c.syncRunId);
    if (list) list.push(c);
    else changesByRead.set(c.syncRunId, [c]);
  }
  const entries: TimelineEntry[] = [];
  // Events answered by one re-read form one entry; a refused call (no re-read) stands alone.
  const eventsByRefresh = new Map<string, TimelineEvent[]>();
  for (const e of events) {
    const key = e.refreshId ?? `event:${e.eventId}`;
    const list = eventsByRefresh.get(key);
    if (list) list.push(e);
    else eventsByRefresh.set(key, [e]);
  }
  for (const [key, group] of eventsByRefresh) {
    const sorted = [...group].sort((a, b) => a.eventTime.getTime() - b.eventTime.getTime());
    const last = sorted[sorted.length - 1]!;
    entries.push({
      kind: "event",
      key,
      at: last.eventTime,
      events: sorted,
      changes: changesByRead.get(key) ?? [],
      before: asVerdict(last.verdictBefore),
      after: asVerdict(last.verdictAfter),
    });
    changesByRead.delete(key);
  }
  for (const [key, list] of changesByRead) entries.push({ kind: "sync", key, at: list[0]!.changedAt, changes: list });
  return entries.sort((a, b) => b.at.getTime() - a.at.getTime());
}

/** Who, in words: the ARN's last part with its kind (an assumed role's session, a user), else the principal id. */
export function actorLabel(e: Pick<TimelineEvent, "actorArn" | "actorType" | "principalId">): string {
  if (e.actorArn) {
    const assumed = /:assumed-role\/([^/]+)\/(.+)$/.exec(e.actorArn);
    if (assumed) return `${assumed[2]} (role ${assumed[1]})`;
    const user = /:user\/(.+)$/.exec(e.actorArn);
    if (user) return `user ${user[1]}`;
    if (e.actorArn.endsWith(":root")) return "the account's root user";
    return e.actorArn;
  }
  return e.principalId ?? e.actorType ?? "unknown caller";
}

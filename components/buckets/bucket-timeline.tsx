/**
 * The bucket page's timeline: each change with its settings diff; for a change AWS reported as it happened
 * (CloudTrail → EventBridge → Custody), who made it, when, from where, and the bucket's verdict before and after.
 */
import { SETTING_INFO, SettingValue } from "@/components/buckets/setting-summary";
import { Badge } from "@/components/ui/badge";
import { RelativeTime } from "@/components/ui/relative-time";
import {
  actorLabel,
  timelineEntries,
  type TimelineChange,
  type TimelineEvent,
  type Verdict,
} from "@/lib/ui/bucket-timeline";

function Diff({ changes }: { changes: TimelineChange[] }) {
  if (changes.length === 0) return null;
  return (
    <ul className="mt-1 space-y-1">
      {changes.map((c) => (
        <li key={c.id} className="flex flex-wrap items-start gap-2">
          <Badge tone="indigo">{SETTING_INFO[c.setting as keyof typeof SETTING_INFO]?.label ?? c.setting}</Badge>
          <span className="min-w-0 flex-1 text-xs text-slate-600">
            <SettingValue settingKey={c.setting as never} setting={c.fromValue as never} /> →{" "}
            <SettingValue settingKey={c.setting as never} setting={c.toValue as never} />
          </span>
        </li>
      ))}
    </ul>
  );
}

function VerdictChange({ before, after }: { before: Verdict | null; after: Verdict | null }) {
  if (!after) return null;
  if (after.gone) return <p className="mt-1 text-xs text-slate-600">The bucket no longer exists.</p>;
  const was = new Set(before?.failing ?? []);
  const now = new Set(after.failing);
  const newlyFailing = after.failing.filter((c) => !was.has(c));
  const fixed = (before?.failing ?? []).filter((c) => !now.has(c));
  const exposure =
    before?.exposure !== after.exposure ? `${before?.exposure ?? "not known"} → ${after.exposure}` : null;
  const reach =
    after.outsideReach && before?.outsideReach !== after.outsideReach
      ? `from outside the organisation: ${before?.outsideReach ?? "not known"} → ${after.outsideReach}`
      : null;
  if (!exposure && !reach && newlyFailing.length === 0 && fixed.length === 0)
    return <p className="mt-1 text-xs text-slate-500">Verdict unchanged.</p>;
  return (
    <p className="mt-1 flex flex-wrap gap-1 text-xs">
      {exposure ? <Badge tone={after.exposure === "public" ? "red" : "gray"}>exposure {exposure}</Badge> : null}
      {reach ? <Badge tone={after.outsideReach === "reachable" ? "red" : "gray"}>{reach}</Badge> : null}
      {newlyFailing.map((c) => (
        <Badge key={c} tone="red">
          now fails {c}
        </Badge>
      ))}
      {fixed.map((c) => (
        <Badge key={c} tone="green">
          now passes {c}
        </Badge>
      ))}
    </p>
  );
}

export function BucketTimeline({
  changes,
  events,
  now,
}: {
  changes: TimelineChange[];
  events: TimelineEvent[];
  now: Date;
}) {
  const entries = timelineEntries(changes, events);
  if (entries.length === 0) return null;
  return (
    <ol className="divide-y divide-slate-100 text-sm" data-testid="change-history">
      {entries.map((entry) => (
        <li key={entry.key} className="flex flex-wrap items-start gap-3 py-2" data-kind={entry.kind}>
          <span className="w-28 shrink-0 text-xs text-slate-500">
            <RelativeTime date={entry.at} now={now} />
          </span>
          <div className="min-w-0 flex-1">
            {entry.kind === "sync" ? (
              <p className="text-xs text-slate-500">Read by a sync</p>
            ) : (
              <ul className="space-y-0.5">
                {entry.events.map((e) => (
                  <li key={e.eventId} className="text-xs text-slate-700" data-testid="change-event">
                    <span className="font-mono font-medium">{e.eventName}</span>
                    {e.errorCode ? <Badge tone="amber">refused: {e.errorCode}</Badge> : null} by{" "}
                    <span className="font-medium break-all" title={e.actorArn ?? undefined}>
                      {actorLabel(e)}
                    </span>
                    {e.sourceIp ? (
                      <>
                        {" "}
                        from <span className="font-mono">{e.sourceIp}</span>
                      </>
                    ) : null}
                  </li>
                ))}
              </ul>
            )}
            <Diff changes={entry.changes} />
            {entry.kind === "event" ? <VerdictChange before={entry.before} after={entry.after} /> : null}
          </div>
        </li>
      ))}
    </ol>
  );
}

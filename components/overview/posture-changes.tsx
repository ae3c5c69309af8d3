import Link from "next/link";
import { RelativeTime } from "@/components/ui/relative-time";
import { actorLabel } from "@/lib/ui/bucket-timeline";

/** Buckets change events made worse after the last sync (who did it is on the bucket's timeline). */
function SinceEvents({ items, now }: { items: SinceEventItem[]; now: Date }) {
  if (items.length === 0) return null;
  return (
    <div className="mt-4 border-t border-slate-100 pt-3" data-testid="changes-since-sync">
      <p className="text-sm font-medium text-slate-800">Changed since, as AWS reported it</p>
      <ul className="mt-1 space-y-1 text-xs">
        {items.slice(0, 5).map((c) => (
          <li key={c.id} className="wrap-anywhere">
            <Link href={`/buckets/${c.id}`} className="text-indigo-700 hover:underline">
              {c.name}
            </Link>{" "}
            <span className="text-slate-700">
              {[
                c.becamePublic ? "became public" : null,
                c.newlyFailing.length ? `now fails ${c.newlyFailing.join(", ")}` : null,
              ]
                .filter(Boolean)
                .join("; ")}
            </span>{" "}
            <span className="text-slate-500">
              by {actorLabel({ actorArn: c.actorArn, actorType: null, principalId: null })},{" "}
              <RelativeTime date={c.at} now={now} />
            </span>
          </li>
        ))}
        {items.length > 5 ? <li className="text-slate-600">and {items.length - 5} more</li> : null}
      </ul>
    </div>
  );
}

interface SinceEventItem {
  id: number;
  name: string;
  at: Date;
  actorArn: string | null;
  becamePublic: boolean;
  becameReachable?: boolean;
  newlyFailing: string[];
}

/** "Since the last sync": what the last finished sync made newly public, reachable from outside or failing. */
export function PostureChanges({
  latestAt,
  previousAt,
  changes,
  sinceEvents = [],
  now = new Date(),
}: {
  latestAt: Date | null;
  previousAt: Date | null;
  sinceEvents?: SinceEventItem[];
  now?: Date;
  changes: {
    key: string;
    label: string;
    count: number;
    buckets: { id: number; name: string; accountId: string }[];
  }[];
}) {
  if (!latestAt || !previousAt) {
    return (
      <>
        <p className="text-sm text-slate-600" data-testid="posture-changes-none">
          {latestAt
            ? "Only one sync has finished so far: the next one will be compared with it."
            : "No sync has finished yet."}
        </p>
        <SinceEvents items={sinceEvents} now={now} />
      </>
    );
  }
  return (
    <>
      <ul className="space-y-3" data-testid="posture-changes">
        {changes.map((c) => (
          <li key={c.key} data-testid={`change-${c.key}`} data-count={c.count}>
            <div className="flex items-baseline justify-between gap-3 text-sm">
              <span className="font-medium text-slate-800">{c.label}</span>
              <span className={`tabular-nums font-semibold ${c.count > 0 ? "text-rose-700" : "text-slate-700"}`}>
                {c.count.toLocaleString("en")}
              </span>
            </div>
            {c.buckets.length > 0 ? (
              <ul className="mt-1 space-y-0.5 text-xs">
                {c.buckets.map((b) => (
                  <li key={b.id} className="truncate">
                    <Link href={`/buckets/${b.id}`} className="text-indigo-700 hover:underline">
                      {b.name}
                    </Link>{" "}
                    <span className="font-mono text-slate-600">{b.accountId}</span>
                  </li>
                ))}
                {c.count > c.buckets.length ? (
                  <li className="text-slate-600">and {(c.count - c.buckets.length).toLocaleString("en")} more</li>
                ) : null}
              </ul>
            ) : null}
          </li>
        ))}
      </ul>
      <SinceEvents items={sinceEvents} now={now} />
    </>
  );
}

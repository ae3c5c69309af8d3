import { Badge, type BadgeTone } from "@/components/ui/badge";

const SOURCE_LABEL: Record<string, string> = {
  manual: "set by hand",
  cloudtrail: "CloudTrail log bucket",
  tag: "from tag",
  fallback: "unclassified · fallback",
};

export function LevelBadge({
  levelName,
  source,
  rankTone,
}: {
  levelName: string | null;
  source: string;
  rankTone?: BadgeTone;
}) {
  if (source === "fallback") {
    return (
      <span className="inline-flex items-center gap-1.5">
        <Badge tone="amber" title="No classification: evaluated against the fallback level">
          Unclassified
        </Badge>
        {levelName ? <span className="text-xs text-slate-500">as {levelName}</span> : null}
      </span>
    );
  }
  return (
    <span className="inline-flex items-center gap-1.5">
      <Badge tone={rankTone ?? "indigo"}>{levelName ?? "—"}</Badge>
      <span className="text-xs text-slate-500">{SOURCE_LABEL[source] ?? source}</span>
    </span>
  );
}

import { Badge } from "@/components/ui/badge";

export function SyncStatusBadge({ status }: { status: string }) {
  switch (status) {
    case "succeeded":
      return <Badge tone="green">Synced</Badge>;
    case "partial":
      return (
        <Badge tone="amber" title="Some regions or collectors failed; the rest is current">
          Partial
        </Badge>
      );
    case "failed":
      return <Badge tone="red">Failed</Badge>;
    case "running":
      return <Badge tone="blue">Syncing</Badge>;
    case "queued":
      return <Badge tone="indigo">Queued</Badge>;
    default:
      return <Badge tone="gray">Never synced</Badge>;
  }
}

import { Badge } from "@/components/ui/badge";

export function ExposureBadge({ exposure }: { exposure: string }) {
  if (exposure === "public") return <Badge tone="red">Public</Badge>;
  if (exposure === "not-public") return <Badge tone="green">Not public</Badge>;
  return (
    <Badge tone="gray" title="Could not be determined: a setting it depends on was not readable">
      Unknown
    </Badge>
  );
}

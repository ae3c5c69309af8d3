import { Badge, type BadgeTone } from "@/components/ui/badge";

const TONE: Record<string, BadgeTone> = { pass: "green", fail: "red", unknown: "amber", "region-not-enabled": "gray" };
const LABEL: Record<string, string> = {
  pass: "Pass",
  fail: "Fail",
  unknown: "Unknown",
  // Neither a pass nor a failure: the account has not enabled the region the control needed.
  "region-not-enabled": "Region not enabled",
};

/** An account control's verdict; no verdict yet (never evaluated) is a grey dash. The reason is its tooltip. */
export function ControlStatusBadge({ status, reason }: { status: string | null | undefined; reason?: string }) {
  if (!status) return <Badge title="not evaluated yet">—</Badge>;
  return (
    <Badge tone={TONE[status] ?? "gray"} title={reason}>
      {LABEL[status] ?? status}
    </Badge>
  );
}

/** Short column headers for the org table, by control id (the catalog's titles are for the account page). */
export const ACCOUNT_CONTROL_SHORT: Record<string, string> = {
  "trail-multi-region": "All regions",
  "log-file-validation": "Validation",
  "s3-data-events-write": "S3 writes",
  "s3-data-events-read": "S3 reads",
  "trail-bucket-access-logging": "Bucket logged",
  "trail-bucket-not-public": "Bucket private",
  "trail-bucket-mfa-delete": "MFA delete",
  "trail-kms-encryption": "KMS",
  "bucket-change-alerting": "Alerting",
};

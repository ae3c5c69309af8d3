/**
 * The control ids, in catalog order (DESIGN.md §5). Kept apart from the control objects so that the
 * classification scheme schema can validate ids without importing every control.
 */
export const CONTROL_IDS = [
  "encryption-at-rest",
  "kms-encryption",
  "https-only",
  "no-public-read",
  "no-public-write",
  "block-public-access",
  "least-privilege-read",
  "least-privilege-write",
  "acls-disabled",
  "access-logging",
  "versioning",
  "mfa-delete",
  "object-lock",
  "replication",
  "lifecycle",
  "macie-monitored",
  "sensitive-data-matches-level",
] as const;

export type ControlId = (typeof CONTROL_IDS)[number];

export function isControlId(value: string): value is ControlId {
  return (CONTROL_IDS as readonly string[]).includes(value);
}

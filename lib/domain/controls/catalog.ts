/**
 * Every control, in the order of DESIGN.md §5 (new ones after them). Evaluation, the UI, the exports and the id
 * list (control-ids.ts) iterate this list: a new control is its file, its test and one line here.
 */
import { accessLogging } from "./access-logging";
import { aclsDisabled } from "./acls-disabled";
import { backupsKeptApart } from "./backups-kept-apart";
import { blockPublicAccess } from "./block-public-access";
import type { Control } from "./control";
import type { ControlId } from "./control-ids";
import { encryptionAtRest } from "./encryption-at-rest";
import { httpsOnly } from "./https-only";
import { kmsEncryption } from "./kms-encryption";
import { kmsKeyInOrganization } from "./kms-key-in-organization";
import { kmsKeyRotation } from "./kms-key-rotation";
import { leastPrivilegeRead } from "./least-privilege-read";
import { leastPrivilegeWrite } from "./least-privilege-write";
import { lifecycle } from "./lifecycle";
import { macieMonitored } from "./macie-monitored";
import { mfaDelete } from "./mfa-delete";
import { noPublicRead } from "./no-public-read";
import { noPublicWrite } from "./no-public-write";
import { objectLock } from "./object-lock";
import { replication } from "./replication";
import { sensitiveDataMatchesLevel } from "./sensitive-data-matches-level";
import { versioning } from "./versioning";

export const CONTROL_CATALOG = [
  encryptionAtRest,
  kmsEncryption,
  httpsOnly,
  noPublicRead,
  noPublicWrite,
  blockPublicAccess,
  leastPrivilegeRead,
  leastPrivilegeWrite,
  aclsDisabled,
  accessLogging,
  versioning,
  mfaDelete,
  objectLock,
  replication,
  lifecycle,
  macieMonitored,
  sensitiveDataMatchesLevel,
  backupsKeptApart,
  kmsKeyInOrganization,
  kmsKeyRotation,
] as const satisfies readonly Control[];

export function controlById(id: ControlId): Control<ControlId> {
  const c = CONTROL_CATALOG.find((x) => x.id === id);
  if (!c) throw new Error(`unknown control ${id}`);
  return c;
}

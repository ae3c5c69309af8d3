/**
 * S3 Control: the account-wide S3 Block Public Access, which changes every bucket's effective exposure. Read by
 * the S3 source's sync (it is stored with the account's S3 settings), so it has no sync step of its own.
 */
import type { Source } from "@/lib/sources/shared/source";
import { s3controlService } from "./collect";
import { s3controlFixture } from "./fixture";

export const s3controlSource: Source = {
  key: s3controlService.key,
  // Same command name as S3's bucket-level one; this is the account's.
  commands: { GetPublicAccessBlockCommand: ["s3:GetAccountPublicAccessBlock"] },
  fixture: s3controlFixture,
};

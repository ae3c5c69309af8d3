/**
 * KMS: the keys that guard an account's data — what each is, who may decrypt with it (its key policy), whether it
 * rotates — for the key-ownership and rotation controls and the effective-access view. Runs after the bucket
 * inventory and CloudTrail (registry order), whose freshly stored settings name the keys.
 */
import type { Source } from "@/lib/sources/shared/source";
import { collectKmsKeys, kmsService } from "./collect";
import { kmsFixture } from "./fixture";
import { keyReferencesOf, loadKmsKeys } from "./load";

export const kmsSource: Source = {
  key: kmsService.key,
  commands: {
    DescribeKeyCommand: ["kms:DescribeKey"],
    GetKeyPolicyCommand: ["kms:GetKeyPolicy"],
    GetKeyRotationStatusCommand: ["kms:GetKeyRotationStatus"],
    ListAliasesCommand: ["kms:ListAliases"],
  },
  fixture: kmsFixture,
  sync: {
    scope: "account",
    after: ["s3", "cloudtrail"],
    async run({ db, clients, syncRunId, accountId, readAt }) {
      const references = await keyReferencesOf(db, accountId);
      const collection = await collectKmsKeys(clients, { accountId, references });
      await loadKmsKeys(db, { syncRunId, accountId, readAt, collection });
      return { itemsRead: collection.keys.length, error: collection.error };
    },
  },
};

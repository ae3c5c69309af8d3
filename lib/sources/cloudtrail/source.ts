/**
 * CloudTrail: the trails that log an account's activity (organisation trails included), their status and event
 * selectors — the audit trail's controls and the first link of the bucket-change alerting chain.
 */
import type { Source } from "@/lib/sources/shared/source";
import { cloudtrailService, collectCloudTrailAccount } from "./collect";
import { cloudtrailFixture } from "./fixture";
import { loadCloudTrailAccount } from "./load";

export const cloudtrailSource: Source = {
  key: cloudtrailService.key,
  commands: {
    DescribeTrailsCommand: ["cloudtrail:DescribeTrails"],
    GetTrailStatusCommand: ["cloudtrail:GetTrailStatus"],
    GetEventSelectorsCommand: ["cloudtrail:GetEventSelectors"],
  },
  fixture: cloudtrailFixture,
  sync: {
    scope: "account",
    async run({ db, clients, syncRunId, accountId, homeRegion, readAt }) {
      const collection = await collectCloudTrailAccount(clients, { accountId, homeRegion });
      await loadCloudTrailAccount(db, { syncRunId, accountId, readAt, collection });
      return { itemsRead: collection.trails.length, error: collection.error };
    },
  },
};

/** Amazon Macie: whether it is on, its sensitive-data and policy findings on buckets, bucket profiles, per region. */
import type { Source } from "@/lib/sources/shared/source";
import { macieService, collectMacieRegion } from "./collect";
import { macieFixture } from "./fixture";
import { loadMacieRegion } from "./load";

export const macieSource: Source = {
  key: macieService.key,
  commands: {
    GetMacieSessionCommand: ["macie2:GetMacieSession"],
    ListFindingsCommand: ["macie2:ListFindings"],
    GetFindingsCommand: ["macie2:GetFindings"],
    DescribeBucketsCommand: ["macie2:DescribeBuckets"],
  },
  fixture: macieFixture,
  sync: {
    scope: "region",
    async run({ db, clients, syncRunId, accountId, region, readAt }) {
      const collection = await collectMacieRegion(clients.get(macieService, region), { accountId, region });
      await loadMacieRegion(db, { syncRunId, accountId, region, readAt, collection });
      // A session that could not be read fails the task; Macie simply being off does not.
      const error =
        collection.error ??
        (collection.session.status === "unknown"
          ? { code: collection.session.errorCode, message: collection.session.reason }
          : null);
      return { itemsRead: collection.findings.length, error };
    },
  },
};

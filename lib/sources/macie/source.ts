/** Amazon Macie: whether it is on, its sensitive-data and policy findings on buckets, bucket profiles, per region. */
import type { Source } from "@/lib/sources/shared/source";
import { macieService } from "./client";
import { macieFixture } from "./fixture";

export const macieSource: Source = {
  key: macieService.key,
  commands: {
    GetMacieSessionCommand: ["macie2:GetMacieSession"],
    ListFindingsCommand: ["macie2:ListFindings"],
    GetFindingsCommand: ["macie2:GetFindings"],
    DescribeBucketsCommand: ["macie2:DescribeBuckets"],
  },
  fixture: macieFixture,
};

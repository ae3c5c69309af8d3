/**
 * The trail-bucket controls judge the log bucket of every logging trail, read where it lives (another account of the
 * organisation, e.g. log-archive, included). A bucket Custody has not read is `unknown` with the reason.
 */
import type { AccountControlInput, AccountControlVerdict, TrailBucket } from "./account-control";
import { everyTrail } from "./trail-helpers";

type FoundBucket = Extract<TrailBucket, { found: true }>;
type Judged = { status: AccountControlVerdict["status"]; reason: string; evidence?: unknown };

export function judgeTrailBuckets(
  input: AccountControlInput,
  judge: (bucket: FoundBucket) => Judged,
  passReason: string,
): AccountControlVerdict {
  return everyTrail(
    input,
    (t) => {
      if (!t.s3BucketName) return { status: "fail", reason: "delivers to no S3 bucket" };
      const bucket = input.trailBuckets[t.s3BucketName];
      if (!bucket || !bucket.found) {
        return {
          status: "unknown",
          reason: `log bucket ${t.s3BucketName}: ${bucket?.found === false ? bucket.reason : "not read by Custody"}`,
        };
      }
      const judged = judge(bucket);
      return { ...judged, reason: `log bucket ${bucket.name} (account ${bucket.accountId}): ${judged.reason}` };
    },
    () => passReason,
  );
}

/**
 * THE list of AWS data sources Custody reads. Each lives in its own folder (lib/sources/<key>/, see README.md) and
 * is registered here once: the read-only allow-list, the deploy templates' test, the fixture AWS and the sync read
 * this list rather than naming sources.
 */
import { cloudtrailSource } from "@/lib/sources/cloudtrail/source";
import { cloudwatchSource } from "@/lib/sources/cloudwatch/source";
import { configSource } from "@/lib/sources/config/source";
import { kmsSource } from "@/lib/sources/kms/source";
import { logsSource } from "@/lib/sources/logs/source";
import { macieSource } from "@/lib/sources/macie/source";
import { organizationsSource } from "@/lib/sources/organizations/source";
import { s3Source } from "@/lib/sources/s3/source";
import { s3controlSource } from "@/lib/sources/s3control/source";
import type { Source } from "@/lib/sources/shared/source";
import { snsSource } from "@/lib/sources/sns/source";
import { stsSource } from "@/lib/sources/sts/source";

export const SOURCES: readonly Source[] = [
  s3Source,
  s3controlSource,
  configSource,
  macieSource,
  cloudtrailSource,
  // After the bucket inventory and CloudTrail: it reads the keys their freshly stored settings name.
  kmsSource,
  // The bucket-change alerting chain, link by link: each reads what the step before it just stored
  // (trail log groups → their metric filters → the alarms on those metrics → the alarms' topics).
  logsSource,
  cloudwatchSource,
  snsSource,
  organizationsSource,
  stsSource,
];

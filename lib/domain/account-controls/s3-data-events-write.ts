import type { AccountControl } from "./account-control";
import { judgeS3DataEvents } from "./s3-data-events";

export const s3DataEventsWrite: AccountControl<"s3-data-events-write"> = {
  id: "s3-data-events-write",
  title: "S3 object-level write events logged",
  checks:
    "A multi-region trail that is logging records S3 data events of type write (PutObject, DeleteObject…) for all buckets.",
  why: "Management events show who changed a bucket, not who overwrote or deleted its objects; after ransomware or a wiper, object-level write events are the record. Security Hub S3.22, CIS AWS Foundations 1.4 3.10 / 3.0 3.8.",
  fix: '`aws cloudtrail put-event-selectors --trail-name TRAIL --advanced-event-selectors \'[{"Name":"S3 writes","FieldSelectors":[{"Field":"eventCategory","Equals":["Data"]},{"Field":"resources.type","Equals":["AWS::S3::Object"]},{"Field":"readOnly","Equals":["false"]}]}]\'` (keep the management-events selector).',
  securityHubControlId: "S3.22",
  cisIds: ["CIS 1.4 3.10", "CIS 3.0 3.8"],
  evaluate: (input) => judgeS3DataEvents(input, "write"),
};

import type { AccountControl } from "./account-control";
import { judgeS3DataEvents } from "./s3-data-events";

export const s3DataEventsRead: AccountControl<"s3-data-events-read"> = {
  id: "s3-data-events-read",
  title: "S3 object-level read events logged",
  checks: "A multi-region trail that is logging records S3 data events of type read (GetObject…) for all buckets.",
  why: "After a leak the question is which objects were read, by whom: only object-level read events answer it. Security Hub S3.23, CIS AWS Foundations 1.4 3.11 / 3.0 3.9.",
  fix: '`aws cloudtrail put-event-selectors --trail-name TRAIL --advanced-event-selectors \'[{"Name":"S3 reads","FieldSelectors":[{"Field":"eventCategory","Equals":["Data"]},{"Field":"resources.type","Equals":["AWS::S3::Object"]},{"Field":"readOnly","Equals":["true"]}]}]\'` (keep the management-events selector). Data events are billed per event.',
  securityHubControlId: "S3.23",
  cisIds: ["CIS 1.4 3.11", "CIS 3.0 3.9"],
  evaluate: (input) => judgeS3DataEvents(input, "read"),
};

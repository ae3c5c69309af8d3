import type { AccountControl } from "./account-control";
import { everyTrail } from "./trail-helpers";

export const logFileValidation: AccountControl<"log-file-validation"> = {
  id: "log-file-validation",
  title: "Log file validation",
  checks: "Every logging trail covering the account has log file integrity validation on (signed digest files).",
  why: "Digest files let an investigator prove that delivered logs were not edited or deleted afterwards — an audit trail that can be quietly edited proves nothing. Security Hub CloudTrail.4, CIS AWS Foundations 1.4/3.0 3.2.",
  fix: "`aws cloudtrail update-trail --name TRAIL --enable-log-file-validation` (from the trail's owner account; for an organisation trail, the management account).",
  securityHubControlId: "CloudTrail.4",
  cisIds: ["CIS 1.2 2.2", "CIS 1.4 3.2", "CIS 3.0 3.2"],
  evaluate(input) {
    return everyTrail(
      input,
      (t) =>
        t.logFileValidation
          ? { status: "pass", reason: "validation on" }
          : { status: "fail", reason: "log file validation is off" },
      (trails) => `log file validation is on for ${trails.map((t) => t.name).join(", ")}`,
    );
  },
};

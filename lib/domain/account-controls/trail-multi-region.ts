import type { AccountControl } from "./account-control";
import { recordingOf, trailEvidence, trailLabel, verdict } from "./trail-helpers";

export const trailMultiRegion: AccountControl<"trail-multi-region"> = {
  id: "trail-multi-region",
  title: "Trail logging in all regions",
  checks:
    "At least one multi-region trail (the account's own or the organisation's) is logging and records management read and write events.",
  why: "Without it, a change made in a region nobody watches leaves no record: the audit trail must cover every enabled region. Security Hub CloudTrail.1, CIS AWS Foundations 1.4/3.0 3.1.",
  fix: "`aws cloudtrail create-trail --name org-trail --s3-bucket-name LOG_BUCKET --is-multi-region-trail` (or `--is-organization-trail` from the management account), then `aws cloudtrail start-logging --name org-trail`; keep the default event selector (management events, ReadWriteType All).",
  securityHubControlId: "CloudTrail.1",
  cisIds: ["CIS 1.2 2.1", "CIS 1.4 3.1", "CIS 3.0 3.1"],
  evaluate(input) {
    if (!input.trails.ok)
      return verdict("unknown", `the account's trails could not be read: ${input.trails.reason}`, {});
    const trails = input.trails.value;
    if (trails.length === 0) return verdict("fail", "no CloudTrail trail covers this account", { trails: [] });
    const evidence = {
      trails: trails.map((t) => ({ ...trailEvidence(t), recording: recordingOf(t) })),
    };
    const multi = trails.filter((t) => t.isMultiRegion);
    if (multi.length === 0) {
      return verdict(
        "fail",
        `no multi-region trail (${trails.map((t) => t.name).join(", ")} log one region)`,
        evidence,
      );
    }
    const problems: string[] = [];
    let unknown = false;
    for (const t of multi) {
      const rec = recordingOf(t);
      if (t.status.ok && !t.status.value.isLogging) {
        problems.push(`${trailLabel(t)} is not logging`);
        continue;
      }
      if (rec && !(rec.managementReads && rec.managementWrites)) {
        const missing = [!rec.managementReads && "read", !rec.managementWrites && "write"]
          .filter(Boolean)
          .join(" and ");
        problems.push(`${trailLabel(t)} does not record management ${missing} events`);
        continue;
      }
      if (!t.status.ok || !rec) {
        unknown = true;
        problems.push(
          `${trailLabel(t)}: ${!t.status.ok ? `status could not be read (${t.status.reason})` : ""}${
            !t.eventSelectors.ok ? `event selectors could not be read (${t.eventSelectors.reason})` : ""
          }`,
        );
        continue;
      }
      return verdict(
        "pass",
        `${trailLabel(t)} logs management read and write events in every region (home ${t.homeRegion})`,
        evidence,
      );
    }
    return verdict(unknown ? "unknown" : "fail", problems.join("; "), evidence);
  },
};

/** The two object-level data-event controls (S3.22 write, S3.23 read) differ only in direction: one judge for both. */
import type { AccountControlInput, AccountControlVerdict } from "./account-control";
import { recordingOf, trailEvidence, trailLabel, verdict } from "./trail-helpers";

export function judgeS3DataEvents(input: AccountControlInput, direction: "read" | "write"): AccountControlVerdict {
  if (!input.trails.ok) return verdict("unknown", `the account's trails could not be read: ${input.trails.reason}`, {});
  const trails = input.trails.value;
  if (trails.length === 0) return verdict("fail", "no CloudTrail trail covers this account", { trails: [] });
  const evidence = { trails: trails.map((t) => ({ ...trailEvidence(t), recording: recordingOf(t) })) };
  const notes: string[] = [];
  let unknown = false;
  for (const t of trails) {
    if (!t.isMultiRegion) {
      notes.push(`${trailLabel(t)} logs one region only`);
      continue;
    }
    if (t.status.ok && !t.status.value.isLogging) {
      notes.push(`${trailLabel(t)} is not logging`);
      continue;
    }
    const rec = recordingOf(t);
    if (!rec) {
      unknown = true;
      notes.push(
        `${trailLabel(t)}: event selectors could not be read (${(t.eventSelectors as { reason: string }).reason})`,
      );
      continue;
    }
    const coverage = direction === "read" ? rec.s3DataReads : rec.s3DataWrites;
    if (coverage !== "all") {
      notes.push(
        `${trailLabel(t)} records S3 object-level ${direction} events for ${coverage === "some" ? "some buckets only" : "no bucket"}`,
      );
      continue;
    }
    if (!t.status.ok) {
      unknown = true;
      notes.push(`${trailLabel(t)}: status could not be read (${t.status.reason})`);
      continue;
    }
    return verdict("pass", `${trailLabel(t)} records S3 object-level ${direction} events for every bucket`, evidence);
  }
  return verdict(unknown ? "unknown" : "fail", notes.join("; "), evidence);
}

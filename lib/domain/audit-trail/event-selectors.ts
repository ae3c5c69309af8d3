/**
 * What a trail records, from its event selectors (GetEventSelectors: basic EventSelectors or AdvancedEventSelectors,
 * never both): management events (read / write), and S3 object-level data events (read / write) for every bucket,
 * some buckets, or none — the facts behind "trail records management writes" (needed for bucket-change alerting)
 * and Security Hub S3.22 / S3.23 (object-level write / read events logged for all buckets).
 *
 * Coverage is judged per direction (read, write) and is "all" only when nothing narrows it: for advanced selectors,
 * a selector narrowed by resource ARN, eventName, userIdentity or any other field covers "some". AWS ORs selectors
 * and ANDs the field selectors within one.
 */
import type { AdvancedEventSelector, EventSelector } from "./event-selector-types";

export type Coverage = "all" | "some" | "none";

export interface TrailRecording {
  managementReads: boolean;
  managementWrites: boolean;
  s3DataReads: Coverage;
  s3DataWrites: Coverage;
}

const order: Record<Coverage, number> = { none: 0, some: 1, all: 2 };
const widest = (a: Coverage, b: Coverage): Coverage => (order[a] >= order[b] ? a : b);

/** `arn:aws:s3` or `arn:aws:s3:::` (any partition) names every bucket; anything longer names some. */
const ALL_S3 = /^arn:[a-z-]+:s3(:::)?$/;

export function trailRecording(selectors: {
  basic: EventSelector[];
  advanced: AdvancedEventSelector[];
}): TrailRecording {
  const result: TrailRecording = {
    managementReads: false,
    managementWrites: false,
    s3DataReads: "none",
    s3DataWrites: "none",
  };
  for (const s of selectors.basic) {
    const type = s.ReadWriteType ?? "All";
    const reads = type === "All" || type === "ReadOnly";
    const writes = type === "All" || type === "WriteOnly";
    // IncludeManagementEvents defaults to true; excluded sources (KMS, RDS Data API) are not S3's.
    if (s.IncludeManagementEvents !== false) {
      result.managementReads ||= reads;
      result.managementWrites ||= writes;
    }
    for (const resource of s.DataResources ?? []) {
      if (resource.Type !== "AWS::S3::Object") continue;
      const values = resource.Values ?? [];
      const coverage: Coverage = values.some((v) => ALL_S3.test(v)) ? "all" : values.length > 0 ? "some" : "none";
      if (reads) result.s3DataReads = widest(result.s3DataReads, coverage);
      if (writes) result.s3DataWrites = widest(result.s3DataWrites, coverage);
    }
  }
  for (const s of selectors.advanced) {
    const fields = s.FieldSelectors ?? [];
    const field = (name: string) => fields.find((f) => f.Field === name);
    const category = field("eventCategory");
    const readOnly = field("readOnly");
    const reads = !readOnly || readOnly.Equals?.includes("true") === true;
    const writes = !readOnly || readOnly.Equals?.includes("false") === true;
    const isCategory = (value: string) => category?.Equals?.includes(value) === true;
    // Any other field narrows the selector to some events (eventSource, eventName, resources.ARN, userIdentity…).
    const narrowed = fields.some((f) => {
      if (f.Field === "eventCategory" || f.Field === "readOnly" || f.Field === "resources.type") return false;
      if (f.Field === "resources.ARN" && (f.StartsWith ?? []).some((v) => ALL_S3.test(v))) {
        return (f.Equals ?? []).length > 0 || (f.NotEquals ?? []).length > 0 || (f.NotStartsWith ?? []).length > 0;
      }
      return true;
    });
    if (isCategory("Management")) {
      result.managementReads ||= reads && !narrowed;
      result.managementWrites ||= writes && !narrowed;
    }
    if (isCategory("Data") && field("resources.type")?.Equals?.includes("AWS::S3::Object")) {
      const coverage: Coverage = narrowed ? "some" : "all";
      if (reads) result.s3DataReads = widest(result.s3DataReads, coverage);
      if (writes) result.s3DataWrites = widest(result.s3DataWrites, coverage);
    }
  }
  return result;
}

import { describe, expect, it } from "vitest";
import { actorLabel, timelineEntries, type TimelineChange, type TimelineEvent } from "./bucket-timeline";

const at = (m: number) => new Date(Date.UTC(2026, 11, 2, 9, m));
const change = (id: number, read: string, m: number): TimelineChange => ({
  id,
  setting: "policy",
  fromValue: null,
  toValue: null,
  changedAt: at(m),
  syncRunId: read,
});
const event = (id: string, refresh: string | null, m: number, over: Partial<TimelineEvent> = {}): TimelineEvent => ({
  eventId: id,
  eventName: "PutBucketPolicy",
  eventTime: at(m),
  actorArn: "arn:aws:sts::123456789012:assumed-role/Admin/alice",
  actorType: "AssumedRole",
  principalId: null,
  sourceIp: "203.0.113.7",
  errorCode: null,
  refreshId: refresh,
  verdictBefore: { exposure: "not-public", failing: [] },
  verdictAfter: { exposure: "public", failing: ["no-public-read"] },
  ...over,
});

describe("timelineEntries", () => {
  it("joins an event's re-read to its settings diff, keeps sync reads apart, newest first", () => {
    const entries = timelineEntries(
      [change(1, "sync-1", 1), change(2, "refresh-1", 5), change(3, "refresh-1", 5)],
      [event("e2", "refresh-1", 4), event("e1", "refresh-1", 3), event("e3", null, 9, { errorCode: "AccessDenied" })],
    );
    expect(entries.map((e) => [e.kind, e.key, e.changes.length])).toEqual([
      ["event", "event:e3", 0],
      ["event", "refresh-1", 2],
      ["sync", "sync-1", 1],
    ]);
    const refresh = entries[1]!;
    expect(refresh.kind === "event" && refresh.events.map((e) => e.eventId)).toEqual(["e1", "e2"]);
    expect(refresh.kind === "event" && [refresh.before?.exposure, refresh.after?.exposure]).toEqual([
      "not-public",
      "public",
    ]);
  });
});

describe("actorLabel", () => {
  it.each([
    ["arn:aws:sts::1:assumed-role/Admin/alice", "alice (role Admin)"],
    ["arn:aws:iam::1:user/mallory", "user mallory"],
    ["arn:aws:iam::1:root", "the account's root user"],
  ])("%s → %s", (arn, label) => {
    expect(actorLabel({ actorArn: arn, actorType: null, principalId: null })).toBe(label);
  });
  it("falls back to the principal id", () => {
    expect(actorLabel({ actorArn: null, actorType: "AWSService", principalId: "s3.amazonaws.com" })).toBe(
      "s3.amazonaws.com",
    );
  });
});

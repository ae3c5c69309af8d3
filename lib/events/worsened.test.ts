import { describe, expect, it } from "vitest";
import { webhookPayload } from "@/lib/sync/notifications/notification-diff";
import { worsened } from "./consume-events";

const bucket = { id: 7, name: "acme-reports", accountId: "123456789012" };
const v = (exposure: string, outsideReach: string, failing: string[] = []) => ({
  exposure,
  outsideReach,
  failing,
  gone: false,
});

describe("worsened", () => {
  it("says newly public once, not also reachable", () => {
    expect(worsened(bucket, v("not-public", "not-reachable"), v("public", "reachable"))).toEqual([
      { kind: "newly-public", bucket },
    ]);
  });

  it("says newly reachable from outside when an outsider can now get in without it being public", () => {
    expect(worsened(bucket, v("not-public", "not-reachable"), v("not-public", "reachable"))).toEqual([
      { kind: "newly-reachable", bucket },
    ]);
  });

  it("names only the required controls that newly fail", () => {
    expect(
      worsened(
        bucket,
        v("not-public", "not-reachable", ["versioning"]),
        v("not-public", "not-reachable", ["versioning", "https-only"]),
      ),
    ).toEqual([{ kind: "newly-failing", bucket, controls: ["https-only"] }]);
  });

  it("says nothing when nothing got worse, or the bucket is gone", () => {
    expect(worsened(bucket, v("public", "reachable"), v("public", "reachable"))).toEqual([]);
    expect(worsened(bucket, v("not-public", "not-reachable"), { ...v("public", "reachable"), gone: true })).toEqual([]);
  });

  it("treats a bucket first seen by an event like one that was fine before", () => {
    expect(worsened(bucket, null, v("public", "reachable", ["https-only"])).map((e) => e.kind)).toEqual([
      "newly-public",
      "newly-failing",
    ]);
  });
});

describe("webhookPayload", () => {
  it("words a newly reachable bucket and counts it apart", () => {
    const body = webhookPayload({
      syncRunId: "r",
      finishedAt: new Date(0),
      events: [{ kind: "newly-reachable", bucket }],
    });
    expect(body.text).toContain("1 newly reachable from outside the organisation");
    expect(body.text).toContain("acme-reports (account 123456789012) became reachable from outside the organisation");
    expect(body.events).toEqual([
      { kind: "newly-reachable", bucketId: 7, bucket: "acme-reports", accountId: "123456789012" },
    ]);
  });
});

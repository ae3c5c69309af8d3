import { describe, expect, it } from "vitest";
import { chainLinks } from "./alerting-chain-links";

const states = (links: ReturnType<typeof chainLinks>) => links.map((l) => l.state);

describe("chainLinks", () => {
  it("shows a complete chain link by link", () => {
    const links = chainLinks("pass", "ok", {
      chain: { trail: "org-trail", metricFilter: "s3-changes", alarm: "s3-alarm", topic: "arn:aws:sns:x:1:t" },
    });
    expect(states(links)).toEqual(["ok", "ok", "ok", "ok", "ok"]);
    expect(links.map((l) => l.detail).slice(0, 3)).toEqual(["org-trail", "s3-changes", "s3-alarm"]);
  });

  it("marks 'metric filter, no alarm' at the alarm, with the reason, and nothing after it reached", () => {
    const reason = "metric filter s3-changes, no alarm on its metric";
    const links = chainLinks("fail", reason, {
      brokenAt: "alarm",
      partial: ["trail org-trail", "metric filter s3-changes"],
    });
    expect(states(links)).toEqual(["ok", "ok", "broken", "not-reached", "not-reached"]);
    expect(links[1]!.detail).toBe("s3-changes");
    expect(links[2]!.detail).toBe(reason);
  });

  it("marks a topic without a confirmed subscription at the subscription; an unreadable topic at the topic", () => {
    const partial = ["trail org-trail", "metric filter s3-changes", "alarm s3-alarm"];
    expect(states(chainLinks("fail", "no confirmed", { brokenAt: "subscription", partial }))).toEqual([
      "ok",
      "ok",
      "ok",
      "ok",
      "broken",
    ]);
    expect(states(chainLinks("unknown", "AccessDenied", { brokenAt: "subscription", partial }))).toEqual([
      "ok",
      "ok",
      "ok",
      "unknown",
      "not-reached",
    ]);
  });
});

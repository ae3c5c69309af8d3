/**
 * The bucket-change alerting control's stored verdict as the five links a person reads — trail → metric filter →
 * alarm → SNS topic → confirmed subscription: those that hold, the one where the chain breaks (failed, or could not be
 * read), and those never reached. The account posture page draws these.
 */
type Evidence = {
  chain?: { trail: string; metricFilter: string; alarm: string; topic: string };
  brokenAt?: "trail" | "metric-filter" | "alarm" | "subscription";
  partial?: string[];
};

export type LinkState = "ok" | "broken" | "unknown" | "not-reached";

const STEPS = ["Trail", "Metric filter", "Alarm", "SNS topic", "Confirmed subscription"] as const;

export function chainLinks(
  status: string,
  reason: string,
  evidenceValue: unknown,
): { label: string; state: LinkState; detail: string }[] {
  const evidence = (evidenceValue ?? {}) as Evidence;
  if (status === "pass" && evidence.chain) {
    const c = evidence.chain;
    const values = [c.trail, c.metricFilter, c.alarm, c.topic, "at least one confirmed"];
    return STEPS.map((label, i) => ({ label, state: "ok", detail: values[i]! }));
  }
  const partial = (evidence.partial ?? []).map((p) => p.replace(/^(trail|metric filter|alarm) /, ""));
  // A link in a region the account has not enabled could not be read: drawn as unknown (the reason says why).
  const unreadable = status === "unknown" || status === "region-not-enabled";
  const brokenState: LinkState = unreadable ? "unknown" : "broken";
  // Where the break sits in the five links: at "subscription", a failed chain has a readable topic without a
  // confirmed subscription; an unknown one could not read the topic.
  let at: number;
  switch (evidence.brokenAt) {
    case "trail":
      at = 0;
      break;
    case "metric-filter":
      at = 1;
      break;
    case "alarm":
      at = 2;
      break;
    case "subscription":
      at = unreadable ? 3 : 4;
      break;
    default:
      at = 0;
  }
  return STEPS.map((label, i) => {
    if (i < at) return { label, state: "ok", detail: partial[i] ?? (i === 3 ? "the alarm's topic" : "") };
    if (i === at) return { label, state: brokenState, detail: reason };
    return { label, state: "not-reached", detail: "not reached" };
  });
}

import { describe, expect, it } from "vitest";
import { absent, present, unknown, type LoggingSettings, type Setting } from "../bucket-settings";
import { accessLogging } from "./access-logging";
import { goodInput } from "./control-input-fixture";

describe("access-logging", () => {
  it.each([
    {
      s: present({ targetBucket: "logs", targetPrefix: "data/" }) as Setting<LoggingSettings>,
      status: "pass",
      reason: "logs to s3://logs/data/",
    },
    {
      s: present({ targetBucket: "data-bucket", targetPrefix: "" }) as Setting<LoggingSettings>,
      status: "pass",
      reason: "logs to s3://data-bucket/ (into itself: every log write creates more logs; prefer a separate bucket)",
    },
    { s: absent() as Setting<LoggingSettings>, status: "fail", reason: "server access logging is off" },
    {
      s: unknown("AccessDenied") as Setting<LoggingSettings>,
      status: "unknown",
      reason: "server access logging could not be read: AccessDenied",
    },
  ])("$reason", ({ s, status, reason }) => {
    const v = accessLogging.evaluate(goodInput({ settings: { logging: s } }));
    expect(v).toEqual({ status, reason, evidence: { logging: s.status === "present" ? s.value : s } });
  });
});

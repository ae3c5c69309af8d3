import { describe, expect, it } from "vitest";
import { present, unknown, type MacieBucketContext } from "../bucket-settings";
import { goodInput, goodMacie } from "./control-input-fixture";
import type { BucketClassificationContext } from "./control-input";
import { macieMonitored } from "./macie-monitored";
import { sensitiveDataMatchesLevel } from "./sensitive-data-matches-level";

const HIGH: BucketClassificationContext = {
  levelKey: "high",
  levelName: "High",
  levelRank: 3,
  classified: true,
  topLevelKey: "high",
  topLevelName: "High",
  topLevelRank: 3,
  requiredControlIds: [],
};
const LOW: BucketClassificationContext = { ...HIGH, levelKey: "low", levelName: "Low", levelRank: 1 };
const FALLBACK: BucketClassificationContext = { ...HIGH, classified: false };
const withFindings = (over: Partial<MacieBucketContext> = {}): MacieBucketContext => ({
  ...goodMacie(),
  sensitiveFindings: {
    count: 3,
    maxSeverityScore: 3,
    categories: ["PERSONAL_INFORMATION"],
    types: ["SensitiveData:S3Object/Personal"],
  },
  ...over,
});
const WHERE = "111111111111/eu-west-1";

describe("macie-monitored", () => {
  it.each([
    { macie: goodMacie(), status: "pass", reason: `Macie is enabled in ${WHERE}` },
    {
      macie: { ...goodMacie(), macie: present({ status: "PAUSED" as const }) },
      status: "fail",
      reason: `Macie is paused in ${WHERE}: no new discovery runs`,
    },
    {
      macie: { ...goodMacie(), macie: { status: "disabled" as const, reason: "" } },
      status: "fail",
      reason: `Macie is not enabled in ${WHERE}`,
    },
    {
      macie: {
        ...goodMacie(),
        macie: unknown<{ status: "ENABLED" | "PAUSED" }>("AccessDeniedException: not authorized"),
      },
      status: "unknown",
      reason: `Macie status in ${WHERE} could not be read: AccessDeniedException: not authorized`,
    },
    { macie: null, status: "unknown", reason: `Macie state was not collected for ${WHERE}` },
  ])("$reason", ({ macie, status, reason }) => {
    const v = macieMonitored.evaluate(goodInput({ macie }));
    expect([v.status, v.reason]).toEqual([status, reason]);
  });
});

describe("sensitive-data-matches-level", () => {
  it.each([
    { name: "no findings", macie: goodMacie(), cls: LOW, status: "pass", reason: "Macie reports no sensitive data" },
    {
      name: "PII on High",
      macie: withFindings(),
      cls: HIGH,
      status: "pass",
      reason: "3 sensitive-data findings (PERSONAL_INFORMATION) on a High bucket, as sensitive data requires",
    },
    {
      name: "PII on Low",
      macie: withFindings(),
      cls: LOW,
      status: "fail",
      reason: "3 sensitive-data findings (PERSONAL_INFORMATION) on a Low bucket: sensitive data needs High",
    },
    {
      name: "PII on unclassified",
      macie: withFindings(),
      cls: FALLBACK,
      status: "fail",
      reason: "3 sensitive-data findings (PERSONAL_INFORMATION) on an unclassified bucket: sensitive data needs High",
    },
    {
      name: "score 80 on Low",
      macie: { ...goodMacie(), sensitivityScore: 80 },
      cls: LOW,
      status: "fail",
      reason: "sensitivity score 80 on a Low bucket: sensitive data needs High",
    },
    {
      name: "score 50 with automated discovery",
      macie: { ...goodMacie(), sensitivityScore: 50 },
      cls: LOW,
      status: "fail",
      reason: "sensitivity score 50 on a Low bucket: sensitive data needs High",
    },
    {
      name: "score 50 placeholder without automated discovery",
      macie: { ...goodMacie(), sensitivityScore: 50, automatedDiscoveryMonitoringStatus: "NOT_MONITORED" as const },
      cls: LOW,
      status: "pass",
      reason: "Macie reports no sensitive data",
    },
    {
      name: "score 49",
      macie: { ...goodMacie(), sensitivityScore: 49 },
      cls: LOW,
      status: "pass",
      reason: "Macie reports no sensitive data",
    },
    {
      name: "paused with findings",
      macie: withFindings({ macie: present({ status: "PAUSED" as const }) }),
      cls: LOW,
      status: "fail",
      reason:
        "3 sensitive-data findings (PERSONAL_INFORMATION) on a Low bucket: sensitive data needs High (Macie is paused: findings may be out of date)",
    },
    {
      name: "Macie disabled",
      macie: { ...withFindings(), macie: { status: "disabled" as const, reason: "Macie is not enabled" } },
      cls: LOW,
      status: "unknown",
      reason: `Macie is not enabled in ${WHERE}`,
    },
    {
      name: "Macie not collected",
      macie: null,
      cls: LOW,
      status: "unknown",
      reason: `Macie state was not collected for ${WHERE}`,
    },
  ])("$name", ({ macie, cls, status, reason }) => {
    const v = sensitiveDataMatchesLevel.evaluate(goodInput({ macie, classification: cls }));
    expect([v.status, v.reason]).toEqual([status, reason]);
    expect(v.evidence).toMatchObject({ levelKey: cls.levelKey, requiredLevelKey: "high", classified: cls.classified });
  });
});

import { describe, expect, it } from "vitest";
import {
  absent,
  present,
  unknown,
  type LifecycleSettings,
  type ObjectLockSettings,
  type ReplicationSettings,
  type Setting,
} from "../bucket-settings";
import { goodInput } from "./control-input-fixture";
import { lifecycle } from "./lifecycle";
import { objectLock } from "./object-lock";
import { replication } from "./replication";

describe("object-lock", () => {
  it.each([
    {
      s: present({ enabled: true, defaultRetention: { mode: "COMPLIANCE" as const, days: null, years: 7 } }),
      status: "pass",
      reason: "Object Lock is enabled (COMPLIANCE 7 years)",
    },
    {
      s: present({ enabled: true, defaultRetention: null }),
      status: "pass",
      reason: "Object Lock is enabled (no default retention)",
    },
    { s: present({ enabled: false, defaultRetention: null }), status: "fail", reason: "Object Lock is not enabled" },
    { s: absent("ObjectLockConfigurationNotFoundError"), status: "fail", reason: "Object Lock is not enabled" },
    {
      s: unknown("AccessDenied"),
      status: "unknown",
      reason: "Object Lock configuration could not be read: AccessDenied",
    },
  ] as const)("$reason", ({ s, status, reason }) => {
    const v = objectLock.evaluate(goodInput({ settings: { objectLock: s as Setting<ObjectLockSettings> } }));
    expect([v.status, v.reason]).toEqual([status, reason]);
  });
});

describe("replication", () => {
  const rule = (status: string, destinationAccount: string | null) => ({
    id: "r",
    status,
    destinationBucketArn: "arn:aws:s3:::dst",
    destinationAccount,
  });
  it.each([
    {
      s: present({ role: "r", rules: [rule("Enabled", "999999999999")] }),
      status: "pass",
      reason: "replicates to arn:aws:s3:::dst (account 999999999999)",
    },
    {
      s: present({ role: "r", rules: [rule("Enabled", null)] }),
      status: "pass",
      reason: "replicates to arn:aws:s3:::dst (same account)",
    },
    {
      s: present({ role: "r", rules: [rule("Disabled", null)] }),
      status: "fail",
      reason: "replication rules exist but none is Enabled",
    },
    { s: absent("ReplicationConfigurationNotFoundError"), status: "fail", reason: "no replication configuration" },
    {
      s: unknown("AccessDenied"),
      status: "unknown",
      reason: "replication configuration could not be read: AccessDenied",
    },
  ])("$reason", ({ s, status, reason }) => {
    const v = replication.evaluate(goodInput({ settings: { replication: s as Setting<ReplicationSettings> } }));
    expect([v.status, v.reason]).toEqual([status, reason]);
  });
});

describe("lifecycle", () => {
  const rule = (status: string) => ({ id: null, status, hasExpiration: true, hasTransitions: false });
  it.each([
    { s: present({ rules: [rule("Enabled"), rule("Enabled")] }), status: "pass", reason: "2 enabled lifecycle rules" },
    { s: present({ rules: [rule("Disabled")] }), status: "fail", reason: "lifecycle rules exist but none is Enabled" },
    { s: absent("NoSuchLifecycleConfiguration"), status: "fail", reason: "no lifecycle configuration" },
    {
      s: unknown("AccessDenied"),
      status: "unknown",
      reason: "lifecycle configuration could not be read: AccessDenied",
    },
  ])("$reason", ({ s, status, reason }) => {
    const v = lifecycle.evaluate(goodInput({ settings: { lifecycle: s as Setting<LifecycleSettings> } }));
    expect([v.status, v.reason]).toEqual([status, reason]);
  });
});

import { describe, expect, it } from "vitest";
import { present, unknown, type Setting, type VersioningSettings } from "../bucket-settings";
import { goodInput } from "./control-input-fixture";
import { mfaDelete } from "./mfa-delete";
import { versioning } from "./versioning";

const v = (status: VersioningSettings["status"], mfa: VersioningSettings["mfaDelete"]): Setting<VersioningSettings> =>
  present({ status, mfaDelete: mfa });

describe("versioning and mfa-delete", () => {
  it.each([
    {
      s: v("Enabled", "Enabled"),
      versioning: ["pass", "versioning is Enabled"],
      mfa: ["pass", "MFA delete is Enabled"],
    },
    {
      s: v("Enabled", "Disabled"),
      versioning: ["pass", "versioning is Enabled"],
      mfa: ["fail", "MFA delete is Disabled"],
    },
    {
      s: v("Enabled", "Off"),
      versioning: ["pass", "versioning is Enabled"],
      mfa: ["fail", "MFA delete is not configured"],
    },
    {
      s: v("Suspended", "Off"),
      versioning: ["fail", "versioning is Suspended: new overwrites and deletes are not kept"],
      mfa: ["fail", "MFA delete is not configured"],
    },
    {
      s: v("Off", "Off"),
      versioning: ["fail", "versioning has never been enabled"],
      mfa: ["fail", "MFA delete is off (versioning was never enabled)"],
    },
    {
      s: unknown<VersioningSettings>("AccessDenied"),
      versioning: ["unknown", "versioning could not be read: AccessDenied"],
      mfa: ["unknown", "versioning could not be read: AccessDenied"],
    },
  ])("$versioning.1 / $mfa.1", ({ s, versioning: want, mfa }) => {
    const input = goodInput({ settings: { versioning: s } });
    const a = versioning.evaluate(input);
    const b = mfaDelete.evaluate(input);
    expect([a.status, a.reason]).toEqual(want);
    expect([b.status, b.reason]).toEqual(mfa);
    expect(a.evidence).toEqual({ versioning: s.status === "present" ? s.value : s });
  });
});

import { describe, expect, it } from "vitest";
import { absent, present, unknown, type ObjectOwnership, type Setting } from "../bucket-settings";
import { aclsDisabled } from "./acls-disabled";
import { goodInput } from "./control-input-fixture";

type Own = Setting<{ objectOwnership: ObjectOwnership }>;
describe("acls-disabled", () => {
  it.each([
    {
      s: present({ objectOwnership: "BucketOwnerEnforced" }) as Own,
      status: "pass",
      reason: "Object Ownership is BucketOwnerEnforced: ACLs are disabled",
    },
    {
      s: present({ objectOwnership: "BucketOwnerPreferred" }) as Own,
      status: "fail",
      reason: "Object Ownership is BucketOwnerPreferred: ACLs still grant access",
    },
    {
      s: present({ objectOwnership: "ObjectWriter" }) as Own,
      status: "fail",
      reason: "Object Ownership is ObjectWriter: ACLs still grant access",
    },
    {
      s: absent("OwnershipControlsNotFoundError") as Own,
      status: "fail",
      reason:
        "no Object Ownership setting (OwnershipControlsNotFoundError): ACLs are enabled with ObjectWriter behaviour",
    },
    {
      s: unknown("AccessDenied") as Own,
      status: "unknown",
      reason: "Object Ownership could not be read: AccessDenied",
    },
  ])("$reason", ({ s, status, reason }) => {
    const v = aclsDisabled.evaluate(goodInput({ settings: { ownershipControls: s } }));
    expect(v).toEqual({ status, reason, evidence: { ownershipControls: s.status === "present" ? s.value : s } });
  });
});

import { describe, expect, it } from "vitest";
import { shouldAuditRefusal } from "./access-denied";

describe("shouldAuditRefusal", () => {
  it("audits a refusal once per key per minute", () => {
    const t = 1_000_000;
    expect(shouldAuditRefusal("u1|audit:read|forbidden", t)).toBe(true);
    expect(shouldAuditRefusal("u1|audit:read|forbidden", t + 59_000)).toBe(false);
    expect(shouldAuditRefusal("u1|evidence:read|forbidden", t + 59_000)).toBe(true);
    expect(shouldAuditRefusal("u2|audit:read|forbidden", t + 59_000)).toBe(true);
    expect(shouldAuditRefusal("u1|audit:read|forbidden", t + 60_000)).toBe(true);
  });

  it("stays bounded under a flood of distinct keys and still audits new ones", () => {
    const t = 2_000_000;
    for (let i = 0; i < 25_000; i++) shouldAuditRefusal(`ip:10.0.${i >> 8}.${i & 255}|x|unauthenticated`, t);
    expect(shouldAuditRefusal("fresh|x|forbidden", t)).toBe(true);
  });
});

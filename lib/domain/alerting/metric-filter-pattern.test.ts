import { describe, expect, it } from "vitest";
import { parseFilterPattern, patternMatches, type KnownEventFields } from "./metric-filter-pattern";

const putAcl: KnownEventFields = { eventSource: "s3.amazonaws.com", eventName: "PutBucketAcl", readOnly: false };

function matches(pattern: string, known: KnownEventFields = putAcl) {
  const parsed = parseFilterPattern(pattern);
  if (!parsed.ok) throw new Error(parsed.reason);
  return patternMatches(parsed.pattern, known);
}

describe("JSON filter patterns", () => {
  it("matches the CIS pattern for the event it names", () => {
    const cis =
      "{ ($.eventSource = s3.amazonaws.com) && (($.eventName = PutBucketAcl) || ($.eventName = PutBucketPolicy)) }";
    expect(matches(cis)).toBe(true);
    expect(matches(cis, { ...putAcl, eventName: "PutBucketTagging" })).toBe(false);
  });

  it("reads quoted values, wildcards and != the way CloudWatch does", () => {
    expect(matches('{ $.eventName = "PutBucketAcl" }')).toBe(true);
    expect(matches("{ $.eventName = PutBucket* }")).toBe(true);
    expect(matches("{ $.eventName = Delete* }")).toBe(false);
    expect(matches("{ $.eventName != GetObject }")).toBe(true);
    expect(matches("{ $.eventName != PutBucketAcl }")).toBe(false);
    // A dot is a dot, not "any character".
    expect(matches("{ $.eventSource = s3XamazonawsXcom }")).toBe(false);
  });

  it("does not match a misspelled eventSource", () => {
    expect(matches("{ ($.eventSource = s3.amazonaws.co) && ($.eventName = PutBucketAcl) }")).toBe(false);
  });

  it("joins with && and || in the right precedence", () => {
    // && binds tighter: a || (b && c)
    expect(matches("{ $.eventName = PutBucketAcl || $.eventName = X && $.eventSource = nope }")).toBe(true);
    expect(matches("{ ($.eventName = PutBucketAcl || $.eventName = X) && $.eventSource = nope }")).toBe(false);
  });

  it("is unknown, not a match, when the verdict depends on a field it does not know", () => {
    expect(matches("{ $.eventName = PutBucketAcl && $.sourceIPAddress = 10.* }")).toBe("unknown");
    // …but a known false settles an and, and a known true settles an or.
    expect(matches("{ $.eventName = GetObject && $.sourceIPAddress = 10.* }")).toBe(false);
    expect(matches("{ $.eventName = PutBucketAcl || $.sourceIPAddress = 10.* }")).toBe(true);
  });

  it("reads IS TRUE/FALSE/NULL and NOT EXISTS", () => {
    expect(matches("{ $.readOnly IS FALSE }")).toBe(true);
    expect(matches("{ $.readOnly IS TRUE }")).toBe(false);
    expect(matches("{ $.eventName IS NULL }")).toBe(false);
    expect(matches("{ $.eventName NOT EXISTS }")).toBe(false);
    expect(matches("{ $.errorCode NOT EXISTS }")).toBe("unknown");
  });

  it("reads %regex% values", () => {
    expect(matches("{ $.eventName = %^(Put|Delete)Bucket(Acl|Policy)$% }")).toBe(true);
    expect(matches("{ $.eventName = %^Delete% }")).toBe(false);
  });

  it("reads numeric comparisons and nested selectors", () => {
    expect(matches("{ $.count > 3 }", { count: 4 })).toBe(true);
    expect(matches("{ $.count <= 3 }", { count: 4 })).toBe(false);
    expect(matches("{ $.userIdentity.type = Root }", { "userIdentity.type": "Root" })).toBe(true);
    expect(matches("{ $.resources[0].ARN = arn:* }", { "resources.0.ARN": "arn:aws:s3:::b" })).toBe(true);
  });

  it("says why it cannot read a malformed pattern", () => {
    for (const bad of [
      "{ $.eventName = PutBucketAcl",
      "{ ($.eventName = PutBucketAcl }",
      "{ eventName = PutBucketAcl }",
      '{ $.eventName = "PutBucketAcl }',
      "{ $.eventName PutBucketAcl }",
      "{ $.eventName = PutBucketAcl } trailing",
      "[ip, user, ...]",
    ]) {
      const parsed = parseFilterPattern(bad);
      expect(parsed.ok, bad).toBe(false);
      if (!parsed.ok) expect(parsed.reason.length).toBeGreaterThan(5);
    }
  });
});

describe("term patterns", () => {
  it("matches every event when empty", () => {
    expect(matches("")).toBe(true);
  });

  it("finds a term in a known field, and is unknown otherwise", () => {
    expect(matches("PutBucketAcl")).toBe(true);
    expect(matches('"s3.amazonaws.com" PutBucketAcl')).toBe(true);
    expect(matches("ERROR")).toBe("unknown");
  });

  it("reads ?any-of and -excluded terms", () => {
    expect(matches("?PutBucketPolicy ?PutBucketAcl")).toBe(true);
    expect(matches("?PutBucketPolicy ?DeleteBucketCors")).toBe("unknown");
    expect(matches("-PutBucketAcl")).toBe(false);
  });
});

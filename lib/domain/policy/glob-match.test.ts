import { describe, expect, it } from "vitest";
import { globCovers, globMatches, globsIntersect } from "./glob-match";

describe("globMatches", () => {
  it.each([
    ["s3:Get*", "s3:GetObject", true, true],
    ["s3:*Object", "s3:PutObject", true, true],
    ["s3:*Object", "s3:PutObjectAcl", true, false],
    ["s3:get?bject", "s3:GetObject", true, true],
    ["S3:GETOBJECT", "s3:GetObject", true, true],
    ["S3:GETOBJECT", "s3:GetObject", false, false],
    ["arn:aws:s3:::b*", "arn:aws:s3:::b", false, true],
    ["arn:aws:s3:::b/*", "arn:aws:s3:::b", false, false],
    ["*", "anything", false, true],
    ["arn:aws:s3:::${aws:username}", "arn:aws:s3:::b", false, true],
  ])("%s vs %s (ci=%s) → %s", (pattern, value, ci, expected) => {
    expect(globMatches(pattern, value, ci)).toBe(expected);
  });
});

describe("globsIntersect", () => {
  it.each([
    ["arn:aws:s3:::b/logs/*", "arn:aws:s3:::b/*", true],
    ["arn:aws:s3:::other/*", "arn:aws:s3:::b/*", false],
    ["arn:aws:s3:::bb/*", "arn:aws:s3:::b/*", false],
    ["arn:aws:s3:::*", "arn:aws:s3:::b/*", true],
    ["*x", "y*", true],
    ["a?c", "a*", true],
    ["abc", "abd", false],
    // one side without wildcards (one value): answered by matching it against the other pattern
    ["arn:aws:s3:::b/key", "arn:aws:s3:::b/*", true],
    ["arn:aws:s3:::b", "arn:aws:s3:::b/*", false],
    ["abc", "a?c", true],
    ["abc", "abc", true],
    ["ab", "a?c", false],
    ["a${aws:username}", "abc", true],
    // both with wildcards: the search over positions
    ["a*?", "*bc", true],
    ["a?", "?b?", false],
    ["*/x*", "b/*y", true],
  ])("%s ∩ %s → %s", (a, b, expected) => {
    expect(globsIntersect(a, b)).toBe(expected);
    expect(globsIntersect(b, a)).toBe(expected);
  });
});

describe("globCovers", () => {
  it.each([
    ["arn:aws:s3:::b/*", "arn:aws:s3:::b/*", true],
    ["arn:aws:s3:::b*", "arn:aws:s3:::b/*", true],
    ["*", "arn:aws:s3:::b/*", true],
    ["arn:aws:s3:::b/data/*", "arn:aws:s3:::b/*", false],
    ["arn:aws:s3:::b/*.txt", "arn:aws:s3:::b/*", false],
    ["arn:aws:s3:::b/${aws:username}/*", "arn:aws:s3:::b/*", false],
    ["s3:*", "s3:Get*", true],
    ["s3:Get*", "s3:*", false],
    ["s3:GetObject", "s3:GetObject", true],
  ])("%s covers %s → %s", (pattern, subject, expected) => {
    expect(globCovers(pattern, subject, true)).toBe(expected);
  });
});

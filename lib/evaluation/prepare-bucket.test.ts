import { hash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { present } from "@/lib/domain/bucket-settings";
import { DEFAULT_SCHEME } from "@/lib/domain/classification/scheme";
import { goodInput } from "@/lib/domain/controls/control-input-fixture";
import { prepareBucket } from "@/lib/evaluation/evaluate-buckets";
import type { BucketEvaluationInput } from "@/lib/evaluation/evaluation-context";

const { classification: _ignored, ...input } = goodInput();
const level = { levelKey: "medium", source: "tag" as const, classified: true, note: "tag → Medium" };
const bucketInput = (tags: Record<string, string>): BucketEvaluationInput => ({
  bucket: {
    id: 7,
    name: input.bucket.name,
    region: input.bucket.region,
    accountId: input.bucket.accountId,
    arn: input.bucket.arn,
    stateId: 70,
    stateHash: "h",
    readAt: "2026-06-01T00:00:00.000Z",
    settings: { ...input.settings, tags: present(tags) },
    level,
  },
  args: {
    scheme: DEFAULT_SCHEME,
    schemeVersion: 3,
    input: { ...input, settings: { ...input.settings, tags: present(tags) } },
    level,
    waivers: [],
    configVerdicts: [],
    deployedConfigRules: [],
    now: new Date("2026-06-01T00:00:00Z"),
  },
  sensitiveFindings: 0,
});
const how = {
  rankOf: new Map(DEFAULT_SCHEME.levels.map((l) => [l.key, l.rank])),
  ownerKey: "Owner",
  policyFindings: 2,
};

describe("prepareBucket", () => {
  it("digests exactly what a write sends: the row (its digest empty), the results and the access rows", () => {
    const evaluated = prepareBucket(bucketInput({ Owner: "data-team" }), how);
    const { row, resultParts, resultControls, access, accessPrincipals } = evaluated.strings();
    const written = JSON.parse(row) as Record<string, unknown>;
    expect(written).toMatchObject({ id: 7, level: "medium", owner: "data-team", macie_policy_count: 2 });
    expect(written.digest).toBe(evaluated.digest);
    // The digest's bytes are those of the strings written, with the row's digest (its last key) empty. Stored
    // digests stay valid across versions only while this holds: a new form would rewrite every bucket once.
    expect(Object.keys(written).at(-1)).toBe("digest");
    const rowWithoutDigest = `${row.slice(0, row.lastIndexOf('"digest":'))}"digest":""}`;
    expect(hash("sha1", `[${rowWithoutDigest},[${resultParts.join(",")}],[${access}]]`, "base64")).toBe(
      evaluated.digest,
    );
    expect(resultParts.map((p) => (JSON.parse(p) as { control_id: string }).control_id)).toEqual(resultControls);
    expect(resultControls.length).toBeGreaterThan(10);
    expect(accessPrincipals.length).toBe(access === "" ? 0 : (JSON.parse(`[${access}]`) as unknown[]).length);
  });

  it("gives the same input the same digest, and a change to what is written another", () => {
    const a = prepareBucket(bucketInput({ Owner: "data-team" }), how);
    const b = prepareBucket(bucketInput({ Owner: "data-team" }), how);
    const c = prepareBucket(bucketInput({ Owner: "web-team" }), how);
    expect(b.digest).toBe(a.digest);
    expect(c.digest).not.toBe(a.digest);
    expect(b.strings()).toEqual(a.strings());
  });
});

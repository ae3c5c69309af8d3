import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "..");
const TSX = path.join(ROOT, "node_modules", ".bin", "tsx");
const SCRIPT = path.join(ROOT, "scripts", "policy-analyze.ts");
const dir = mkdtempSync(path.join(tmpdir(), "policy-analyze-"));

function run(args: string[], stdin?: string) {
  const r = spawnSync(TSX, [SCRIPT, ...args], { cwd: ROOT, input: stdin ?? "", encoding: "utf8", timeout: 60_000 });
  return {
    code: r.status,
    out: JSON.parse(r.stdout) as Record<string, unknown>,
    lines: r.stdout.trim().split("\n").length,
  };
}

const publicWrite = {
  Version: "2012-10-17",
  Statement: [
    { Sid: "Upload", Effect: "Allow", Principal: "*", Action: "s3:PutObject", Resource: "arn:aws:s3:::site/*" },
    {
      Sid: "Partner",
      Effect: "Allow",
      Principal: { AWS: "arn:aws:iam::222222222222:root" },
      Action: "s3:GetObject",
      Resource: "arn:aws:s3:::site/*",
    },
  ],
};
const sslOnly = {
  Statement: [
    {
      Effect: "Deny",
      Principal: "*",
      Action: "s3:*",
      Resource: ["arn:aws:s3:::site", "arn:aws:s3:::site/*"],
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    },
  ],
};

describe("scripts/policy-analyze.ts", { timeout: 60_000 }, () => {
  it("analyses a policy file", () => {
    const file = path.join(dir, "public.json");
    writeFileSync(file, JSON.stringify(publicWrite));
    const r = run([file, "--account", "111111111111"]);
    expect(r.code).toBe(0);
    expect(r.lines).toBe(1);
    expect(r.out).toEqual({
      isPublic: true,
      allowsPublicWrite: true,
      enforcesSecureTransport: false,
      crossAccountPrincipals: ["222222222222"],
      statements: [
        'Statement 0 (Sid "Upload"): Allow everyone, including anonymous callers (Principal "*") s3:PutObject on arn:aws:s3:::site/* with no condition that limits who → public write.',
        'Statement 1 (Sid "Partner"): Allow account 222222222222 s3:GetObject on arn:aws:s3:::site/* → not public (fixed principals).',
      ],
      error: null,
    });
  });

  it("reads stdin with -, and takes --bucket", () => {
    const r = run(["-", "--bucket", "site"], JSON.stringify(sslOnly));
    expect(r.code).toBe(0);
    expect(r.out).toMatchObject({
      isPublic: false,
      allowsPublicWrite: false,
      enforcesSecureTransport: true,
      crossAccountPrincipals: [],
      error: null,
    });
  });

  it("infers a wildcarded bucket name from the policy so its statements still apply", () => {
    const policy = {
      Statement: [{ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::logs-*/*" }],
    };
    const r = run(["-"], JSON.stringify(policy));
    expect(r.code).toBe(0);
    expect(r.out).toMatchObject({ isPublic: true, allowsPublicWrite: false, crossAccountPrincipals: [] });
  });

  it.each([
    { name: "no Statement", stdin: '{"Version":"2012-10-17"}' },
    { name: "an empty Statement list", stdin: '{"Version":"2012-10-17","Statement":[]}' },
    {
      name: "a statement without Action",
      stdin: JSON.stringify({ Statement: [{ Effect: "Allow", Principal: "*", Resource: "*" }] }),
    },
    {
      name: "a bare account id as Principal",
      stdin: JSON.stringify({
        Statement: [{ Effect: "Allow", Principal: "222222222222", Action: "s3:GetObject", Resource: "*" }],
      }),
    },
  ])("a policy AWS accepted gets a verdict: $name → exit 0, not public", ({ stdin }) => {
    const r = run(["-"], stdin);
    expect(r.code).toBe(0);
    expect(r.out).toMatchObject({ isPublic: false, allowsPublicWrite: false, error: null });
  });

  it.each([
    {
      name: "missing file",
      args: [path.join(dir, "nope.json")],
      stdin: undefined,
      error: `cannot read ${path.join(dir, "nope.json")}: ENOENT`,
    },
    { name: "bad JSON on stdin", args: ["-"], stdin: "{nope", error: /^policy is not valid JSON: / },
    {
      name: "not a policy object",
      args: ["-"],
      stdin: '["s3:GetObject"]',
      error: "invalid policy: policy must be a JSON object",
    },
    {
      name: "no arguments",
      args: [],
      stdin: undefined,
      error: "usage: policy:analyze <policy.json|-> [--account <owner account id>] [--bucket <name>]",
    },
  ])("$name → exit 2 with an error", ({ args, stdin, error }) => {
    const r = run(args, stdin);
    expect(r.code).toBe(2);
    expect(Object.keys(r.out)).toEqual(["error"]);
    if (typeof error === "string") expect(r.out.error).toBe(error);
    else expect(r.out.error).toMatch(error);
  });
});

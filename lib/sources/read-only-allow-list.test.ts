/**
 * Custody must never change anything in a customer's AWS accounts. This test pins the exact set of AWS operations
 * the sources may send — statically (every command constructed or imported in non-test code) and dynamically
 * (every command actually sent during a full demo collection). Adding a call means adding it to its source's
 * `commands` (lib/sources/<source>/source.ts), in review.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { collectAccount } from "@/lib/sources/collect-account";
import { createFixtureConnector } from "@/lib/sources/fixture/connector";
import { DEMO_FIXTURE_OPTIONS, generateFixtureEstate } from "@/lib/sources/fixture/estate";
import { discoverOrganizationAccounts } from "@/lib/sources/organizations/collect";
import { createFixtureOrganizationsClient } from "@/lib/sources/organizations/fixture";
import {
  ALLOWED_COMMANDS,
  allowedCommandsOf,
  HUB_QUEUE_COMMANDS,
  HUB_QUEUE_MODULE,
  readOnlyRoleActions,
} from "@/lib/sources/read-only-allow-list";
import { SOURCES } from "@/lib/sources/registry";
import { CREDENTIAL_EXCHANGE_OPERATIONS, READ_ONLY_OPERATION } from "@/lib/sources/shared/connector";

const here = import.meta.dirname;
/** Every non-test file under lib/sources, as a path relative to it ("s3/collect.ts"). */
const allFiles = readdirSync(here, { recursive: true, encoding: "utf8" })
  .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"))
  .map((f) => ({ file: f.split(path.sep).join("/"), text: readFileSync(path.join(here, f), "utf8") }));
/** The files that run against member accounts: all but the hub's own queue, which has its own, tighter test below. */
const sourceFiles = allFiles.filter((f) => f.file !== HUB_QUEUE_MODULE);

/** Original names of everything imported from @aws-sdk/* ("X as Y" → X; "type X" ignored). */
function awsSdkImports(text: string): { names: string[]; namespaceImports: string[] } {
  const names: string[] = [];
  const namespaceImports: string[] = [];
  for (const m of text.matchAll(/import\s+(type\s+)?([^;]*?)\s+from\s+["'](@aws-sdk\/[^"']+)["']/gs)) {
    if (m[1]) continue;
    const clause = m[2] ?? "";
    if (/\*\s+as\s+/.test(clause)) namespaceImports.push(m[3] ?? "");
    const braces = /\{([^}]*)\}/s.exec(clause)?.[1] ?? "";
    for (const part of braces.split(",")) {
      const p = part.trim();
      if (!p || p.startsWith("type ")) continue;
      names.push(p.split(/\s+as\s+/)[0]?.trim() ?? "");
    }
  }
  return { names, namespaceImports };
}

describe("the hub queue: the only non-read calls", () => {
  const queue = allFiles.find((f) => f.file === HUB_QUEUE_MODULE)!;

  it("sends ReceiveMessage and DeleteMessage only, and nothing of it is a source or in the member role", () => {
    const constructed = [...queue.text.matchAll(/new\s+([A-Z][A-Za-z0-9]*Command)\s*\(/g)].map((m) => m[1]);
    expect(new Set(constructed)).toEqual(HUB_QUEUE_COMMANDS);
    const imported = awsSdkImports(queue.text).names.filter((n) => n.endsWith("Command"));
    expect(new Set(imported)).toEqual(HUB_QUEUE_COMMANDS);
    for (const c of HUB_QUEUE_COMMANDS) expect(ALLOWED_COMMANDS.has(c), c).toBe(false);
    expect(readOnlyRoleActions().filter((a) => a.startsWith("sqs:"))).toEqual([]);
  });

  it("uses the hub's own credentials, never a member account's role", () => {
    expect(queue.text).not.toMatch(/shared\/connector|AccountClients|AssumeRole/);
  });
});

describe("read-only allow-list (static)", () => {
  it("every allow-listed command is a Get/List/Describe/Head read or the STS credential exchange", () => {
    for (const name of ALLOWED_COMMANDS) {
      const op = name.replace(/Command$/, "");
      expect(READ_ONLY_OPERATION.test(op) || CREDENTIAL_EXCHANGE_OPERATIONS.includes(op), name).toBe(true);
    }
  });

  it("scans real files", () => {
    expect(sourceFiles.map((f) => f.file)).toEqual(
      expect.arrayContaining([
        "s3/collect.ts",
        "config/collect.ts",
        "macie/collect.ts",
        "sts/connector.ts",
        "organizations/collect.ts",
        "s3control/collect.ts",
      ]),
    );
  });

  it.each(sourceFiles.map((f) => [f.file, f.text] as const))(
    "%s constructs only allow-listed commands",
    (_file, text) => {
      for (const m of text.matchAll(/new\s+([A-Z][A-Za-z0-9]*Command)\s*\(/g))
        expect(ALLOWED_COMMANDS, m[1]).toContain(m[1]);
    },
  );

  it.each(
    sourceFiles.flatMap((f) => {
      const key = f.file.split("/")[0] ?? "";
      return SOURCES.some((s) => s.key === key) ? [[f.file, key, f.text] as const] : [];
    }),
  )("%s constructs only its own source's commands (%s)", (_file, key, text) => {
    const own = allowedCommandsOf(key);
    for (const m of text.matchAll(/new\s+([A-Z][A-Za-z0-9]*Command)\s*\(/g)) expect(own, m[1]).toContain(m[1]);
  });

  it.each(sourceFiles.map((f) => [f.file, f.text] as const))(
    "%s imports only allow-listed commands, and no SDK namespaces",
    (_file, text) => {
      const { names, namespaceImports } = awsSdkImports(text);
      for (const name of names.filter((n) => n.endsWith("Command"))) expect(ALLOWED_COMMANDS, name).toContain(name);
      // A namespace import could reach any command without naming it here.
      expect(namespaceImports).toEqual([]);
    },
  );

  it("only lib/sources imports @aws-sdk/* (house rule)", () => {
    const root = path.resolve(here, "../..");
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir)) {
        if (entry === "node_modules" || entry.startsWith(".") || entry === "generated") continue;
        const full = path.join(dir, entry);
        if (statSync(full).isDirectory()) walk(full);
        else if (/\.(ts|tsx|mjs|js)$/.test(entry) && /from\s+["']@aws-sdk\//.test(readFileSync(full, "utf8")))
          offenders.push(path.relative(root, full));
      }
    };
    for (const top of ["app", "components", "lib", "scripts", "bench", "prisma", "e2e"]) {
      const dir = path.join(root, top);
      try {
        if (statSync(dir).isDirectory()) walk(dir);
      } catch {
        // directory not created yet
      }
    }
    expect(offenders.filter((f) => !f.startsWith(path.join("lib", "sources") + path.sep))).toEqual([]);
  });
});

describe("read-only allow-list (dynamic: a full demo collection)", () => {
  it("sends nothing but allow-listed reads", async () => {
    const estate = generateFixtureEstate(DEMO_FIXTURE_OPTIONS);
    const connector = createFixtureConnector(estate);
    for (const account of estate.accounts) {
      await collectAccount(connector, account, { homeRegion: account.homeRegion, regions: estate.regions });
    }
    for (const account of estate.accounts) await connector.testConnection(account);
    const orgs = createFixtureOrganizationsClient(estate);
    await discoverOrganizationAccounts(orgs);

    const sent = { ...connector.callCounts(), ...orgs.callCounts() };
    const operations = Object.keys(sent);
    expect(operations.length).toBeGreaterThan(20);
    for (const key of operations) {
      const [service, operation = ""] = key.split(":");
      const read =
        READ_ONLY_OPERATION.test(operation) ||
        (service === "sts" && CREDENTIAL_EXCHANGE_OPERATIONS.includes(operation));
      expect(read, key).toBe(true);
      expect(ALLOWED_COMMANDS, key).toContain(`${operation}Command`);
      expect(allowedCommandsOf(service ?? ""), key).toContain(`${operation}Command`);
    }
    // The collection really exercised every collector.
    expect(operations).toEqual(
      expect.arrayContaining([
        "s3:ListBuckets",
        "s3:GetBucketPolicy",
        "s3:GetBucketEncryption",
        "s3control:GetPublicAccessBlock",
        "config:DescribeConfigRules",
        "config:GetComplianceDetailsByConfigRule",
        "macie:GetMacieSession",
        "macie:ListFindings",
        "macie:GetFindings",
        "macie:DescribeBuckets",
        "sts:AssumeRole",
        "sts:GetCallerIdentity",
        "organizations:ListAccounts",
        "organizations:ListParents",
        "organizations:DescribeOrganizationalUnit",
      ]),
    );
  });
});

describe("the allow-list from the registry", () => {
  it("the allow-list is exactly the union of the sources' commands", () => {
    expect([...ALLOWED_COMMANDS].sort()).toEqual([...new Set(SOURCES.flatMap((s) => Object.keys(s.commands)))].sort());
    expect(readOnlyRoleActions()).toEqual(
      [...new Set(SOURCES.flatMap((s) => Object.values(s.commands).flat()))].sort(),
    );
    expect(allowedCommandsOf("s3control")).toEqual(new Set(["GetPublicAccessBlockCommand"]));
    expect(allowedCommandsOf("no-such-source")).toEqual(new Set());
  });
});

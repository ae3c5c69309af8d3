/** The registry's invariants: what the sync and the fixture AWS rely on when they read it. */
import { describe, expect, it } from "vitest";
import { DEMO_FIXTURE_OPTIONS, generateFixtureEstate } from "@/lib/sources/fixture/estate";
import { createAccountWorld, UnsupportedFixtureOperationError } from "@/lib/sources/fixture/world";
import { SOURCES } from "@/lib/sources/registry";
import { CREDENTIAL_EXCHANGE_OPERATIONS } from "@/lib/sources/shared/connector";

describe("the registry", () => {
  it("lists each source once, by its service key", () => {
    const keys = SOURCES.map((s) => s.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toEqual(expect.arrayContaining(["s3", "s3control", "config", "macie", "organizations", "sts"]));
  });

  it("has exactly one bucket inventory, read account-wide (S3): only it may fail an account's sync", () => {
    const inventories = SOURCES.filter((s) => s.sync?.scope === "account" && s.sync.inventory);
    expect(inventories.map((s) => s.key)).toEqual(["s3"]);
  });

  it("an account-wide step waits only on account-wide steps that exist (else the sync could never start it)", () => {
    const accountKeys = SOURCES.flatMap((s) => (s.sync?.scope === "account" ? [s.key] : []));
    for (const source of SOURCES) {
      if (source.sync?.scope !== "account") continue;
      for (const key of source.sync.after ?? []) {
        expect(accountKeys, `${source.key} waits on ${key}`).toContain(key);
        expect(key).not.toBe(source.key);
      }
    }
  });

  it("reads the bucket-change alerting chain link by link: each step waits on the one whose rows name what it reads", () => {
    const after = (key: string) => {
      const sync = SOURCES.find((s) => s.key === key)?.sync;
      return sync?.scope === "account" ? sync.after : undefined;
    };
    expect(after("logs")).toEqual(["cloudtrail"]);
    expect(after("cloudwatch")).toEqual(["logs"]);
    expect(after("sns")).toEqual(["cloudwatch"]);
  });

  it("the fixture AWS answers every command each source may send (only the connectors' STS exchange is exempt)", () => {
    const estate = generateFixtureEstate(DEMO_FIXTURE_OPTIONS);
    const world = createAccountWorld(estate, estate.accounts[2]!);
    for (const source of SOURCES) {
      if (!source.fixture) {
        for (const command of Object.keys(source.commands))
          expect(CREDENTIAL_EXCHANGE_OPERATIONS, `${source.key}:${command}`).toContain(command.replace(/Command$/, ""));
        continue;
      }
      for (const command of Object.keys(source.commands)) {
        const operation = command.replace(/Command$/, "");
        let thrown: unknown = null;
        try {
          source.fixture.answer({ world, region: "us-east-1", operation, input: {} });
        } catch (e) {
          thrown = e; // a service error for the empty input is an answer; "not implemented" is not
        }
        expect(thrown, `${source.key}:${operation}`).not.toBeInstanceOf(UnsupportedFixtureOperationError);
      }
    }
  });
});

/** The fixture estate and connector a sync benchmark uses, built identically in every worker process. */
import { generateFixtureEstate } from "@/lib/sources/fixture/estate";
import { createFixtureConnector } from "@/lib/sources/fixture/connector";

export interface SyncBenchConfig {
  accounts: number;
  bucketsPerAccount: number;
  regions: string[];
  latencyMs: number;
  /** Requests per second per account and API before the fixture answers ThrottlingException / SlowDown. */
  throttleRate: number;
}

export const benchEstate = (c: SyncBenchConfig) =>
  generateFixtureEstate({
    seed: 11,
    accounts: c.accounts,
    bucketsPerAccount: c.bucketsPerAccount,
    regions: c.regions,
    scenario: "generic",
  });

export const benchConnector = (c: SyncBenchConfig) =>
  // Throttled calls are retried like the SDK's retry strategy (3 attempts with backoff) inside the fixture.
  createFixtureConnector(benchEstate(c), {
    latencyMs: c.latencyMs,
    throttle: c.throttleRate > 0 ? { ratePerSecondPerAccountApi: c.throttleRate } : null,
  });

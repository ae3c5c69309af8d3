/**
 * The fixture AWS's alerting chains: the management account's own is complete, each member's has one flaw (or no trail),
 * deterministically, and the flawed filter patterns really miss what they are meant to miss (parsed by the domain's
 * pattern engine, as the account control will).
 */
import { describe, expect, it } from "vitest";
import { filterCoverage } from "@/lib/domain/alerting/bucket-change-alerting";
import { DEMO_FIXTURE_OPTIONS, generateFixtureEstate } from "@/lib/sources/fixture/estate";
import { alertingFlawOf } from "@/lib/sources/fixture/alerting-flaws";
import { ALERTING_FLAWS, alertingChainOf } from "./fixture";

describe("the fixture's alerting chains", () => {
  const estate = generateFixtureEstate(DEMO_FIXTURE_OPTIONS);

  it("gives the management account the complete chain and the demo's seven members one flaw each", () => {
    const byName = Object.fromEntries(estate.accounts.map((a) => [a.name, alertingFlawOf(estate, a.accountId)]));
    expect(byName).toEqual({
      "acme-security": null,
      "acme-log-archive": "no-alarm",
      "acme-prod-payments": "pending-subscription",
      "acme-prod-web": "no-trail",
      "acme-data-platform": "partial-pattern",
      "acme-marketing": "misspelled-event-source",
      "acme-dev-sandbox": "other-account-topic",
      "acme-legacy-apps": "actions-disabled",
    });
    // No trail of its own, no chain.
    expect(alertingChainOf(estate, estate.accounts.find((a) => a.name === "acme-prod-web")!.accountId)).toBeNull();
    // Same estate, same chains.
    const again = generateFixtureEstate(DEMO_FIXTURE_OPTIONS);
    for (const a of estate.accounts)
      expect(alertingChainOf(again, a.accountId)).toEqual(alertingChainOf(estate, a.accountId));
  });

  it("writes patterns that cover all five events, only some, or none, as each flaw says", () => {
    for (const account of estate.accounts) {
      const chain = alertingChainOf(estate, account.accountId);
      if (!chain) continue;
      const { missing, notUnderstood } = filterCoverage(chain.filter.pattern);
      expect(notUnderstood, chain.flaw ?? "complete").toBeUndefined();
      if (chain.flaw === "partial-pattern") expect(missing).toEqual(["PutBucketCors", "DeleteBucketCors"]);
      else if (chain.flaw === "misspelled-event-source") expect(missing).toHaveLength(5);
      else expect(missing, chain.flaw ?? "complete").toEqual([]);
    }
    expect(ALERTING_FLAWS).toHaveLength(8);
  });
});

/**
 * The fixture AWS's alerting chains: the organisation trail's is complete, each member's own trail has one flaw,
 * deterministically, and the flawed filter patterns really miss what they are meant to miss (parsed by the domain's
 * pattern engine, as the account control will).
 */
import { describe, expect, it } from "vitest";
import { filterCoverage } from "@/lib/domain/alerting/bucket-change-alerting";
import { DEMO_FIXTURE_OPTIONS, generateFixtureEstate } from "@/lib/sources/fixture/estate";
import { ALERTING_FLAWS, alertingChainOf } from "./fixture";

describe("the fixture's alerting chains", () => {
  const estate = generateFixtureEstate(DEMO_FIXTURE_OPTIONS);

  it("gives the management account the complete chain and the demo's seven members one flaw each", () => {
    const byName = Object.fromEntries(estate.accounts.map((a) => [a.name, alertingChainOf(estate, a.accountId)?.flaw]));
    expect(byName).toEqual({
      "acme-security": null,
      "acme-log-archive": "no-alarm",
      "acme-prod-payments": "pending-subscription",
      "acme-prod-web": "partial-pattern",
      "acme-data-platform": "misspelled-event-source",
      "acme-marketing": "other-account-topic",
      "acme-dev-sandbox": "actions-disabled",
      "acme-legacy-apps": "no-actions",
    });
    // Same estate, same chains.
    const again = generateFixtureEstate(DEMO_FIXTURE_OPTIONS);
    for (const a of estate.accounts)
      expect(alertingChainOf(again, a.accountId)).toEqual(alertingChainOf(estate, a.accountId));
  });

  it("writes patterns that cover all five events, only some, or none, as each flaw says", () => {
    for (const account of estate.accounts) {
      const chain = alertingChainOf(estate, account.accountId)!;
      const { missing, notUnderstood } = filterCoverage(chain.filter.pattern);
      expect(notUnderstood, chain.flaw ?? "complete").toBeUndefined();
      if (chain.flaw === "partial-pattern") expect(missing).toEqual(["PutBucketCors", "DeleteBucketCors"]);
      else if (chain.flaw === "misspelled-event-source") expect(missing).toHaveLength(5);
      else expect(missing, chain.flaw ?? "complete").toEqual([]);
    }
    expect(ALERTING_FLAWS).toHaveLength(7);
  });
});

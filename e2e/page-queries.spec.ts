/**
 * A page asked with a query it cannot accept answers HTTP 400 and still says, in the page, what is wrong; the same
 * page with a good query answers 200. Permission comes first: a role that may not see the page gets 403 whatever
 * its query.
 */
import { expect, test } from "@playwright/test";
import { storageStatePath } from "./fixtures/roles";

test.use({ storageState: storageStatePath("admin") });

const CASES = [
  {
    bad: "/buckets?region=nowhere&page=-3",
    good: "/buckets?region=eu-west-1",
    says: "region must look like eu-west-1",
  },
  { bad: "/findings?severity=Critical", good: "/findings?severity=High", says: "severity must be Low, Medium or High" },
  { bad: "/coverage?by=planet", good: "/coverage?by=ou", says: "by must be account, ou or owner" },
  { bad: "/audit?outcome=maybe", good: "/audit?outcome=success", says: "outcome must be success, failure or denied" },
  { bad: "/waivers?status=bogus", good: "/waivers?status=proposed", says: "status must be one of" },
];

for (const c of CASES) {
  test(`${c.bad} is a 400 that says what is wrong; ${c.good} is a 200`, async ({ page }) => {
    const bad = await page.goto(c.bad);
    expect(bad?.status()).toBe(400);
    await expect(page.getByTestId("query-error")).toContainText(c.says);
    // Once the filter form is live it must not "apply" the refused value away (it once navigated to the bare list).
    const form = page.locator("form[data-ready]");
    if ((await page.locator("form[data-testid$='-filters']").count()) > 0) await expect(form.first()).toBeAttached();
    await expect(page).toHaveURL(c.bad);
    await expect(page.getByTestId("query-error")).toContainText(c.says);
    const good = await page.goto(c.good);
    expect(good?.status()).toBe(200);
    await expect(page.getByTestId("query-error")).toHaveCount(0);
  });
}

test.describe("permission before validation", () => {
  test.use({ storageState: storageStatePath("manager") });
  test("a manager asking for findings with a bad query is refused (403), not told about the query", async ({
    page,
  }) => {
    const response = await page.goto("/findings?severity=Critical");
    expect(response?.status()).toBe(403);
    await expect(page.getByTestId("query-error")).toHaveCount(0);
  });
});

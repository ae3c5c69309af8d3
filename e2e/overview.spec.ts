import { expect, test } from "@playwright/test";
import { brokenAlertingAccounts, readableBucketCount, SPECIAL, unassumableAccount } from "./fixtures/demo-estate";
import { storageStatePath } from "./fixtures/roles";
import { OverviewPage } from "./pages/overview-page";

test.use({ storageState: storageStatePath("security-lead") });

test("the security lead lands on the overview", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/overview$/);
});

test("every overview number links to a list that shows exactly that number", async ({ page }) => {
  test.setTimeout(90_000);
  const overview = new OverviewPage(page);
  await overview.goto();
  const counters = await overview.counters();
  expect(counters.map((c) => c.id)).toEqual(
    expect.arrayContaining([
      "counter-in-scope",
      "counter-public",
      "counter-failing",
      "counter-unknown",
      "counter-macie-high",
      "counter-data-outranks-level",
      "counter-stale-accounts",
      "counter-macie-high-findings",
    ]),
  );
  expect(counters.find((c) => c.id === "counter-in-scope")?.count).toBe(readableBucketCount);
  // Alerting differs by account: the members whose own chain fails (the organisation trail feeds no log group).
  expect(counters.find((c) => c.id === "counter-broken-chain")?.count).toBe(brokenAlertingAccounts.length);
  expect(brokenAlertingAccounts.length).toBeGreaterThan(0);
  const controls = await overview.failingControls();
  expect(controls.length).toBeGreaterThan(0);

  for (const c of [...counters, ...controls]) {
    if (c.href.startsWith("#")) {
      // Stale accounts are listed on the overview itself.
      await overview.goto();
      await page.locator(`a[href="${c.href}"]`).click();
      await expect(page.getByTestId("stale-accounts").locator("li")).toHaveCount(c.count);
      continue;
    }
    await page.goto(c.href);
    const list = c.href.startsWith("/findings")
      ? "finding"
      : c.href.startsWith("/account-posture")
        ? "account-posture"
        : "bucket";
    await expect(page.getByTestId(`${list}-count`), `${c.id} → ${c.href}`).toHaveAttribute(
      "data-total",
      String(c.count),
    );
    const rows = page.getByTestId(`${list}-rows`).locator("tr");
    if (c.count === 0) await expect(rows.first()).toContainText(/No (bucket|finding|account) matches/);
    else await expect(rows).toHaveCount(Math.min(50, c.count));
  }
});

test("the unassumable account is listed as stale with its reason", async ({ page }) => {
  const overview = new OverviewPage(page);
  await overview.goto();
  const stale = page.getByTestId("stale-accounts");
  await expect(stale).toContainText(unassumableAccount.accountId);
  await expect(stale).toContainText("could not assume");
});

test("the riskiest buckets are ordered by score and each says why", async ({ page }) => {
  const overview = new OverviewPage(page);
  await overview.goto();
  const rows = page.getByTestId("riskiest-buckets").locator("tbody tr");
  await expect(rows).toHaveCount(10);
  const scores = (await rows.locator("td:first-child").allTextContents()).map(Number);
  expect(scores).toEqual([...scores].sort((a, b) => b - a));
  for (const reason of await rows.locator("td:last-child").allTextContents()) expect(reason).toMatch(/\+\d+/);
  // The bucket page lists every term, and they add up to the score.
  await rows.first().getByRole("link").click();
  const terms = page.getByTestId("risk-terms");
  await expect(terms).toBeVisible();
  const points = (await terms.locator("tbody td:last-child").allTextContents()).map((t) => Number(t.replace("+", "")));
  const score = Number(await terms.locator("tfoot td:last-child").textContent());
  expect(
    Math.min(
      100,
      points.reduce((a, b) => a + b, 0),
    ),
  ).toBe(score);
  expect(score).toBe(scores[0]);
});

test("reach comes first: the public bucket and the one an outside account reads are among the ten riskiest", async ({
  page,
}) => {
  const overview = new OverviewPage(page);
  await overview.goto();
  const names = page.getByTestId("riskiest-buckets").locator("tbody tr td:nth-child(2) a");
  await expect(names).toHaveCount(10);
  const riskiest = await names.allTextContents();
  expect(riskiest).toContain(SPECIAL.publicRead);
  expect(riskiest).toContain(SPECIAL.crossAccountRead);
});

test("the overview leads with what changed, failing per level and the trend, each with a text alternative", async ({
  page,
}) => {
  const overview = new OverviewPage(page);
  await overview.goto();
  // The demo has one finished sync unless another spec ran one: either way the card says what it compares.
  await expect(page.getByTestId("posture-changes").or(page.getByTestId("posture-changes-none"))).toBeVisible();

  const levels = page.getByTestId("failing-by-level").getByRole("link");
  await expect(levels).not.toHaveCount(0);
  await expect(page.getByTestId("failing-level-unclassified")).toBeVisible();
  const high = page.getByTestId("failing-level-high");
  const count = await high.getAttribute("data-count");
  await high.click();
  await expect(page).toHaveURL(/failing=1/);
  await expect(page.getByTestId("bucket-count")).toHaveAttribute("data-total", count!);

  await overview.goto();
  const trend = page.getByTestId("headline-trend");
  await expect(trend.getByTestId("trend-failing")).toContainText("→");
  const table = trend.getByRole("table", { name: /Headline numbers per day/ });
  expect(await table.locator("tbody tr").count()).toBeGreaterThan(1);
});

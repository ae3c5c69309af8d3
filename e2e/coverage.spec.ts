import { expect, test } from "@playwright/test";
import { readableAccounts, unassumableAccount } from "./fixtures/demo-estate";
import { storageStatePath } from "./fixtures/roles";

test.use({ storageState: storageStatePath("manager") });

const ouWithBuckets = readableAccounts[0]!.ouPath;

test("the manager lands on coverage", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/coverage$/);
  await expect(page.getByRole("heading", { name: "Coverage", level: 1 })).toBeVisible();
});

test("a manager opens coverage for an OU and sees its 90-day trend", async ({ page }) => {
  await page.goto("/coverage?by=ou");
  await page
    .getByTestId(`coverage-row-${ouWithBuckets}`)
    .getByRole("link", { name: ouWithBuckets, exact: true })
    .click();
  await expect(page).toHaveURL(new RegExp(`ou=${encodeURIComponent(ouWithBuckets)}`));
  await expect(page.getByTestId("coverage-scope")).toHaveText(`OU ${ouWithBuckets}`);
  for (const chart of ["trend-classified", "trend-compliant"]) {
    const line = page.getByTestId(chart).locator("svg path.recharts-line-curve").first();
    await expect(line).toBeVisible();
    // One point per day: a straight segment (L) between each of the 90 daily aggregates.
    const d = (await line.getAttribute("d")) ?? "";
    expect(d.split("L").length).toBeGreaterThanOrEqual(85);
  }
  // The groups inside the OU are its accounts, and only those.
  const rows = page.getByTestId("coverage-groups").locator("tbody tr");
  const expected = readableAccounts.filter((a) => a.ouPath === ouWithBuckets);
  await expect(rows).toHaveCount(expected.length);
});

test("coverage numbers drill down to bucket lists with the same counts", async ({ page }) => {
  test.setTimeout(60_000);
  await page.goto("/coverage?by=account");
  const row = page.getByTestId(`coverage-row-${readableAccounts[1]!.accountId}`);
  const cells = await row
    .locator("a[data-count]")
    .evaluateAll((links) =>
      links.map((a) => ({ count: Number(a.getAttribute("data-count")), href: a.getAttribute("href") ?? "" })),
    );
  expect(cells.length).toBeGreaterThan(1);
  const classified = await row.getByTestId("cell-classified").evaluate((a) => ({
    unclassified: Number(a.getAttribute("data-unclassified")),
    href: a.getAttribute("href") ?? "",
  }));
  for (const c of [...cells, { count: classified.unclassified, href: classified.href }]) {
    await page.goto(c.href);
    await expect(page.getByTestId("bucket-count"), c.href).toHaveAttribute("data-total", String(c.count));
    await expect(page).toHaveURL(new RegExp(`account=${readableAccounts[1]!.accountId}`));
  }
});

test("a manager can group by owner and cannot open the overview or findings", async ({ page }) => {
  await page.goto("/coverage?by=owner");
  await expect(page.getByRole("heading", { name: "By owner" })).toBeVisible();
  await expect(page.getByTestId("coverage-groups").locator("tbody tr").first()).toBeVisible();
  await expect(page.getByRole("link", { name: "Overview" })).toHaveCount(0);
  await expect(page.getByRole("link", { name: "Findings" })).toHaveCount(0);
});

test("an account that could not be read stays in coverage by account, and the page says what is missing", async ({
  page,
}) => {
  await page.goto("/coverage?by=account");
  await expect(page.getByTestId("coverage-incomplete")).toContainText(unassumableAccount.name);
  await expect(page.getByTestId("coverage-incomplete")).toContainText("Part of the demo");
  const row = page.getByTestId(`coverage-row-${unassumableAccount.accountId}`);
  await expect(row.getByTestId("cell-buckets")).toHaveAttribute("data-count", "0");
  await expect(row.getByTestId("coverage-read-problem")).toContainText("latest sync failed");
});

test("the classified share says where its link goes, and the bucket list shows that filter", async ({ page }) => {
  await page.goto("/coverage");
  const tile = page.getByTestId("summary-classified");
  const link = tile.getByRole("link", { name: /^Show the \d+ unclassified buckets?$/ });
  await expect(link).toBeVisible();
  const n = Number((await link.textContent())!.match(/\d+/)![0]);
  expect(n).toBeGreaterThan(0);
  await link.click();
  await expect(page).toHaveURL(/source=fallback/);
  await expect(page.getByTestId("bucket-count")).toHaveAttribute("data-total", String(n));
  // The destination says what it shows, in words on the page (not only in a select's value or a hover title).
  await expect(page.getByTestId("view-scope")).toContainText("unclassified");
  await expect(page.getByLabel("Level source", { exact: true })).toHaveValue("fallback");
});

test("classification by level separates classified buckets from those held to the fallback level", async ({ page }) => {
  await page.goto("/coverage");
  const byLevel = page.getByTestId("level-classification");
  const rows = byLevel.locator("[data-level]");
  expect(await rows.count()).toBeGreaterThan(1);
  let held = 0;
  let classified = 0;
  for (const row of await rows.all()) {
    held += Number(await row.getAttribute("data-unclassified"));
    classified += Number(await row.getAttribute("data-classified"));
  }
  const tile = page.getByTestId("summary-classified");
  const unclassified = Number((await tile.getByRole("link").textContent())!.match(/\d+/)![0]);
  // Every unclassified bucket is held at some level, and shown so; the classified ones add up to the tile's count.
  expect(held).toBe(unclassified);
  await expect(tile).toContainText(`${classified} of`);
  await expect(byLevel).toContainText("unclassified");
});

test.describe("account posture on coverage", () => {
  test.use({ storageState: storageStatePath("security-lead") });

  test("counts open Account posture, the bucket list and Third parties with the same numbers", async ({ page }) => {
    test.setTimeout(60_000);
    await page.goto(`/coverage?by=ou&ou=${encodeURIComponent(ouWithBuckets)}`);
    const card = page.getByTestId("account-posture-coverage");
    const complete = card.getByTestId("posture-complete");
    const accounts = Number(await complete.getAttribute("data-accounts"));
    expect(accounts).toBeGreaterThan(0);
    // "n of m accounts" opens Account posture for the OU: the same m accounts.
    await complete.getByRole("link").click();
    await expect(page).toHaveURL(new RegExp(`/account-posture\\?ou=${encodeURIComponent(ouWithBuckets)}`));
    await expect(page.getByTestId("account-posture-count")).toHaveAttribute("data-total", String(accounts));
    await page.goBack();
    // A control with failing accounts opens Account posture filtered to exactly those.
    const failing = card.locator('a[data-testid="control-fail"]').first();
    if ((await failing.count()) > 0) {
      const n = await failing.getAttribute("data-count");
      await failing.click();
      await expect(page).toHaveURL(/\/account-posture\?.*status=fail/);
      await expect(page.getByTestId("account-posture-count")).toHaveAttribute("data-total", n!);
      await page.goBack();
    }
    const reachable = card.getByTestId("posture-reachable");
    const outside = Number(await reachable.getAttribute("data-count"));
    if (outside > 0) {
      await reachable.getByRole("link").click();
      await expect(page.getByTestId("bucket-count")).toHaveAttribute("data-total", String(outside));
      await page.goBack();
    }
    const outsiders = card.getByTestId("posture-third-parties");
    const parties = await outsiders.getAttribute("data-count");
    await outsiders.getByRole("link").click();
    await expect(page.getByTestId("third-parties-scope")).toContainText(ouWithBuckets);
    await expect(page.getByTestId("third-parties-rows").locator("tr[data-principal]")).toHaveCount(Number(parties));
  });

  test("the organisation's buckets reachable from outside match the bucket list", async ({ page }) => {
    await page.goto("/coverage");
    const tile = page.getByTestId("summary-reachable");
    const n = Number(await page.getByTestId("posture-reachable").getAttribute("data-count"));
    expect(n).toBeGreaterThan(0);
    await tile.getByRole("link").click();
    await expect(page.getByTestId("bucket-count")).toHaveAttribute("data-total", String(n));
  });
});

test("a manager sees buckets reachable from outside but not account posture", async ({ page }) => {
  await page.goto("/coverage");
  await expect(page.getByTestId("summary-reachable")).toBeVisible();
  await expect(page.getByTestId("account-posture-coverage")).toHaveCount(0);
  await expect(page.getByTestId("posture-complete")).toHaveCount(0);
  await expect(page.getByTestId("posture-third-parties")).toHaveCount(0);
});

import { expect, test } from "@playwright/test";
import { readableAccounts, readableBucketCount, SPECIAL, unassumableAccount } from "./fixtures/demo-estate";
import { storageStatePath } from "./fixtures/roles";
import { BucketsPage } from "./pages/buckets-page";

test.use({ storageState: storageStatePath("security-lead") });

test("the list shows every bucket of every readable demo account", async ({ page }) => {
  const buckets = new BucketsPage(page);
  await buckets.goto();
  await expect(buckets.count()).toHaveText(`1–50 of ${readableBucketCount} buckets`);
  await expect(buckets.rows()).toHaveCount(50);
  // Riskiest first: the scores down the page never increase.
  const scores = (await page.getByTestId("bucket-rows").locator("td:first-child").allTextContents()).map(Number);
  expect(scores).toEqual([...scores].sort((a, b) => b - a));
});

test("filters narrow the list in Postgres and live in the URL", async ({ page }) => {
  const buckets = new BucketsPage(page);
  await buckets.goto();
  const account = readableAccounts[2]!;
  await buckets.filterAccount(account);
  await expect(page).toHaveURL(new RegExp(`account=${account.accountId}`));
  const rows = buckets.rows();
  await expect(rows.first()).toBeVisible();
  for (const text of await rows.allTextContents()) expect(text).toContain(account.accountId);

  await buckets.filter("Level", "high");
  await expect(page).toHaveURL(/level=high/);
  for (const text of await buckets.rows().allTextContents()) expect(text).toMatch(/High/);

  // The URL alone reproduces the view (shareable).
  const url = page.url();
  await page.goto(url);
  await expect(page.getByRole("combobox", { name: "Account" })).toHaveValue(`${account.name} (${account.accountId})`);
  await expect(page.getByLabel("Level", { exact: true })).toHaveValue("high");
});

test("filters apply as they change, with the URL as the state and Back restoring the previous view", async ({
  page,
}) => {
  const buckets = new BucketsPage(page);
  await buckets.goto("?sort=name&page=2");
  await expect(page.getByRole("button", { name: "Apply filters" })).toHaveCount(0);
  const all = Number(await buckets.count().getAttribute("data-total"));

  // A select applies at once, back to the first page, keeping the sort.
  await page.getByLabel("Exposure", { exact: true }).selectOption("public");
  await page.waitForURL((url) => url.searchParams.get("exposure") === "public");
  expect(new URL(page.url()).searchParams.get("page")).toBeNull();
  expect(new URL(page.url()).searchParams.get("sort")).toBe("name");
  const publicCount = Number(await buckets.count().getAttribute("data-total"));
  expect(publicCount).toBeGreaterThan(0);
  expect(publicCount).toBeLessThan(all);
  await expect(buckets.rows()).toHaveCount(publicCount);

  // Text applies when typing pauses, and the box keeps the focus (and what was typed) meanwhile.
  const search = page.getByLabel("Search");
  await search.click();
  await search.pressSequentially("marketing-pub");
  await page.waitForURL((url) => url.searchParams.get("q") === "marketing-pub");
  await expect(search).toBeFocused();
  await expect(search).toHaveValue("marketing-pub");
  await expect(buckets.rows()).toHaveCount(1);
  await expect(buckets.rows().first()).toContainText(SPECIAL.publicRead);

  // Back undoes the typing as one step, then the exposure choice; the fields follow the URL.
  await page.goBack();
  await page.waitForURL((url) => !url.searchParams.has("q") && url.searchParams.get("exposure") === "public");
  await expect(search).toHaveValue("");
  await page.goBack();
  await page.waitForURL((url) => !url.searchParams.has("exposure"));
  await expect(page.getByLabel("Exposure", { exact: true })).toHaveValue("");
  await expect(buckets.count()).toHaveAttribute("data-total", String(all));
});

test("the account filter searches accounts by name or id and says when nothing matches", async ({ page }) => {
  const buckets = new BucketsPage(page);
  await buckets.goto();
  const box = page.getByRole("combobox", { name: "Account" });
  const account = readableAccounts[1]!;
  await box.fill(account.accountId.slice(4, 10));
  await expect(page.getByRole("listbox", { name: "Accounts" }).getByRole("option")).toHaveText([
    new RegExp(account.accountId),
  ]);
  // Keyboard: arrow down to the suggestion, Enter picks it, and picking applies the filter.
  await box.press("ArrowDown");
  await box.press("Enter");
  await expect(box).toHaveValue(`${account.name} (${account.accountId})`);
  await page.waitForURL(new RegExp(`account=${account.accountId}`));
  await expect(buckets.rows().first()).toContainText(account.accountId);

  await box.fill("no-such-account-anywhere");
  await expect(page.getByRole("listbox", { name: "Accounts" })).toContainText("No account name or id contains");
  // Text that is not an account id, submitted anyway (Enter), gets the list's own message rather than a silent "all".
  await box.press("Enter");
  await expect(page.getByTestId("query-error")).toContainText("account must be a 12-digit AWS account id");

  await buckets.goto();
  await page.getByRole("combobox", { name: "Account" }).fill(account.accountId.slice(4, 10));
  await page.getByRole("button", { name: "Clear the account filter" }).click();
  await expect(page.getByRole("combobox", { name: "Account" })).toHaveValue("");
});

test("the unassumable account has no buckets to show, and its failure is not green", async ({ page }) => {
  const buckets = new BucketsPage(page);
  await buckets.goto(`?account=${unassumableAccount.accountId}`);
  await expect(buckets.count()).toHaveText("No buckets match");
  await page.goto("/accounts");
  const row = page.getByTestId(`account-${unassumableAccount.accountId}`);
  await expect(row).toContainText("Failed");
  await expect(row).toContainText("could not assume");
});

test("sorting by name orders the rows alphabetically, both ways", async ({ page }) => {
  const buckets = new BucketsPage(page);
  await buckets.goto("?sort=name&dir=asc&pageSize=100");
  const names = await page.getByTestId("bucket-rows").locator("td:nth-child(2) > a").allTextContents();
  expect(names).toEqual([...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
  await page.getByRole("link", { name: "Bucket", exact: true }).click();
  await expect(page).toHaveURL(/dir=desc/);
  const desc = await page.getByTestId("bucket-rows").locator("td:nth-child(2) > a").allTextContents();
  expect(desc[0]! >= desc[desc.length - 1]!).toBe(true);
});

test("search finds a bucket by part of its name and opens its page", async ({ page }) => {
  const buckets = new BucketsPage(page);
  await buckets.goto();
  await buckets.search("public-assets");
  await expect(buckets.rows()).toHaveCount(1);
  await buckets.openBucket(SPECIAL.publicRead);
  await expect(page.getByText("Public", { exact: true }).first()).toBeVisible();
  await expect(page.getByTestId("settings-table")).toContainText("GetBucketPolicy");
});

test("a setting that could not be read shows as unknown with its reason", async ({ page }) => {
  const buckets = new BucketsPage(page);
  await buckets.goto(`?q=${SPECIAL.policyReadDenied}`);
  await buckets.openBucket(SPECIAL.policyReadDenied);
  const policy = page.getByTestId("setting-unknown-policy");
  await expect(policy).toContainText("Unknown");
  await expect(policy).toContainText("AccessDenied");
  // A control that needs the policy is unknown, never a pass.
  await expect(page.locator('[data-control="https-only"]')).toHaveAttribute("data-status", /unknown|not-required/);
});

test("the compliant High bucket passes every required control", async ({ page }) => {
  const buckets = new BucketsPage(page);
  await buckets.goto(`?q=${SPECIAL.compliantHigh}`);
  await buckets.openBucket(SPECIAL.compliantHigh);
  const required = page.locator('[data-testid="control-matrix"] tr[data-required="true"]');
  // DESIGN.md §4's six for High, plus the KMS key controls (owned inside the organisation, rotation).
  await expect(required).toHaveCount(8);
  for (const status of await required.evaluateAll((rows) => rows.map((r) => r.getAttribute("data-status"))))
    expect(status).toBe("pass");
});

test("an address with an unreadable filter gets a clear message and a 400, not an error page", async ({ page }) => {
  const response = await page.goto("/buckets?region=nowhere&page=-3");
  expect(response?.status()).toBe(400);
  await expect(page.getByTestId("query-error")).toContainText("region must look like eu-west-1");
  await expect(page.getByTestId("query-error")).toContainText("page starts at 1");
});

test("an unknown bucket id is a 404 page", async ({ page }) => {
  const response = await page.goto("/buckets/99999999");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Not found" })).toBeVisible();
});

test("a page number past the end says so and leads to the last page", async ({ page }) => {
  const buckets = new BucketsPage(page);
  const lastPage = Math.ceil(readableBucketCount / 50);
  await buckets.goto(`?page=${lastPage + 3}`);
  await expect(buckets.count()).toHaveText(
    `Page ${lastPage + 3} is past the end: ${readableBucketCount} buckets fill ${lastPage} ${lastPage === 1 ? "page" : "pages"}`,
  );
  await expect(page.getByTestId("past-end")).toContainText(`There is no page ${lastPage + 3}`);
  await expect(page.getByRole("navigation", { name: "Pagination" })).toContainText(
    `Past the last page (page ${lastPage})`,
  );
  await page.getByTestId("past-end").getByRole("link", { name: "Go to the last page" }).click();
  const firstOnLast = (lastPage - 1) * 50 + 1;
  await expect(buckets.count()).toHaveText(`${firstOnLast}–${readableBucketCount} of ${readableBucketCount} buckets`);
  await expect(buckets.rows()).toHaveCount(readableBucketCount - firstOnLast + 1);
});

test("a saved view keeps the filters under a name: save, reload, open, delete", async ({ page }) => {
  const buckets = new BucketsPage(page);
  const name = `Public by name ${Date.now()}`;
  await buckets.goto("?exposure=public&sort=name");
  const views = page.getByTestId("saved-views");
  await views.getByLabel("Name of the view to save").fill(name);
  await views.getByRole("button", { name: "Save view" }).click();
  await expect(views.getByTestId("save-view-ok")).toHaveText(`View “${name}” saved.`);

  await page.goto("/buckets");
  await expect(buckets.count()).not.toHaveAttribute("data-total", "1");
  await views.getByText(/^Saved views/).click();
  const link = views.getByRole("link", { name, exact: true });
  await expect(link).toHaveAttribute("href", "/buckets?exposure=public&sort=name");
  await link.click();
  await page.waitForURL(
    (url) => url.searchParams.get("exposure") === "public" && url.searchParams.get("sort") === "name",
  );
  await expect(page.getByLabel("Exposure", { exact: true })).toHaveValue("public");

  await page.reload();
  await views.getByText(/^Saved views/).click();
  await views.getByRole("button", { name: `Delete saved view ${name}` }).click();
  await expect(views.getByRole("link", { name, exact: true })).toHaveCount(0);
});

import { expect, test } from "@playwright/test";
import { SPECIAL } from "./fixtures/demo-estate";
import { storageStatePath } from "./fixtures/roles";
import { filtersReady } from "./pages/filters";

test.use({ storageState: storageStatePath("security-lead") });

const total = async (page: import("@playwright/test").Page) =>
  Number(await page.getByTestId("finding-count").getAttribute("data-total"));

test("findings filter by severity, category and bucket, in the URL, and link to their buckets", async ({ page }) => {
  await page.goto("/findings");
  await expect(page.getByRole("heading", { name: "Findings", level: 1 })).toBeVisible();
  const all = await total(page);
  expect(all).toBeGreaterThan(0);
  await filtersReady(page);

  await page.getByLabel("Severity").selectOption("High");
  await expect(page).toHaveURL(/severity=High/);
  const high = await total(page);
  expect(high).toBeGreaterThan(0);
  expect(high).toBeLessThanOrEqual(all);
  const severities = await page
    .getByTestId("finding-rows")
    .locator("tr")
    .evaluateAll((rows) => rows.map((r) => r.getAttribute("data-severity")));
  expect(new Set(severities)).toEqual(new Set(["High"]));

  await page.getByLabel("Category").selectOption("CLASSIFICATION");
  await expect(page).toHaveURL(/category=CLASSIFICATION/);
  expect(await total(page)).toBeLessThanOrEqual(high);

  await page.goto(`/findings?bucket=${SPECIAL.lowWithPersonalData}`);
  const rows = page.getByTestId("finding-rows").locator("tr");
  await expect(rows.filter({ hasText: "SensitiveData:S3Object/Personal" })).toHaveCount(1);
  await rows
    .filter({ hasText: "SensitiveData:S3Object/Personal" })
    .getByRole("link", { name: SPECIAL.lowWithPersonalData })
    .click();
  await expect(page.getByRole("heading", { name: SPECIAL.lowWithPersonalData, level: 1 })).toBeVisible();
  await expect(page.getByTestId("bucket-findings")).toContainText("SensitiveData:S3Object/Personal");
});

test("the bucket filter matches part of a bucket name, as the user types", async ({ page }) => {
  await page.goto("/findings");
  const fragment = SPECIAL.lowWithPersonalData.slice(5, 15); // "web-press-" of acme-web-press-releases
  const box = page.getByLabel("Bucket name");
  await box.pressSequentially(fragment);
  await expect(page).toHaveURL(new RegExp(`bucket=${fragment}`));
  await expect(box).toBeFocused();
  const names = page.getByTestId("finding-rows").locator("tr");
  await expect(names.filter({ hasText: SPECIAL.lowWithPersonalData })).not.toHaveCount(0);
  for (const text of await names.allTextContents()) expect(text).toContain(fragment);
  // LIKE's wildcards are literal: "_" matches only an underscore, which no bucket name has.
  await page.goto(`/findings?bucket=${encodeURIComponent("acme_web")}`);
  await expect(page.getByTestId("finding-count")).toHaveAttribute("data-total", "0");
});

test("a findings address with an unreadable filter gets a clear message", async ({ page }) => {
  const response = await page.goto("/findings?severity=Critical&account=12");
  expect(response?.status()).toBe(400);
  await expect(page.getByTestId("query-error")).toContainText("severity must be Low, Medium or High");
  await expect(page.getByTestId("query-error")).toContainText("account must be a 12-digit AWS account id");
});

test("a findings page past the end says so and leads to the last page", async ({ page }) => {
  await page.goto("/findings");
  const all = await total(page);
  const lastPage = Math.ceil(all / 50);
  await page.goto(`/findings?page=${lastPage + 1}`);
  await expect(page.getByTestId("finding-count")).toHaveText(
    `Page ${lastPage + 1} is past the end: ${all.toLocaleString("en")} findings fill ${lastPage} ${lastPage === 1 ? "page" : "pages"}`,
  );
  await page.getByRole("navigation", { name: "Pagination" }).getByRole("link", { name: "Last page" }).click();
  await expect(page).toHaveURL(lastPage === 1 ? /\/findings$/ : new RegExp(`page=${lastPage}`));
  await expect(page.getByTestId("finding-rows").locator("tr")).toHaveCount(all - (lastPage - 1) * 50);
});

import { readFile } from "node:fs/promises";
import { expect, test, type Page } from "@playwright/test";
import { parseCsv } from "../tests/support/parse-csv";
import { storageStatePath } from "./fixtures/roles";
import { BucketsPage } from "./pages/buckets-page";

test.use({ storageState: storageStatePath("security-lead") });

async function listedNames(page: Page): Promise<string[]> {
  return page.getByTestId("bucket-rows").locator("td:nth-child(2) > a").allTextContents();
}

async function downloadCsv(page: Page) {
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "CSV", exact: true }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^custody-buckets-.+\.csv$/);
  return parseCsv(await readFile((await download.path())!, "utf8"));
}

test("a lead filters to public High buckets and exports exactly that view as CSV", async ({ page }) => {
  const buckets = new BucketsPage(page);
  await buckets.goto();
  await buckets.filter("Exposure", "public");
  await buckets.filter("Level", "high");
  await expect(page).toHaveURL(/exposure=public/);
  await expect(page).toHaveURL(/level=high/);
  const total = Number(await buckets.count().getAttribute("data-total"));
  const rows = await downloadCsv(page);
  expect(rows).toHaveLength(total);
  expect(rows.map((r) => r.name)).toEqual(await listedNames(page));
  for (const r of rows) {
    expect(r.exposure).toBe("public");
    expect(r.level).toBe("high");
  }
});

test("the export holds every row of a view longer than one page, in the list's order", async ({ page }) => {
  const buckets = new BucketsPage(page);
  await buckets.goto("?level=high&pageSize=100");
  const total = Number(await buckets.count().getAttribute("data-total"));
  expect(total).toBeGreaterThan(50);
  const rows = await downloadCsv(page);
  expect(rows).toHaveLength(total);
  expect(rows.map((r) => r.name)).toEqual(await listedNames(page));
  expect(new Set(rows.map((r) => r.arn)).size).toBe(total);
});

test("the public view exports as a JSON array with the same buckets", async ({ page }) => {
  const buckets = new BucketsPage(page);
  await buckets.goto("?exposure=public");
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "JSON", exact: true }).click(),
  ]);
  const rows = JSON.parse(await readFile((await download.path())!, "utf8")) as { name: string; exposure: string }[];
  expect(rows.map((r) => r.name)).toEqual(await listedNames(page));
  expect(rows.length).toBeGreaterThan(0);
});

test("an export with an unreadable filter is a 400 with the reason", async ({ page }) => {
  const res = await page.request.get("/api/buckets/export?format=xml&macie=extreme");
  expect(res.status()).toBe(400);
  const body = await res.json();
  expect(body.message).toContain("format must be csv or json");
  expect(body.message).toContain("macie must be low, medium or high");
});

test("the new filters narrow the list and live in the URL", async ({ page }) => {
  const buckets = new BucketsPage(page);
  await buckets.goto();
  await page.getByLabel("Control", { exact: true }).selectOption("https-only");
  await page.getByLabel("Failing a required control").check();
  await expect(page).toHaveURL(/control=https-only/);
  await expect(page).toHaveURL(/failing=1/);
  await expect(page.getByText("Showing buckets where “HTTPS only” is fail.")).toBeVisible();
  const total = Number(await buckets.count().getAttribute("data-total"));
  expect(total).toBeGreaterThan(0);
  for (const text of await buckets.rows().allTextContents()) expect(text).toMatch(/failing/);
  await page.reload();
  await expect(page.getByLabel("Control", { exact: true })).toHaveValue("https-only");
  await expect(page.getByLabel("Failing a required control")).toBeChecked();

  const response = await page.goto("/buckets?status=fail");
  expect(response?.status()).toBe(400);
  await expect(page.getByTestId("query-error")).toContainText("status needs a control");
  await page.goto("/buckets?tag==oops&macie=extreme");
  await expect(page.getByTestId("query-error")).toContainText("tag must be a tag key");
  await expect(page.getByTestId("query-error")).toContainText("macie must be low, medium or high");
});

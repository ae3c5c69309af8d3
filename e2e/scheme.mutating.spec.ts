/**
 * The classification scheme in the app: an admin changes Medium's required controls and the affected buckets'
 * verdicts change on their pages; a bad import names the field and changes nothing. Runs after the read-only specs
 * (project "mutating") and restores the scheme at the end.
 */
import { expect, test, type Page } from "@playwright/test";
import { SPECIAL } from "./fixtures/demo-estate";
import { storageStatePath } from "./fixtures/roles";
import { BucketsPage } from "./pages/buckets-page";

test.use({ storageState: storageStatePath("admin") });
test.describe.configure({ mode: "serial" });

async function latestVersion(page: Page): Promise<number> {
  await page.goto("/settings");
  const id = await page.getByTestId("scheme-versions").locator("li").first().getAttribute("data-testid");
  return Number(id!.replace("scheme-version-", ""));
}

async function setMediumVersioning(page: Page, required: boolean, note: string) {
  await page.goto("/settings");
  const medium = page.getByTestId("edit-level-medium");
  const box = medium.getByLabel("Versioning enabled");
  if (required) await box.check();
  else await box.uncheck();
  await page.getByLabel("Note for the version history (optional)").fill(note);
  await page.getByRole("button", { name: "Save as new version" }).click();
  await expect(page.getByTestId("scheme-save-ok")).toContainText(
    `level medium ${required ? "now requires" : "no longer requires"} versioning`,
  );
}

async function versioningStatus(page: Page, bucket: string) {
  const buckets = new BucketsPage(page);
  await buckets.goto(`?q=${bucket}`);
  await buckets.openBucket(bucket);
  return page.locator('[data-control="versioning"]');
}

test("an admin makes Medium require versioning: the Medium bucket without versioning now fails it", async ({
  page,
}) => {
  // Two background re-evaluations, each awaited for up to 30 s: more than the default 30 s for the whole test.
  test.setTimeout(90_000);
  // The partner feed is tagged Medium and has versioning off.
  await expect(await versioningStatus(page, SPECIAL.partnerBlockedByKey)).toHaveAttribute(
    "data-status",
    "not-required",
  );
  const before = await latestVersion(page);

  await setMediumVersioning(page, true, "e2e: versioning for Medium");
  // The form follows the re-evaluation it started to its end, and so does the banner: a done state with the count,
  // and no "re-evaluating in the background" left standing once the work is over.
  const saved = page.getByTestId("scheme-reevaluation");
  await expect(saved).toHaveAttribute("data-state", "succeeded", { timeout: 30_000 });
  await expect(saved).toContainText(/Re-evaluation done — \d+ buckets? re-evaluated/);
  const count = (await saved.textContent())!.match(/done — (\d+)/)![1]!;
  expect(Number(count)).toBeGreaterThan(0);
  const banner = page.getByTestId("reevaluation-banner");
  await expect(banner).toHaveAttribute("data-state", "succeeded");
  await expect(banner).toContainText(`Re-evaluation done — ${count} bucket`);
  await expect(page.getByText(/in the background|Re-evaluating/)).toHaveCount(0);
  // It stays on other pages until dismissed.
  await page.goto("/buckets");
  await expect(banner).toContainText("Re-evaluation done");
  await banner.getByRole("button", { name: "Dismiss" }).click();
  await expect(banner).toHaveCount(0);
  await page.reload();
  await expect(page.getByRole("heading", { name: "Buckets", level: 1 })).toBeVisible();
  await expect(banner).toHaveCount(0);

  await page.goto("/settings");
  await expect(page.getByTestId(`scheme-version-${before + 1}`)).toContainText("level medium now requires versioning");

  // Re-evaluation runs in the background; the bucket page shows the new verdict once it is done.
  await expect(async () => {
    const row = await versioningStatus(page, SPECIAL.partnerBlockedByKey);
    await expect(row).toHaveAttribute("data-status", "fail", { timeout: 1000 });
    await expect(row).toHaveAttribute("data-required", "true");
  }).toPass({ timeout: 30_000 });
  // A High bucket keeps its verdicts.
  await expect(await versioningStatus(page, SPECIAL.compliantHigh)).toHaveAttribute("data-status", "pass");

  await setMediumVersioning(page, false, "e2e: restore");
  await expect(async () => {
    await expect(await versioningStatus(page, SPECIAL.partnerBlockedByKey)).toHaveAttribute(
      "data-status",
      "not-required",
      { timeout: 1000 },
    );
  }).toPass({ timeout: 30_000 });
});

test("importing a scheme file with an error names the field and changes nothing", async ({ page }) => {
  const before = await latestVersion(page);
  const exported = await page.request.get("/api/scheme/export");
  expect(exported.status()).toBe(200);
  const scheme = await exported.json();
  scheme.levels[1].rank = "two";
  await page
    .getByTestId("scheme-import")
    .getByLabel("Scheme file (JSON)")
    .setInputFiles({ name: "scheme.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify(scheme)) });
  await page.getByRole("button", { name: "Import as new version" }).click();
  await expect(page.getByTestId("scheme-import-errors")).toHaveText("levels[1].rank: rank must be a number");
  expect(await latestVersion(page)).toBe(before);

  await page
    .getByTestId("scheme-import")
    .getByLabel("Scheme file (JSON)")
    .setInputFiles({ name: "scheme.json", mimeType: "application/json", buffer: Buffer.from("{ not json") });
  await page.getByRole("button", { name: "Import as new version" }).click();
  await expect(page.getByTestId("scheme-import-errors")).toContainText("the file is not valid JSON");
  expect(await latestVersion(page)).toBe(before);
});

test("the scheme change is in the audit log, filterable by action", async ({ page }) => {
  await page.goto("/audit?action=scheme.update&outcome=success");
  const rows = page.getByTestId("audit-rows").locator("tr");
  await expect(rows.first()).toContainText("admin@demo.custody.local");
  await expect(rows.first()).toContainText("versioning");
  for (const action of await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-action"))))
    expect(action).toBe("scheme.update");
  const csv = await page.request.get("/api/audit/export?action=scheme.update");
  expect(csv.headers()["content-type"]).toContain("text/csv");
  const lines = (await csv.text()).trim().split("\n");
  expect(lines[0]).toBe("id,at,actor,action,target_type,target_id,outcome,detail,ip");
  expect(lines.length).toBeGreaterThan(2);
});

/**
 * The Third parties page: who sees it (security lead, auditor, admin; managers get the 403 page), the partner outside
 * the organisation with its effective read linked to the bucket page (whose key card says the same), the bucket
 * list's "Reachable from outside the organisation", the CSV export, and an admin naming a vendor. Naming writes a
 * known_vendor row: each run names its own new account id, so the spec can run again and alongside the others
 * without changing what they see.
 */
import { expect, test } from "@playwright/test";
import { EXTERNAL_LOG_ANALYTICS_ACCOUNT_ID, EXTERNAL_PARTNER_ACCOUNT_ID } from "@/lib/sources/fixture/bucket-traits";
import { readableAccounts, SPECIAL } from "./fixtures/demo-estate";
import { storageStatePath } from "./fixtures/roles";
import { filtersReady } from "./pages/filters";

const PARTNER = EXTERNAL_PARTNER_ACCOUNT_ID;

test.describe("security lead", () => {
  test.use({ storageState: storageStatePath("security-lead") });

  test("sees the partner's effective read, linked to the bucket page's key card", async ({ page }) => {
    await page.goto("/third-parties");
    await expect(page.getByRole("heading", { name: "Third parties", level: 1 })).toBeVisible();
    const partner = page.getByTestId("third-parties-rows").locator(`tr[data-principal="${PARTNER}"]`);
    await expect(partner).toBeVisible();
    await expect(partner).toContainText("effective");
    // No naming form for a security lead: only admins name vendors.
    await expect(page.getByTestId("name-vendor")).toHaveCount(0);

    await partner.getByRole("link", { name: SPECIAL.crossAccountRead, exact: true }).click();
    await expect(page.getByRole("heading", { name: SPECIAL.crossAccountRead, level: 1 })).toBeVisible();
    const card = page.getByTestId("key-access");
    await expect(card.getByTestId("key-owner")).toContainText("Your organisation");
    const row = card.getByTestId("effective-access-table").locator(`tr[data-principal="${PARTNER}"]`);
    await expect(row.locator('[data-reach="effective"]')).toBeVisible();
  });

  test("sees the partner blocked by the key on another bucket, and the vendor only a trail's key lets decrypt", async ({
    page,
  }) => {
    await page.goto("/third-parties");
    const partner = page.getByTestId("third-parties-rows").locator(`tr[data-principal="${PARTNER}"]`);
    await expect(partner).toContainText("1 effective read");
    await expect(partner).toContainText("1 blocked by the key");
    await expect(partner.locator("li", { hasText: SPECIAL.partnerBlockedByKey })).toContainText(
      "read: blocked by the key",
    );
    // Shared inside the organisation only (aws:PrincipalOrgID): no outsider's row names it.
    await expect(page.getByTestId("third-parties-rows")).not.toContainText(SPECIAL.orgShared);

    const vendor = page
      .getByTestId("third-parties-rows")
      .locator(`tr[data-principal="${EXTERNAL_LOG_ANALYTICS_ACCOUNT_ID}"]`);
    await expect(vendor).toContainText("1 trail key: decrypt");
    await expect(vendor.locator("li[data-trail-key]")).toContainText("decrypts the logs of trail organization-trail");
  });

  test("finds the same bucket under 'Reachable from outside the organisation'", async ({ page }) => {
    await page.goto("/buckets");
    await filtersReady(page);
    await page.getByLabel("Exposure").selectOption("outside");
    await expect(page).toHaveURL(/exposure=outside/);
    await page.goto(`/buckets?exposure=outside&q=${SPECIAL.crossAccountRead}`);
    await expect(page.getByRole("link", { name: SPECIAL.crossAccountRead, exact: true })).toBeVisible();
  });
});

test.describe("auditor", () => {
  test.use({ storageState: storageStatePath("auditor") });

  test("sees the register and exports it as CSV", async ({ page }) => {
    await page.goto("/third-parties");
    await expect(page.getByTestId("third-parties-rows").locator(`tr[data-principal="${PARTNER}"]`)).toBeVisible();
    await expect(page.getByTestId("name-vendor")).toHaveCount(0);
    const res = await page.request.get("/api/third-parties/export");
    expect(res.status()).toBe(200);
    expect(res.headers()["content-type"]).toContain("text/csv");
    const csv = await res.text();
    expect(csv.split("\n")[0]).toBe(
      "principal,kind,vendor,first_seen_at,bucket_account_id,bucket,read,write,key_only,reason,trail_key",
    );
    expect(csv).toContain(`${PARTNER},account,`);
  });
});

test.describe("manager", () => {
  test.use({ storageState: storageStatePath("manager") });

  test("gets the 403 page and a 403 from the export", async ({ page }) => {
    await page.goto("/third-parties");
    await expect(page.getByRole("heading", { name: /don’t have access/ })).toBeVisible();
    const res = await page.request.get("/api/third-parties/export");
    expect(res.status()).toBe(403);
  });
});

test.describe("admin", () => {
  test.use({ storageState: storageStatePath("admin") });

  test("names a vendor's account, and is told when the account is the organisation's own", async ({ page }) => {
    // A new account id per run (12 digits, never a demo account): naming it changes nothing other specs look at.
    const vendorAccount = `9${String(Date.now()).slice(-11)}`;
    await page.goto("/third-parties");
    const form = page.getByTestId("name-vendor");
    await form.getByLabel("Account id").fill(vendorAccount);
    await form.getByLabel("Vendor name").fill("Acme Backup Ltd");
    await form.getByRole("button", { name: "Name vendor" }).click();
    await expect(page.getByTestId("name-vendor-ok")).toContainText(`${vendorAccount} is now known as Acme Backup Ltd`);

    await form.getByLabel("Account id").fill(readableAccounts[0]!.accountId);
    await form.getByLabel("Vendor name").fill("Ourselves Ltd");
    await form.getByRole("button", { name: "Name vendor" }).click();
    await expect(page.getByTestId("name-vendor-errors")).toContainText("belongs to the organisation");
  });
});

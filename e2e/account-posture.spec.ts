/**
 * Account posture: the org table for the roles that may see it (403 for the manager), its filters, and an account's
 * page whose alerting chain marks where it breaks, and the demo's accounts told apart: one complete chain, one with
 * a metric filter but no alarm, one whose alarm's topic has no confirmed subscription, one with no trail of its own.
 */
import { expect, test } from "@playwright/test";
import { accountNamed } from "./fixtures/demo-estate";
import { storageStatePath, type Role } from "./fixtures/roles";
import { filtersReady } from "./pages/filters";

const ALLOWED: Role[] = ["admin", "security-lead", "auditor"];

for (const role of ALLOWED) {
  test.describe(role, () => {
    test.use({ storageState: storageStatePath(role) });
    test(`${role} sees one row per linked account with every control's verdict`, async ({ page }) => {
      const response = await page.goto("/account-posture");
      expect(response?.status()).toBe(200);
      await expect(page.getByRole("heading", { name: "Account posture", level: 1 })).toBeVisible();
      const total = Number(await page.getByTestId("account-posture-count").getAttribute("data-total"));
      expect(total).toBeGreaterThan(0);
      const rows = page.getByTestId("account-posture-rows").locator("tr");
      await expect(rows).toHaveCount(Math.min(50, total));
      // Each row carries a verdict (or "not evaluated" dash) for each of the nine controls (its own cells; narrower
      // tables also stack a copy under the account name).
      await expect(rows.first().locator("td > [data-control]")).toHaveCount(9);
    });
  });
}

test.describe("manager", () => {
  test.use({ storageState: storageStatePath("manager") });
  test("the manager may not see account posture (403) and has no navigation entry", async ({ page }) => {
    const response = await page.goto("/account-posture");
    expect(response?.status()).toBe(403);
    await expect(page.getByRole("heading", { name: "You don’t have access to this page" })).toBeVisible();
    await page.goto("/coverage");
    await expect(page.getByRole("navigation", { name: "Main" }).first().getByText("Account posture")).toHaveCount(0);
  });
});

test.describe("filters and the account page", () => {
  test.use({ storageState: storageStatePath("security-lead") });

  test("the status filter keeps only accounts with a failing control, worst first", async ({ page }) => {
    await page.goto("/account-posture");
    await filtersReady(page);
    const all = Number(await page.getByTestId("account-posture-count").getAttribute("data-total"));
    await page.getByLabel("Status").selectOption("fail");
    await expect(page).toHaveURL(/status=fail/);
    const count = page.getByTestId("account-posture-count");
    const failing = Number(await count.getAttribute("data-total"));
    expect(failing).toBeLessThanOrEqual(all);
    const counts = await page
      .getByTestId("account-posture-rows")
      .getByTestId("failing-count")
      .evaluateAll((els) => els.map((e) => Number(e.textContent?.match(/^\d+/)?.[0] ?? "0")));
    expect(counts.length).toBe(Math.min(50, failing));
    for (const n of counts) expect(n).toBeGreaterThan(0);
    expect([...counts].sort((a, b) => b - a)).toEqual(counts);
  });

  test("a control filter shows exactly the accounts with that verdict", async ({ page }) => {
    await page.goto("/account-posture?control=trail-multi-region&status=pass");
    const rows = page.getByTestId("account-posture-rows").locator("tr[data-account]");
    const n = await rows.count();
    for (let i = 0; i < n; i++) {
      await expect(rows.nth(i).locator(`td > [data-control="trail-multi-region"]`)).toHaveText("Pass");
    }
    const bad = await page.goto("/account-posture?control=no-such-control");
    expect(bad?.status()).toBe(400);
  });

  test("an account's page shows each control and marks where the alerting chain breaks", async ({ page }) => {
    await page.goto("/account-posture");
    await page.getByTestId("account-posture-rows").locator("a").first().click();
    await page.waitForURL(/\/account-posture\/\d{12}$/);
    const controls = page.getByTestId("account-controls").locator("li[data-control]");
    await expect(controls).toHaveCount(9);

    const alerting = page.getByTestId("account-controls").locator('li[data-control="bucket-change-alerting"]');
    const status = await alerting.getAttribute("data-status");
    const chain = page.getByTestId("alerting-chain");
    await expect(chain.locator("li")).toHaveCount(5);
    if (status === "pass") {
      await expect(chain.locator('li[data-state="ok"]')).toHaveCount(5);
    } else if (status) {
      // Exactly one link is where it breaks, it says the control's reason, and nothing after it is reached.
      const broken = chain.locator('li[data-state="broken"], li[data-state="unknown"]');
      await expect(broken).toHaveCount(1);
      await expect(broken).toHaveAttribute("data-state", status === "fail" ? "broken" : "unknown");
      const reason = (await alerting.locator("p").nth(1).textContent())?.trim() ?? "";
      await expect(broken).toContainText(reason);
      const states = await chain.locator("li").evaluateAll((els) => els.map((e) => e.getAttribute("data-state")));
      const at = states.findIndex((s) => s === "broken" || s === "unknown");
      expect(states.slice(0, at).every((s) => s === "ok")).toBe(true);
      expect(states.slice(at + 1).every((s) => s === "not-reached")).toBe(true);
    }
  });

  test("the demo's accounts differ: complete, no alarm, no confirmed subscription, no trail of their own", async ({
    page,
  }) => {
    await page.goto("/account-posture");
    const alertingOf = (name: string) =>
      page
        .getByTestId("account-posture-rows")
        .locator(`tr[data-account="${accountNamed(name).accountId}"] td > [data-control="bucket-change-alerting"]`);
    await expect(alertingOf("acme-security")).toHaveText("Pass");
    for (const name of ["acme-log-archive", "acme-prod-payments", "acme-prod-web"]) {
      await expect(alertingOf(name), name).toHaveText("Fail");
    }

    const chainOf = async (name: string) => {
      await page.goto(`/account-posture/${accountNamed(name).accountId}`);
      const chain = page.getByTestId("alerting-chain");
      await expect(chain.locator("li")).toHaveCount(5);
      return chain;
    };
    let chain = await chainOf("acme-security");
    await expect(chain.locator('li[data-state="ok"]')).toHaveCount(5);

    chain = await chainOf("acme-log-archive");
    await expect(chain.locator('li[data-link="Metric filter"]')).toHaveAttribute("data-state", "ok");
    await expect(chain.locator('li[data-link="Alarm"]')).toHaveAttribute("data-state", "broken");
    await expect(chain.locator('li[data-link="Alarm"]')).toContainText(/metric filter \S+, no alarm on its metric/);

    chain = await chainOf("acme-prod-payments");
    await expect(chain.locator('li[data-link="Confirmed subscription"]')).toHaveAttribute("data-state", "broken");
    await expect(chain.locator('li[data-link="Confirmed subscription"]')).toContainText("no confirmed subscription");

    chain = await chainOf("acme-prod-web");
    await expect(chain.locator('li[data-link="Trail"]')).toHaveAttribute("data-state", "broken");
    await expect(chain.locator('li[data-link="Trail"]')).toContainText("no multi-region trail");
    // The organisation trail still records its calls: its audit trail passes.
    await expect(page.getByTestId("account-controls").locator('li[data-control="trail-multi-region"]')).toHaveAttribute(
      "data-status",
      "pass",
    );
  });

  test("the status filter accepts 'region not enabled' (no demo account has one)", async ({ page }) => {
    const response = await page.goto("/account-posture?status=region-not-enabled");
    expect(response?.status()).toBe(200);
    await expect(page.getByTestId("account-posture-count")).toHaveAttribute("data-total", "0");
  });

  test("an unknown account id is not found", async ({ page }) => {
    const response = await page.goto("/account-posture/000000000001");
    expect(response?.status()).toBe(404);
  });
});

test.describe("export", () => {
  test.use({ storageState: storageStatePath("auditor") });

  test("Export CSV downloads the filtered accounts, one line per control verdict", async ({ page }) => {
    await page.goto("/account-posture?status=fail");
    const failing = Number(await page.getByTestId("account-posture-count").getAttribute("data-total"));
    const [file] = await Promise.all([
      page.waitForEvent("download"),
      page.getByTestId("account-posture-export").click(),
    ]);
    expect(file.suggestedFilename()).toMatch(/^account-posture-\d{4}-\d{2}-\d{2}\.csv$/);
    const { readFileSync } = await import("node:fs");
    const [header, ...lines] = readFileSync((await file.path())!, "utf8")
      .trim()
      .split("\n");
    expect(header).toBe(
      "account_id,account,ou_path,control_id,control,status,reason,evidence,evaluated_at,sync_run_id",
    );
    // Evidence cells may hold line breaks inside quotes: count accounts by the lines that start a record.
    const accounts = new Set(lines.filter((l) => /^\d{12},/.test(l)).map((l) => l.slice(0, 12)));
    expect(accounts.size).toBe(failing);
  });
});

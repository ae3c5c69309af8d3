/**
 * Issue 13, sign-in and access hardening, in real Chromium against `next start`:
 *  - item 6: no open redirect after sign-in, whatever `next` says;
 *  - item 2: a spoofed X-Forwarded-For is not the address that is audited (the TCP peer is, here 127.0.0.1);
 *  - item 9: refused access leaves an "access.denied" audit row with the permission and the peer address;
 *  - item 3: the owner is told about failed attempts since the last sign-in.
 */
import { expect, test, type Page } from "@playwright/test";
import { DEMO_EMAIL, demoPassword, storageStatePath } from "./fixtures/roles";

const SPOOFED = "203.0.113.9";

async function signIn(page: Page, email: string, password: string) {
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** The audit log's CSV lines for a filter, read as the auditor. */
async function auditLines(page: Page, query: string): Promise<string[]> {
  const res = await page.request.get(`/api/audit/export?${query}`);
  expect(res.status()).toBe(200);
  return (await res.text()).split(/\r?\n/).filter(Boolean).slice(1);
}

test.describe("after sign-in, next stays on Custody's origin", () => {
  for (const next of ["/%09/evil.example/phish", "/.//evil.example/phish", "https://evil.example/"]) {
    test(`next=${next}`, async ({ page, baseURL }) => {
      await page.goto(`/login?next=${next}`);
      await signIn(page, DEMO_EMAIL["security-lead"], demoPassword());
      await expect(page.getByTestId("current-user")).toBeVisible();
      expect(new URL(page.url()).origin).toBe(new URL(baseURL!).origin);
      expect(page.url()).not.toContain("evil.example");
    });
  }
});

test.describe("a spoofed X-Forwarded-For", () => {
  test("is not the address a failed sign-in is audited with", async ({ browser, baseURL }) => {
    const email = `spoof-${Date.now()}@example.test`;
    const context = await browser.newContext({
      baseURL,
      extraHTTPHeaders: { "X-Forwarded-For": SPOOFED, "X-Real-IP": SPOOFED },
    });
    const page = await context.newPage();
    await page.goto("/login");
    await signIn(page, email, "not-the-password");
    await expect(page.getByTestId("sign-in-error")).toHaveText("Wrong e-mail or password.");
    await context.close();

    const auditor = await browser.newContext({ baseURL, storageState: storageStatePath("auditor") });
    const lines = await auditLines(await auditor.newPage(), `action=auth.sign-in&actor=${encodeURIComponent(email)}`);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/,127\.0\.0\.1$/);
    expect(lines[0]).not.toContain(SPOOFED);
    await auditor.close();
  });
});

test.describe("refused access", () => {
  test("a manager asking for the audit export gets a 403 that is audited with the permission and the peer address", async ({
    browser,
    baseURL,
  }) => {
    const manager = await browser.newContext({
      baseURL,
      storageState: storageStatePath("manager"),
      extraHTTPHeaders: { "X-Forwarded-For": SPOOFED },
    });
    const res = await manager.request.get("/api/audit/export");
    expect(res.status()).toBe(403);
    await manager.close();

    const auditor = await browser.newContext({ baseURL, storageState: storageStatePath("auditor") });
    const page = await auditor.newPage();
    // Recorded after the response is sent: poll briefly.
    await expect
      .poll(async () =>
        (await auditLines(page, `action=access.denied&actor=${encodeURIComponent(DEMO_EMAIL.manager)}`)).filter((l) =>
          l.includes("audit:read"),
        ),
      )
      .not.toHaveLength(0);
    const rows = (await auditLines(page, "action=access.denied")).filter(
      (l) => l.includes("audit:read") && l.includes(DEMO_EMAIL.manager),
    );
    for (const row of rows) {
      expect(row).toMatch(/,denied,/);
      expect(row).toMatch(/,127\.0\.0\.1$/);
    }
    expect((await auditLines(page, "action=access.denied")).some((l) => l.includes(SPOOFED))).toBe(false);
    await auditor.close();
  });
});

test.describe("failed sign-ins are told to the owner", () => {
  test("after failed attempts, the next sign-in shows a notice that can be dismissed", async ({ page }) => {
    // A fresh form for each attempt: the same error text would otherwise already be on the page.
    for (const wrong of ["not-the-admin-password-1", "not-the-admin-password-2"]) {
      await page.goto("/login");
      await signIn(page, DEMO_EMAIL.admin, wrong);
      await expect(page.getByTestId("sign-in-error")).toHaveText("Wrong e-mail or password.");
    }
    await page.goto("/login");
    await signIn(page, DEMO_EMAIL.admin, demoPassword());
    const notice = page.getByTestId("sign-in-notice");
    await expect(notice).toContainText(/\d+ failed sign-in attempts? on your account since your last sign-in/);
    await notice.getByRole("button", { name: "Dismiss" }).click();
    await expect(notice).toBeHidden();
    await page.reload();
    await expect(page.getByTestId("current-user")).toBeVisible();
    await expect(page.getByTestId("sign-in-notice")).toBeHidden();
  });
});

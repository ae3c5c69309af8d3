import { expect, test } from "@playwright/test";
import { SESSION_COOKIE } from "../lib/auth/cookie-names";
import { DEMO_EMAIL, demoPassword } from "./fixtures/roles";

test.describe("sign-in", () => {
  test("anonymous visitors are sent to sign-in and come back to the page they asked for", async ({ page }) => {
    await page.goto("/buckets?region=eu-west-1");
    await expect(page).toHaveURL(/\/login\?next=%2Fbuckets%3Fregion%3Deu-west-1/);
    await page.getByLabel("E-mail").fill(DEMO_EMAIL["security-lead"]);
    await page.getByLabel("Password").fill(demoPassword());
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/buckets\?region=eu-west-1$/);
    await expect(page.getByTestId("current-role")).toHaveText("Security lead");
  });

  test("a wrong password and an unknown user get the same message", async ({ page }) => {
    await page.goto("/login");
    await page.getByLabel("E-mail").fill("nobody-here@demo.custody.local");
    await page.getByLabel("Password").fill("wrong-password-1");
    await page.getByRole("button", { name: "Sign in" }).click();
    const unknownUser = await page.getByTestId("sign-in-error").textContent();

    await page.getByLabel("E-mail").fill(DEMO_EMAIL.manager);
    await page.getByLabel("Password").fill("wrong-password-2");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByTestId("sign-in-error")).toHaveText(unknownUser ?? "");
    expect(unknownUser).toBe("Wrong e-mail or password.");
  });

  test("an invalid e-mail address is refused with a clear message", async ({ page }) => {
    await page.goto("/login");
    await page.getByLabel("E-mail").fill("not-an-email");
    await page.getByLabel("Password").fill("x");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByTestId("sign-in-error")).toHaveText("Enter a valid e-mail address.");
  });

  test("signing out ends the session", async ({ page }) => {
    await page.goto("/login");
    await page.getByLabel("E-mail").fill(DEMO_EMAIL.auditor);
    await page.getByLabel("Password").fill(demoPassword());
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByTestId("current-user")).toBeVisible();
    const cookies = await page.context().cookies();
    const session = cookies.find((c) => c.name === SESSION_COOKIE);
    expect(session?.httpOnly).toBe(true);
    expect(session?.sameSite).toBe("Lax");
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/login$/);
    // The old cookie no longer opens anything, even if replayed.
    await page.context().addCookies([session!]);
    await page.goto("/buckets");
    await expect(page).toHaveURL(/\/login\?next=/);
  });

  test("a favicon is served without signing in (every page used to log a 404)", async ({ request }) => {
    const res = await request.get("/favicon.ico", { maxRedirects: 0 });
    expect(res.status()).toBe(200);
    expect(res.headers()["content-type"]).toMatch(/^image\//);
  });

  test("responses carry the security headers", async ({ request }) => {
    const res = await request.get("/login");
    const h = res.headers();
    expect(h["content-security-policy"]).toContain("frame-ancestors 'none'");
    expect(h["content-security-policy"]).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'/);
    expect(h["x-content-type-options"]).toBe("nosniff");
    // Issue 13: no referrer leaves the origin at all (same-origin is stricter than the browser default).
    expect(h["referrer-policy"]).toBe("same-origin");
    expect(h["x-powered-by"]).toBeUndefined();
  });
});

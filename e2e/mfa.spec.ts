/**
 * Multi-factor sign-in in Chromium, each test with its own fresh user (the demo users stay without factors):
 * TOTP set up on the account page and used at sign-in (codes computed here with otplib), passkeys registered and
 * used through Chromium's virtual authenticator (CDP WebAuthn domain), and password change.
 */
import { expect as baseExpect, test, type Page } from "@playwright/test";
import { authenticator } from "otplib";
import { MFA_PENDING_COOKIE, SESSION_COOKIE } from "../lib/auth/cookie-names";
import { createUser, E2E_USER_PASSWORD, signInWithPassword, signOut } from "./fixtures/users";

// Each step is a full sign-in round trip (argon2 included): allow for a loaded machine.
const expect = baseExpect.configure({ timeout: 30_000 });
test.describe.configure({ timeout: 180_000 });

/** The code of the next 30 s step: within the accepted window, and never the one the previous step consumed. */
const nextCode = (secret: string) => authenticator.clone({ epoch: Date.now() + 30_000 }).generate(secret);

async function expectNoSession(page: Page) {
  const cookies = await page.context().cookies();
  expect(cookies.some((c) => c.name === SESSION_COOKIE)).toBe(false);
  const pending = cookies.find((c) => c.name === MFA_PENDING_COOKIE);
  expect(pending?.httpOnly).toBe(true);
}

test.describe("multi-factor sign-in", () => {
  test("TOTP: set up on the account page, then required at sign-in; a wrong or replayed code is refused", async ({
    page,
  }) => {
    const user = await createUser("security-lead", "totp");
    await signInWithPassword(page, user);
    await expect(page.getByTestId("current-user")).toBeVisible();

    await page.getByTestId("current-user").click();
    await expect(page).toHaveURL(/\/account$/);
    await page.getByRole("button", { name: "Set up an authenticator app" }).click();
    const secret = (await page.getByTestId("totp-secret").textContent())!.trim();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    await expect(page.getByAltText("QR code for the authenticator app")).toHaveAttribute(
      "src",
      /^data:image\/png;base64,/,
    );
    await page.getByLabel("Code from the app").fill("000000");
    await page.getByRole("button", { name: "Confirm" }).click();
    await expect(page.getByTestId("totp-errors")).toContainText("not right");
    const enrolCode = authenticator.generate(secret);
    await page.getByLabel("Code from the app").fill(enrolCode);
    await page.getByRole("button", { name: "Confirm" }).click();
    await expect(page.getByTestId("recovery-codes").locator("li")).toHaveCount(10);
    await signOut(page);

    await signInWithPassword(page, user);
    await expect(page).toHaveURL(/\/login\/mfa/);
    await expectNoSession(page);
    // The password alone opens nothing.
    await page.goto("/buckets");
    await expect(page).toHaveURL(/\/login\?next=/);
    await page.goto("/login/mfa");
    await page.getByLabel(/Code from your authenticator app/).fill(enrolCode);
    await page.getByRole("button", { name: "Verify" }).click();
    await expect(page.getByTestId("mfa-error")).toContainText("not right, or was already used");

    await page.getByLabel(/Code from your authenticator app/).fill(nextCode(secret));
    await page.getByRole("button", { name: "Verify" }).click();
    await expect(page.getByTestId("current-user")).toHaveText("totp");
    await expect(page.getByTestId("current-role")).toHaveText("Security lead");
  });

  test("passkey: registered with the virtual authenticator, then used as the second factor", async ({
    page,
    baseURL,
  }) => {
    // WebAuthn refuses IP addresses as relying-party IDs: this test talks to the server as localhost.
    const origin = baseURL!.replace("127.0.0.1", "localhost");
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("WebAuthn.enable");
    const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
      options: {
        protocol: "ctap2",
        transport: "internal",
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
      },
    });

    const user = await createUser("auditor", "passkey");
    await signInWithPassword(page, user, origin);
    await expect(page.getByTestId("current-user")).toBeVisible();
    await page.goto(`${origin}/account`);
    await page.getByLabel("Passkey name").fill("Virtual key");
    await page.getByRole("button", { name: "Register a passkey" }).click();
    await expect(page.getByTestId("passkey-ok")).toHaveText("Passkey registered.");
    await expect(page.getByTestId("passkey-list")).toContainText("Virtual key");
    const { credentials } = await cdp.send("WebAuthn.getCredentials", { authenticatorId });
    expect(credentials).toHaveLength(1);
    await signOut(page);

    await signInWithPassword(page, user, origin);
    await expect(page).toHaveURL(/\/login\/mfa/);
    await expectNoSession(page);
    await page.getByRole("button", { name: "Use a passkey" }).click();
    await expect(page.getByTestId("current-user")).toHaveText("passkey");
    const after = await cdp.send("WebAuthn.getCredentials", { authenticatorId });
    expect(after.credentials[0]!.signCount).toBeGreaterThan(0);
  });

  test("password change: current password and the new one twice; weak passwords are refused", async ({
    page,
    browser,
  }) => {
    const user = await createUser("manager", "pwchange");
    await signInWithPassword(page, user);
    await expect(page.getByTestId("current-user")).toBeVisible();
    // A second browser with its own session, which the change must end.
    const other = await browser.newContext();
    const otherPage = await other.newPage();
    await signInWithPassword(otherPage, user);
    await expect(otherPage.getByTestId("current-user")).toBeVisible();

    await page.goto("/account");
    const form = async (current: string, next: string, again = next) => {
      await page.getByLabel("Current password").fill(current);
      await page.getByLabel("New password", { exact: true }).fill(next);
      await page.getByLabel("New password again").fill(again);
      await page.getByRole("button", { name: "Change password" }).click();
    };
    for (const weak of ["password1234", "aaaaaaaaaaaa", " ".repeat(12)]) {
      await form(E2E_USER_PASSWORD, weak);
      await expect(page.getByTestId("change-password-errors")).toBeVisible();
    }
    await form("not-my-password-1", "copper-thistle-harbour-58");
    await expect(page.getByTestId("change-password-errors")).toContainText("current password is not right");
    await form(E2E_USER_PASSWORD, "copper-thistle-harbour-58");
    await expect(page.getByTestId("change-password-ok")).toContainText("1 other session was signed out");

    await otherPage.goto("/coverage");
    await expect(otherPage).toHaveURL(/\/login\?next=/);
    await signInWithPassword(otherPage, { email: user.email, password: "copper-thistle-harbour-58" });
    await expect(otherPage.getByTestId("current-user")).toBeVisible();
    await other.close();
  });
});

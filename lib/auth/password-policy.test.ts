import { describe, expect, it } from "vitest";
import { checkPasswordStrength, generateTemporaryPassword, MAX_PASSWORD_LENGTH } from "./password-policy";

const user = { email: "ada.lovelace@example.com", name: "Ada Lovelace" };

describe("password policy", () => {
  it.each([
    ["password1234", /commonly used/],
    ["aaaaaaaaaaaa", /too easy to guess/],
    [" ".repeat(12), /only spaces/],
    ["qwertyuiop123", /commonly used|too easy/],
    ["Password2024", /commonly used|too easy/],
    ["short-1A!", /at least 12/],
    ["x".repeat(MAX_PASSWORD_LENGTH - 1) + "😀😀", /at most/],
    ["ADA.LOVELACE@example.com-horse", /e-mail/],
    ["lantern-ada.lovelace-orbit", /e-mail/],
  ])("refuses %j", (password, message) => {
    const result = checkPasswordStrength(password, user);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toMatch(message);
  });

  it("counts characters, not UTF-16 units", () => {
    expect(checkPasswordStrength("𝔘".repeat(11), user)).toMatchObject({
      ok: false,
      message: expect.stringMatching(/at least 12/),
    });
    const long = "Grüße aus Köln, 𝔘nd viele Pferde laufen schnell über die Wiese! ".repeat(2);
    const chars = [...long].slice(0, 128);
    expect(checkPasswordStrength(chars.join(""), user)).toMatchObject({ ok: true });
    expect(checkPasswordStrength(chars.join("") + "a", user)).toMatchObject({
      ok: false,
      message: expect.stringMatching(/at most/),
    });
  });

  it.each([
    "e2e-demo-password-4711",
    "integration-demo-password",
    "correct horse battery staple",
    "Zq8-mule-orbit-lantern",
  ])("accepts the passphrase %j", (password) =>
    expect(checkPasswordStrength(password, user)).toMatchObject({ ok: true }),
  );

  it("accepts generated temporary passwords", () => {
    for (let i = 0; i < 20; i++) expect(checkPasswordStrength(generateTemporaryPassword(), user).ok).toBe(true);
  });
});

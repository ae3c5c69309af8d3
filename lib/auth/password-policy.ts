/**
 * THE password policy: one check for every password a person chooses (npm run user:create, password change, an
 * admin's reset, CUSTODY_DEMO_PASSWORD). Length 12–128 characters (at most 512 bytes, so argon2 always hashes the
 * whole password), not a common password, not containing the user's e-mail, and zxcvbn-ts (offline, with its
 * common-password, name and English word dictionaries) must estimate it at score 3 or more ("safely unguessable").
 */
import { ZxcvbnFactory } from "@zxcvbn-ts/core";
import * as common from "@zxcvbn-ts/language-common";
import * as english from "@zxcvbn-ts/language-en";

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 128;
export const MAX_PASSWORD_BYTES = 512;
export const MIN_PASSWORD_SCORE = 3;

export type PasswordCheck = { ok: true; score: number } | { ok: false; message: string; score?: number };

// Built on first use: the dictionaries are a few MB of JSON and only sign-in-free paths need them.
let estimator: ZxcvbnFactory | null = null;
let commonPasswords: Set<string> | null = null;

function zxcvbn(): ZxcvbnFactory {
  estimator ??= new ZxcvbnFactory({
    dictionary: { ...common.dictionary, ...english.dictionary },
    graphs: common.adjacencyGraphs,
    translations: english.translations,
  });
  return estimator;
}

function isCommonPassword(password: string): boolean {
  commonPasswords ??= new Set(common.dictionary["passwords-common"].map((p) => p.toLowerCase()));
  return commonPasswords.has(password.toLowerCase());
}

export function checkPasswordStrength(password: string, user: { email: string; name?: string | null }): PasswordCheck {
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH)
    return { ok: false, message: `The password must have at least ${MIN_PASSWORD_LENGTH} characters.` };
  if (length > MAX_PASSWORD_LENGTH || Buffer.byteLength(password, "utf8") > MAX_PASSWORD_BYTES) {
    return { ok: false, message: `The password must have at most ${MAX_PASSWORD_LENGTH} characters.` };
  }
  if (password.trim() === "") return { ok: false, message: "The password cannot be only spaces." };
  if (isCommonPassword(password)) return { ok: false, message: "That is a commonly used password; choose another." };

  const email = user.email.trim().toLowerCase();
  const localPart = email.split("@")[0] ?? "";
  const lower = password.toLowerCase();
  if ((email && lower.includes(email)) || (localPart.length >= 4 && lower.includes(localPart))) {
    return { ok: false, message: "The password must not contain your e-mail address." };
  }

  const inputs = [email, localPart, ...(user.name ? user.name.toLowerCase().split(/\s+/) : []), "custody"].filter(
    (s) => s.length >= 3,
  );
  const result = zxcvbn().check(password.slice(0, 100), inputs);
  if (result.score < MIN_PASSWORD_SCORE) {
    const hints = [result.feedback.warning, ...result.feedback.suggestions].filter(Boolean).join(" ");
    return {
      ok: false,
      score: result.score,
      message: `That password is too easy to guess.${hints ? ` ${hints}` : ""} Use a longer passphrase of several unrelated words.`,
    };
  }
  return { ok: true, score: result.score };
}

/** A password that passes the policy, for temporary passwords an admin hands over (16 characters, ~95 bits). */
export function generateTemporaryPassword(): string {
  const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join("");
}

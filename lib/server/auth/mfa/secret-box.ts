import "server-only";
/**
 * TOTP secrets at rest. With CUSTODY_MFA_ENCRYPTION_KEY they are sealed with AES-256-GCM (key = SHA-256 of the
 * variable, so any long random string works); a database dump alone then cannot mint codes. Without the key they
 * are stored as "plain:…" — still only reachable by someone who can read the database. Values sealed under a key
 * need that same key to be read back.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";

const keyFrom = (value: string) => createHash("sha256").update(value, "utf8").digest();

export function sealSecret(secret: string, keyValue: string | undefined = env().CUSTODY_MFA_ENCRYPTION_KEY): string {
  if (!keyValue) return `plain:${secret}`;
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", keyFrom(keyValue), iv);
  const ciphertext = Buffer.concat([cipher.update(secret, "utf8"), cipher.final()]);
  return [
    "v1",
    iv.toString("base64url"),
    cipher.getAuthTag().toString("base64url"),
    ciphertext.toString("base64url"),
  ].join(":");
}

export function openSecret(stored: string, keyValue: string | undefined = env().CUSTODY_MFA_ENCRYPTION_KEY): string {
  if (stored.startsWith("plain:")) return stored.slice("plain:".length);
  const [version, iv, tag, ciphertext] = stored.split(":");
  if (version !== "v1" || !iv || !tag || !ciphertext) throw new Error("unreadable TOTP secret");
  if (!keyValue)
    throw new AppError("unavailable", "TOTP secrets are encrypted but CUSTODY_MFA_ENCRYPTION_KEY is not set.");
  const decipher = createDecipheriv("aes-256-gcm", keyFrom(keyValue), Buffer.from(iv, "base64url"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]).toString("utf8");
}

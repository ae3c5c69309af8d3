import "server-only";
/**
 * TOTP (RFC 6238 via otplib: SHA-1, 6 digits, 30 s steps, ±1 step of clock drift) and recovery codes. A code is
 * accepted once: the matched time step must be later than the last accepted one, advanced atomically, so a code
 * seen over someone's shoulder (or sent twice in parallel) does not work a second time.
 */
import { createHash, randomBytes } from "node:crypto";
import { authenticator as defaultAuthenticator } from "otplib";
import QRCode from "qrcode";
import type { Db } from "@/lib/db/prisma";
import { AppError } from "@/lib/errors";
import { openSecret, sealSecret } from "@/lib/server/auth/mfa/secret-box";

const STEP_SECONDS = 30;
const authenticator = defaultAuthenticator.clone({ step: STEP_SECONDS, window: 1, digits: 6 });
export const RECOVERY_CODE_COUNT = 10;
const ISSUER = "Custody";

const TotpCode = /^\d{6}$/;

/** Begin (or restart) enrolment: a new unconfirmed secret, shown once as text and as a QR code. */
export async function startTotpEnrolment(client: Db, user: { id: string; email: string }) {
  const existing = await client.userTotp.findUnique({ where: { userId: user.id }, select: { confirmedAt: true } });
  if (existing?.confirmedAt)
    throw new AppError("conflict", "An authenticator app is already set up; remove it first to set up another.");
  const secret = authenticator.generateSecret(20);
  await client.userTotp.upsert({
    where: { userId: user.id },
    create: { userId: user.id, secret: sealSecret(secret) },
    update: { secret: sealSecret(secret), lastUsedStep: 0, createdAt: new Date() },
  });
  const uri = authenticator.keyuri(user.email, ISSUER, secret);
  return { secret, uri, qrDataUrl: await QRCode.toDataURL(uri, { margin: 1, width: 200 }) };
}

/** The time step a code belongs to, or null when it matches none of now −1, now, now +1. */
function matchedStep(secret: string, code: string, now: number): number | null {
  if (!TotpCode.test(code)) return null;
  const delta = authenticator.checkDelta(code, secret);
  return delta === null ? null : Math.floor(now / 1000 / STEP_SECONDS) + delta;
}

/** Check a code against the user's TOTP (confirmed, or the one being enrolled) and consume its time step. */
export async function consumeTotpCode(
  client: Db,
  userId: string,
  code: string,
  options: { confirmed: boolean },
): Promise<boolean> {
  const totp = await client.userTotp.findUnique({ where: { userId }, select: { secret: true, confirmedAt: true } });
  if (!totp || (options.confirmed ? !totp.confirmedAt : totp.confirmedAt)) return false;
  const step = matchedStep(openSecret(totp.secret), code.replace(/\s/g, ""), Date.now());
  if (step === null) return false;
  const { count } = await client.userTotp.updateMany({
    where: { userId, lastUsedStep: { lt: step }, confirmedAt: options.confirmed ? { not: null } : null },
    data: { lastUsedStep: step },
  });
  return count === 1;
}

/** Confirm enrolment with a first code; returns fresh recovery codes (shown once; only their hashes are kept). */
export async function confirmTotpEnrolment(client: Db, userId: string, code: string): Promise<string[] | null> {
  if (!(await consumeTotpCode(client, userId, code, { confirmed: false }))) return null;
  await client.userTotp.update({ where: { userId }, data: { confirmedAt: new Date() } });
  return replaceRecoveryCodes(client, userId);
}

export async function removeTotp(client: Db, userId: string): Promise<boolean> {
  const { count } = await client.userTotp.deleteMany({ where: { userId } });
  await client.userRecoveryCode.deleteMany({ where: { userId } });
  return count > 0;
}

const hashCode = (code: string) => createHash("sha256").update(code.replace(/[\s-]/g, "").toLowerCase()).digest("hex");

/** Ten codes of 10 base32 characters (50 bits each, shown as xxxxx-xxxxx); SHA-256 suffices at that entropy. */
export async function replaceRecoveryCodes(client: Db, userId: string): Promise<string[]> {
  const alphabet = "abcdefghijkmnpqrstuvwxyz23456789";
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const raw = Array.from(randomBytes(10), (b) => alphabet[b % alphabet.length]).join("");
    return `${raw.slice(0, 5)}-${raw.slice(5)}`;
  });
  await client.$transaction([
    client.userRecoveryCode.deleteMany({ where: { userId } }),
    client.userRecoveryCode.createMany({ data: codes.map((c) => ({ userId, codeHash: hashCode(c) })) }),
  ]);
  return codes;
}

export async function consumeRecoveryCode(client: Db, userId: string, code: string): Promise<boolean> {
  const { count } = await client.userRecoveryCode.updateMany({
    where: { userId, codeHash: hashCode(code), usedAt: null },
    data: { usedAt: new Date() },
  });
  return count === 1;
}

/** For tests and the enrolment form: the code an authenticator would show now. */
export const totpCodeFor = (secret: string) => authenticator.generate(secret);

import "server-only";
/**
 * Passkeys (WebAuthn, @simplewebauthn/server) as a second factor. The relying party is Custody's public URL
 * (CUSTODY_PUBLIC_URL) or, without one, the origin the browser used. Challenges are kept server-side: on the
 * pending sign-in row, or for a signed-in user's registration in an MfaChallenge row of purpose
 * "passkey-registration" (5 minutes).
 */
import { createHash, randomBytes } from "node:crypto";
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type AuthenticatorTransport,
  type RegistrationResponseJSON,
} from "@simplewebauthn/server";
import type { Db } from "@/lib/db/prisma";
import { AppError } from "@/lib/errors";

export interface RelyingParty {
  rpID: string;
  origin: string;
}

/** CUSTODY_PUBLIC_URL wins; otherwise the request's own origin (host header + scheme). */
export function relyingPartyFrom(publicUrl: string | undefined, requestOrigin: string | null): RelyingParty {
  const url = new URL(publicUrl ?? requestOrigin ?? "http://localhost");
  return { rpID: url.hostname, origin: url.origin };
}

const REGISTRATION_TTL_MS = 5 * 60_000;

export async function passkeyRegistrationOptions(
  client: Db,
  user: { id: string; email: string; name: string },
  rp: RelyingParty,
) {
  const existing = await client.userPasskey.findMany({
    where: { userId: user.id },
    select: { id: true, transports: true },
  });
  return generateRegistrationOptions({
    rpName: "Custody",
    rpID: rp.rpID,
    userName: user.email,
    userDisplayName: user.name,
    userID: new TextEncoder().encode(user.id),
    attestationType: "none",
    excludeCredentials: existing.map((c) => ({ id: c.id, transports: c.transports as AuthenticatorTransport[] })),
    authenticatorSelection: { residentKey: "preferred", userVerification: "preferred" },
  });
}

/** Remember a signed-in user's registration challenge (one at a time). */
export async function saveRegistrationChallenge(client: Db, userId: string, challenge: string): Promise<void> {
  await client.mfaChallenge.deleteMany({ where: { userId, purpose: "passkey-registration" } });
  await client.mfaChallenge.create({
    data: {
      id: createHash("sha256").update(randomBytes(32)).digest("hex"),
      userId,
      purpose: "passkey-registration",
      webauthnChallenge: challenge,
      expiresAt: new Date(Date.now() + REGISTRATION_TTL_MS),
    },
  });
}

/** Take (and delete) a signed-in user's registration challenge. */
export async function takeRegistrationChallenge(client: Db, userId: string): Promise<string | null> {
  const row = await client.mfaChallenge.findFirst({
    where: { userId, purpose: "passkey-registration" },
    orderBy: { createdAt: "desc" },
  });
  if (!row) return null;
  await client.mfaChallenge.deleteMany({ where: { userId, purpose: "passkey-registration" } });
  return row.expiresAt.getTime() > Date.now() ? row.webauthnChallenge : null;
}

export async function registerPasskey(
  client: Db,
  userId: string,
  input: { response: RegistrationResponseJSON; name: string; expectedChallenge: string },
  rp: RelyingParty,
): Promise<{ id: string; name: string }> {
  let verification;
  try {
    verification = await verifyRegistrationResponse({
      response: input.response,
      expectedChallenge: input.expectedChallenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.rpID,
      requireUserVerification: false,
    });
  } catch (error) {
    throw new AppError(
      "invalid_input",
      `The passkey could not be verified: ${error instanceof Error ? error.message : "invalid response"}.`,
    );
  }
  if (!verification.verified) throw new AppError("invalid_input", "The passkey could not be verified.");
  const { credential } = verification.registrationInfo;
  const name = input.name.trim().slice(0, 60) || "Passkey";
  await client.userPasskey.create({
    data: {
      id: credential.id,
      userId,
      name,
      publicKey: Buffer.from(credential.publicKey),
      counter: BigInt(credential.counter),
      transports: credential.transports ?? [],
    },
  });
  return { id: credential.id, name };
}

export async function passkeyAuthenticationOptions(client: Db, userId: string, rp: RelyingParty) {
  const passkeys = await client.userPasskey.findMany({ where: { userId }, select: { id: true, transports: true } });
  if (passkeys.length === 0) return null;
  return generateAuthenticationOptions({
    rpID: rp.rpID,
    allowCredentials: passkeys.map((c) => ({ id: c.id, transports: c.transports as AuthenticatorTransport[] })),
    userVerification: "preferred",
  });
}

/** Verify an assertion by one of the user's passkeys against the expected challenge; advances its counter. */
export async function verifyPasskey(
  client: Db,
  userId: string,
  input: { response: AuthenticationResponseJSON; expectedChallenge: string },
  rp: RelyingParty,
): Promise<boolean> {
  const passkey = await client.userPasskey.findFirst({ where: { id: input.response.id, userId } });
  if (!passkey) return false;
  try {
    const result = await verifyAuthenticationResponse({
      response: input.response,
      expectedChallenge: input.expectedChallenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.rpID,
      credential: {
        id: passkey.id,
        publicKey: new Uint8Array(passkey.publicKey),
        counter: Number(passkey.counter),
        transports: passkey.transports as AuthenticatorTransport[],
      },
      requireUserVerification: false,
    });
    if (!result.verified) return false;
    await client.userPasskey.update({
      where: { id: passkey.id },
      data: { counter: BigInt(result.authenticationInfo.newCounter), lastUsedAt: new Date() },
    });
    return true;
  } catch {
    return false;
  }
}

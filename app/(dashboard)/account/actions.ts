"use server";
import type { PublicKeyCredentialCreationOptionsJSON, RegistrationResponseJSON } from "@simplewebauthn/server";
import { cookies } from "next/headers";
import { revalidatePath } from "next/cache";
import type { ActionState } from "@/lib/action-state";
import { SESSION_COOKIE } from "@/lib/auth/cookie-names";
import { actionFailure } from "@/lib/server/action-result";
import { clientIp, currentActor } from "@/lib/server/auth/current-actor";
import { relyingParty } from "@/lib/server/auth/mfa/request";
import {
  confirmOwnTotp,
  ownPasskeyOptions,
  regenerateOwnRecoveryCodes,
  registerOwnPasskey,
  removeOwnPasskey,
  removeOwnTotp,
  startOwnTotp,
} from "@/lib/server/dal/account-security";
import { changeOwnPassword } from "@/lib/server/dal/users";

export type CodesState = ActionState & { recoveryCodes?: string[] };

export async function changePasswordAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  try {
    const { revokedSessions } = await changeOwnPassword(
      await currentActor(),
      {
        currentPassword: form.get("currentPassword") ?? "",
        newPassword: form.get("newPassword") ?? "",
        confirmPassword: form.get("confirmPassword") ?? "",
      },
      { sessionToken: (await cookies()).get(SESSION_COOKIE)?.value, ip: await clientIp() },
    );
    revalidatePath("/", "layout");
    const others = revokedSessions === 1 ? "1 other session was" : `${revokedSessions} other sessions were`;
    return { ok: true, message: `Your password was changed; ${others} signed out.`, errors: [] };
  } catch (error) {
    return actionFailure(error);
  }
}

export async function startTotpAction(): Promise<{ secret: string; qrDataUrl: string } | { error: string }> {
  try {
    const { secret, qrDataUrl } = await startOwnTotp(await currentActor());
    return { secret, qrDataUrl };
  } catch (error) {
    return { error: actionFailure(error).errors[0]! };
  }
}

export async function confirmTotpAction(_prev: CodesState, form: FormData): Promise<CodesState> {
  try {
    const recoveryCodes = await confirmOwnTotp(await currentActor(), form.get("code"), { ip: await clientIp() });
    revalidatePath("/account");
    return { ok: true, message: "Your authenticator app is set up.", errors: [], recoveryCodes };
  } catch (error) {
    return actionFailure(error);
  }
}

export async function removeTotpAction(_prev: ActionState): Promise<ActionState> {
  try {
    await removeOwnTotp(await currentActor(), { ip: await clientIp() });
    revalidatePath("/account");
    return { ok: true, message: "The authenticator app was removed.", errors: [] };
  } catch (error) {
    return actionFailure(error);
  }
}

export async function regenerateRecoveryCodesAction(_prev: CodesState): Promise<CodesState> {
  try {
    const recoveryCodes = await regenerateOwnRecoveryCodes(await currentActor(), { ip: await clientIp() });
    revalidatePath("/account");
    return { ok: true, message: "New recovery codes; the old ones no longer work.", errors: [], recoveryCodes };
  } catch (error) {
    return actionFailure(error);
  }
}

export async function passkeyOptionsAction(): Promise<PublicKeyCredentialCreationOptionsJSON | null> {
  try {
    return await ownPasskeyOptions(await currentActor(), await relyingParty());
  } catch {
    return null;
  }
}

export async function registerPasskeyAction(
  response: RegistrationResponseJSON,
  name: string,
): Promise<{ error: string | null }> {
  try {
    if (typeof response !== "object" || response === null || typeof response.id !== "string")
      return { error: "The passkey answer was not readable." };
    await registerOwnPasskey(await currentActor(), { response, name }, await relyingParty(), { ip: await clientIp() });
    revalidatePath("/account");
    return { error: null };
  } catch (error) {
    return { error: actionFailure(error).errors[0]! };
  }
}

export async function removePasskeyAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  try {
    await removeOwnPasskey(await currentActor(), form.get("id"), { ip: await clientIp() });
    revalidatePath("/account");
    return { ok: true, message: "The passkey was removed.", errors: [] };
  } catch (error) {
    return actionFailure(error);
  }
}

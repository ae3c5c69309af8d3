"use server";
import { revalidatePath } from "next/cache";
import type { ActionState } from "@/lib/action-state";
import { actionFailure } from "@/lib/server/action-result";
import { clientIp, currentActor } from "@/lib/server/auth/current-actor";
import { setMfaRequiredRoles } from "@/lib/server/dal/account-security";
import { resetUserMfa, resetUserPassword, setUserDisabled } from "@/lib/server/dal/users";

export async function resetPasswordAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  try {
    const mode = form.get("mode");
    const input =
      mode === "set"
        ? { userId: form.get("userId"), mode, password: form.get("password") ?? "" }
        : { userId: form.get("userId"), mode };
    const { temporaryPassword, email } = await resetUserPassword(await currentActor(), input, { ip: await clientIp() });
    revalidatePath("/settings/users");
    return {
      ok: true,
      message: temporaryPassword
        ? `Temporary password for ${email}: ${temporaryPassword} — hand it over safely; it is not shown again and must be changed at sign-in.`
        : `The password of ${email} was set; their sessions were ended.`,
      errors: [],
    };
  } catch (error) {
    return actionFailure(error);
  }
}

export async function setUserDisabledAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  try {
    const { email, disabled } = await setUserDisabled(
      await currentActor(),
      { userId: form.get("userId"), disabled: form.get("disabled") === "true" },
      { ip: await clientIp() },
    );
    revalidatePath("/settings/users");
    return {
      ok: true,
      message: disabled ? `${email} is disabled and signed out.` : `${email} is enabled.`,
      errors: [],
    };
  } catch (error) {
    return actionFailure(error);
  }
}

export async function resetUserMfaAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  try {
    const { email } = await resetUserMfa(
      await currentActor(),
      { userId: form.get("userId") },
      { ip: await clientIp() },
    );
    revalidatePath("/settings/users");
    return { ok: true, message: `The second factors of ${email} were removed.`, errors: [] };
  } catch (error) {
    return actionFailure(error);
  }
}

export async function setMfaRequiredRolesAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  try {
    const roles = await setMfaRequiredRoles(await currentActor(), form.getAll("role").map(String), {
      ip: await clientIp(),
    });
    revalidatePath("/settings");
    return {
      ok: true,
      message: roles.length
        ? `A second factor is now required for: ${roles.join(", ")}.`
        : "No role requires a second factor.",
      errors: [],
    };
  } catch (error) {
    return actionFailure(error);
  }
}

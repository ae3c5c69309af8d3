"use server";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { flag, repeated } from "@/lib/schemas/form-fields";
import { ResetPasswordSchema, SetUserDisabledSchema, UserRefSchema } from "@/lib/schemas/users";
import { formAction, succeeded } from "@/lib/server/actions/server-action";
import { setMfaRequiredRoles } from "@/lib/server/dal/account-security";
import { resetUserMfa, resetUserPassword, setUserDisabled } from "@/lib/server/dal/users";

export const resetPasswordAction = formAction({
  permission: "users:manage",
  input: ResetPasswordSchema,
  run: async ({ actor, input, ip }) => {
    const result = await resetUserPassword(actor, input, { ip });
    revalidatePath("/settings/users");
    return result;
  },
  done: ({ temporaryPassword, email }) =>
    succeeded(
      temporaryPassword
        ? `Temporary password for ${email}: ${temporaryPassword} — hand it over safely; it is not shown again and must be changed at sign-in.`
        : `The password of ${email} was set; their sessions were ended.`,
    ),
});

export const setUserDisabledAction = formAction({
  permission: "users:manage",
  input: SetUserDisabledSchema.extend({ disabled: flag }),
  run: async ({ actor, input, ip }) => {
    const result = await setUserDisabled(actor, input, { ip });
    revalidatePath("/settings/users");
    return result;
  },
  done: ({ email, disabled }) => succeeded(disabled ? `${email} is disabled and signed out.` : `${email} is enabled.`),
});

export const resetUserMfaAction = formAction({
  permission: "users:manage",
  input: UserRefSchema,
  run: async ({ actor, input, ip }) => {
    const result = await resetUserMfa(actor, input, { ip });
    revalidatePath("/settings/users");
    return result;
  },
  done: ({ email }) => succeeded(`The second factors of ${email} were removed.`),
});

export const setMfaRequiredRolesAction = formAction({
  permission: "users:manage",
  input: z.object({ role: repeated(z.string()) }),
  run: async ({ actor, input, ip }) => {
    const roles = await setMfaRequiredRoles(actor, input.role, { ip });
    revalidatePath("/settings");
    return roles;
  },
  done: (roles) =>
    succeeded(
      roles.length ? `A second factor is now required for: ${roles.join(", ")}.` : "No role requires a second factor.",
    ),
});

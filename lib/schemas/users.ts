import { z } from "zod";
import { MAX_PASSWORD_LENGTH } from "@/lib/auth/password-policy";

// The length limits here only keep absurd input out; the policy itself is checkPasswordStrength.
const newPassword = z
  .string()
  .max(MAX_PASSWORD_LENGTH * 4, `The password must have at most ${MAX_PASSWORD_LENGTH} characters.`);

export const ChangePasswordSchema = z
  .object({
    currentPassword: z.string().min(1, "Enter your current password.").max(1024),
    newPassword,
    confirmPassword: z.string().max(1024),
  })
  .refine((v) => v.newPassword === v.confirmPassword, {
    message: "The new passwords do not match.",
    path: ["confirmPassword"],
  });

export const ResetPasswordSchema = z.discriminatedUnion("mode", [
  z.object({ userId: z.uuid("Unknown user."), mode: z.literal("set"), password: newPassword }),
  z.object({ userId: z.uuid("Unknown user."), mode: z.literal("temporary") }),
]);

export const SetUserDisabledSchema = z.object({ userId: z.uuid("Unknown user."), disabled: z.boolean() });
export const UserRefSchema = z.object({ userId: z.uuid("Unknown user.") });

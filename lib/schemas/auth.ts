import { z } from "zod";

export const SignInSchema = z.object({
  email: z.string().trim().toLowerCase().min(1, "Enter your e-mail address.").max(254).email("Enter a valid e-mail address."),
  password: z.string().min(1, "Enter your password.").max(1024, "That password is too long."),
  next: z.string().max(2048).optional(),
});

/** Only same-site paths may be a post-sign-in destination (no open redirect to another origin). */
export function safeNextPath(next: string | undefined | null): string {
  if (!next || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\") || next.startsWith("/login")) {
    return "/";
  }
  return next;
}

import { z } from "zod";

export const SignInSchema = z.object({
  email: z
    .string()
    .trim()
    .toLowerCase()
    .min(1, "Enter your e-mail address.")
    .max(254)
    .email("Enter a valid e-mail address."),
  password: z.string().min(1, "Enter your password.").max(1024, "That password is too long."),
  next: z.string().max(2048).optional(),
});

// Any fixed origin serves: only whether `next` stays on it matters, and the path is what we return.
const NEXT_BASE = new URL("http://custody.invalid");

/**
 * Only same-origin paths may be a post-sign-in destination (no open redirect to another origin). `next` is parsed the
 * way a browser would (tabs and newlines dropped, `\` read as `/`, dot segments resolved) and must stay on our
 * origin; the normalised path, query and fragment are returned, so what we redirect to is what we checked. A result
 * that would itself read as protocol-relative (`//host`, e.g. from `/.//host`) is refused too.
 */
export function safeNextPath(next: string | undefined | null): string {
  if (!next || !next.startsWith("/")) return "/";
  let url: URL;
  try {
    url = new URL(next, NEXT_BASE);
  } catch {
    return "/";
  }
  if (url.origin !== NEXT_BASE.origin) return "/";
  const path = url.pathname + url.search + url.hash;
  if (
    path.startsWith("//") ||
    path.startsWith("/\\") ||
    url.pathname === "/login" ||
    url.pathname.startsWith("/login/")
  )
    return "/";
  // Belt and braces: the result must resolve to our origin on its own.
  if (new URL(path, NEXT_BASE).origin !== NEXT_BASE.origin) return "/";
  return path;
}

/** A WebAuthn answer from the browser, as far as Custody reads it: an object with a credential id (SimpleWebAuthn checks the rest). */
export const passkeyAnswer = <T extends { id: string }>() =>
  z.custom<T>(
    (v) => typeof v === "object" && v !== null && typeof (v as { id?: unknown }).id === "string",
    "The passkey answer was not readable.",
  );

/**
 * The names of Custody's cookies, defined once: the server sets and reads them (lib/server/auth), proxy.ts and the
 * request guard look for the session cookie before any route runs, and the e2e suite inspects them. No server-only
 * import here: proxy.ts and the tests load this too.
 */

/** The session: a random token whose SHA-256 is the session row's id (lib/server/auth/session.ts). */
export const SESSION_COOKIE = "custody_session";

/** The pending second sign-in step (lib/server/auth/mfa/pending.ts), scoped to /login. */
export const MFA_PENDING_COOKIE = "custody_mfa_pending";

/**
 * The colour theme the user pinned with the theme switch: "light" or "dark" (absent: follow the system setting).
 * A display preference, not a secret: the browser writes it (components/layout/theme-switch.tsx) and the root
 * layout reads it so the first paint already has the right theme.
 */
export const THEME_COOKIE = "custody_theme";

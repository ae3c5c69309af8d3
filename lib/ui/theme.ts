/**
 * The colour themes a user can pick. "system" follows the operating system's light/dark setting (the default);
 * "light" and "dark" pin one. The choice is stored in THEME_COOKIE and applied as <html data-theme>, which
 * app/globals.css turns into the page's color-scheme.
 */
export const THEMES = ["system", "light", "dark"] as const;
export type Theme = (typeof THEMES)[number];

/** The theme a stored cookie value asks for; anything unknown (or no cookie) follows the system. */
export function themeFromCookie(value: string | undefined): Theme {
  return value === "light" || value === "dark" ? value : "system";
}

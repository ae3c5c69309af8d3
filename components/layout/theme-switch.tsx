"use client";
import { useId, useState } from "react";
import { THEME_COOKIE } from "@/lib/auth/cookie-names";
import { THEMES, themeFromCookie, type Theme } from "@/lib/ui/theme";

const LABELS: Record<Theme, string> = { system: "System", light: "Light", dark: "Dark" };
const ONE_YEAR_SECONDS = 365 * 24 * 60 * 60;

/**
 * Light / dark / follow-the-system, as a radio group. The choice applies at once (data-theme on <html>) and is
 * kept in a cookie so the server renders the next page in the same theme (no flash of the other one).
 */
export function ThemeSwitch({ initial }: { initial: Theme }) {
  // The page's current theme wins over the server's value: the navigation drawer mounts a new switch each time it
  // opens, after the user may have changed the theme in the page already rendered.
  const [theme, setTheme] = useState<Theme>(() =>
    typeof document === "undefined" ? initial : themeFromCookie(document.documentElement.dataset.theme),
  );
  // The sidebar and the drawer each hold a switch: each its own radio group.
  const name = useId();

  function choose(next: Theme) {
    setTheme(next);
    const root = document.documentElement;
    if (next === "system") {
      delete root.dataset.theme;
      document.cookie = `${THEME_COOKIE}=; Path=/; Max-Age=0; SameSite=Lax`;
    } else {
      root.dataset.theme = next;
      document.cookie = `${THEME_COOKIE}=${next}; Path=/; Max-Age=${ONE_YEAR_SECONDS}; SameSite=Lax`;
    }
  }

  return (
    <fieldset className="flex items-center gap-2" data-testid="theme-switch">
      <legend className="sr-only">Colour theme</legend>
      <span aria-hidden="true" className="text-xs text-slate-400">
        Theme
      </span>
      <div className="flex rounded-md bg-white/10 p-0.5">
        {THEMES.map((t) => (
          <label
            key={t}
            className={`cursor-pointer rounded px-2 py-0.5 text-xs font-medium has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-white ${
              theme === t ? "bg-white/20 text-white" : "text-slate-300 hover:text-white"
            }`}
          >
            <input
              type="radio"
              name={name}
              value={t}
              checked={theme === t}
              onChange={() => choose(t)}
              className="sr-only"
            />
            {LABELS[t]}
          </label>
        ))}
      </div>
    </fieldset>
  );
}

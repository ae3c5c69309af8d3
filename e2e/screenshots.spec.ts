/**
 * Screenshots of every page at 1440 and 390 px in the light and the dark theme, for a reviewer's eyes (not an
 * assertion): `${E2E_OUTPUT_DIR ?? "test-results"}/screenshots/<page>-<width>-<theme>.png`. Off by default so CI
 * stays fast; run with E2E_SCREENSHOTS=1. With E2E_README_SCREENSHOTS=1 it also rewrites the README's set
 * (docs/screenshots/*.png, 1440 × 900, light, plus overview-dark.png).
 */
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { SPECIAL } from "./fixtures/demo-estate";
import { storageStatePath, type Role } from "./fixtures/roles";

const outputDir = path.join(process.env.E2E_OUTPUT_DIR ?? "test-results", "screenshots");
const readmeDir = "docs/screenshots";
const all = process.env.E2E_SCREENSHOTS === "1";
const readme = process.env.E2E_README_SCREENSHOTS === "1";

test.skip(!all && !readme, "screenshots are taken with E2E_SCREENSHOTS=1 (all pages) or E2E_README_SCREENSHOTS=1");

async function openBucket(page: Page) {
  await page.goto(`/buckets?q=${SPECIAL.publicRead}`);
  await page.getByRole("link", { name: SPECIAL.publicRead, exact: true }).click();
  await page.waitForURL(/\/buckets\/\d+/);
}

interface Shot {
  name: string;
  role: Role | null;
  open: (page: Page) => Promise<unknown>;
  /** Its file in docs/screenshots (the README's set), taken as this role. */
  readme?: { file: string; role: Role };
}

const goto = (url: string) => (page: Page) => page.goto(url);

const SHOTS: Shot[] = [
  { name: "overview", role: "admin", open: goto("/overview"), readme: { file: "overview", role: "security-lead" } },
  { name: "buckets", role: "admin", open: goto("/buckets"), readme: { file: "buckets", role: "security-lead" } },
  { name: "bucket", role: "admin", open: openBucket, readme: { file: "bucket", role: "security-lead" } },
  { name: "findings", role: "admin", open: goto("/findings"), readme: { file: "findings", role: "security-lead" } },
  { name: "coverage", role: "admin", open: goto("/coverage"), readme: { file: "coverage", role: "manager" } },
  { name: "accounts", role: "admin", open: goto("/accounts") },
  { name: "account-posture", role: "admin", open: goto("/account-posture") },
  {
    name: "account-posture-account",
    role: "admin",
    open: async (page) => {
      await page.goto("/account-posture");
      await page.getByTestId("account-posture-rows").locator("a").first().click();
      await page.waitForURL(/\/account-posture\/\d{12}$/);
    },
  },
  { name: "third-parties", role: "admin", open: goto("/third-parties") },
  { name: "waivers", role: "admin", open: goto("/waivers") },
  { name: "evidence", role: "admin", open: goto("/evidence") },
  { name: "audit", role: "admin", open: goto("/audit") },
  { name: "settings", role: "admin", open: goto("/settings") },
  { name: "settings-users", role: "admin", open: goto("/settings/users") },
  { name: "account", role: "admin", open: goto("/account") },
  { name: "login", role: null, open: goto("/login") },
];

async function settle(page: Page) {
  await page.waitForLoadState("networkidle").catch(() => {});
  await expect(page.locator("main#content")).toBeVisible();
}

async function setTheme(page: Page, theme: "light" | "dark") {
  // Colours change with a short transition: the picture is taken once they have.
  await page.addStyleTag({ content: "*, *::before, *::after { transition: none !important; }" });
  await page.evaluate((t) => {
    document.documentElement.dataset.theme = t;
  }, theme);
}

for (const shot of SHOTS) {
  test(`screenshots of ${shot.name}`, async ({ browser }) => {
    test.setTimeout(120_000);
    if (all) {
      const context = await browser.newContext(shot.role ? { storageState: storageStatePath(shot.role) } : {});
      const page = await context.newPage();
      await page.setViewportSize({ width: 1440, height: 900 });
      await shot.open(page);
      await settle(page);
      for (const width of [1440, 390]) {
        await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
        for (const theme of ["light", "dark"] as const) {
          await setTheme(page, theme);
          await page.screenshot({ path: path.join(outputDir, `${shot.name}-${width}-${theme}.png`), fullPage: true });
        }
      }
      await context.close();
    }
    if (readme && shot.readme) {
      const context = await browser.newContext({ storageState: storageStatePath(shot.readme.role) });
      const page = await context.newPage();
      await page.setViewportSize({ width: 1440, height: 900 });
      await shot.open(page);
      await settle(page);
      await setTheme(page, "light");
      await page.screenshot({ path: path.join(readmeDir, `${shot.readme.file}.png`) });
      if (shot.readme.file === "overview") {
        await setTheme(page, "dark");
        await page.screenshot({ path: path.join(readmeDir, "overview-dark.png") });
      }
      await context.close();
    }
  });
}

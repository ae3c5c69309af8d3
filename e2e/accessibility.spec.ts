/**
 * axe-core over every page × every role, light and dark, at 1440 and 1024 px: any serious or critical violation
 * fails. Each role visits the sections its own navigation lists (the app's section list filtered by its
 * permissions, as rendered), plus the pages reached from there (a bucket, the users admin, the account page).
 *
 * One page load per role × page: the theme is switched by pinning <html data-theme> (the colour tokens follow it
 * through CSS alone) and the width by resizing, so the four audits of a page reuse the same load.
 */
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { SECTIONS } from "@/lib/sections";
import { SPECIAL } from "./fixtures/demo-estate";
import { ROLES, storageStatePath, type Role } from "./fixtures/roles";

const THEMES = ["light", "dark"] as const;
const WIDTHS = [1440, 1024] as const;

/** Pages not in the navigation, by who may see them (the access matrix spec holds these rules). */
const EXTRA_PAGES: { path: string; roles: readonly Role[]; open?: (page: Page) => Promise<void> }[] = [
  {
    path: "a bucket page",
    roles: ROLES,
    open: async (page) => {
      await page.goto(`/buckets?q=${SPECIAL.publicRead}`);
      await page.getByRole("link", { name: SPECIAL.publicRead, exact: true }).click();
      await page.waitForURL(/\/buckets\/\d+/);
    },
  },
  {
    // Its key card lists an outsider's effective access (the Third parties page is a section: audited above).
    path: "the partner-exchange bucket page",
    roles: ["security-lead"],
    open: async (page) => {
      await page.goto(`/buckets?q=${SPECIAL.crossAccountRead}`);
      await page.getByRole("link", { name: SPECIAL.crossAccountRead, exact: true }).click();
      await page.waitForURL(/\/buckets\/\d+/);
    },
  },
  { path: "/settings/users", roles: ["admin"] },
  { path: "/account", roles: ROLES },
  {
    path: "an account posture page",
    roles: ["admin", "security-lead", "auditor"],
    open: async (page) => {
      await page.goto("/account-posture");
      await page.getByTestId("account-posture-rows").locator("a").first().click();
      await page.waitForURL(/\/account-posture\/\d{12}$/);
    },
  },
];

/** The sections the page's own navigation lists (the app's section list filtered by the role's permissions). */
async function navigationOf(page: Page): Promise<string[]> {
  const nav = page.getByRole("navigation", { name: "Main" });
  if ((await nav.count()) === 0) return [];
  const hrefs = await nav
    .first()
    .locator("a")
    .evaluateAll((links) => links.map((a) => a.getAttribute("href") ?? ""));
  return hrefs.filter((href) => SECTIONS.some((s) => s.href === href));
}

interface Finding {
  theme: string;
  width: number;
  rule: string;
  impact: string;
  help: string;
  targets: string[];
  summary: string;
}

/**
 * Every rule in the light theme at each width; in the dark theme only colour contrast, the one rule a theme can
 * change (the markup is the same), which keeps four audits of a page affordable.
 */
async function audit(page: Page): Promise<Finding[]> {
  const found: Finding[] = [];
  // Colours change with a short transition: without this, contrast would be measured half-way between themes.
  await page.addStyleTag({ content: "*, *::before, *::after { transition: none !important; }" });
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 900 });
    for (const theme of THEMES) {
      await page.evaluate((t) => {
        document.documentElement.dataset.theme = t;
      }, theme);
      const builder = new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]);
      if (theme === "dark") builder.withRules(["color-contrast"]);
      const results = await builder.analyze();
      for (const v of results.violations) {
        if (v.impact !== "serious" && v.impact !== "critical") continue;
        found.push({
          theme,
          width,
          rule: v.id,
          impact: v.impact,
          help: v.help,
          targets: v.nodes.slice(0, 5).map((n) => n.target.join(" ")),
          summary: v.nodes[0]?.failureSummary?.replace(/\s+/g, " ").slice(0, 300) ?? "",
        });
      }
    }
  }
  return found;
}

function report(path: string, role: string, found: Finding[]): string {
  return [
    `${found.length} serious/critical accessibility violation(s) on ${path} as ${role}:`,
    ...found.map(
      (f) =>
        `- [${f.impact}] ${f.rule} (${f.theme}, ${f.width} px): ${f.help}\n    targets: ${f.targets.join(" | ")}\n    ${f.summary}`,
    ),
  ].join("\n");
}

for (const role of ROLES) {
  test.describe(`as ${role}`, () => {
    test.use({ storageState: storageStatePath(role) });

    for (const section of SECTIONS) {
      test(`${section.href} passes the audit, if the role's navigation lists it`, async ({ page }) => {
        test.setTimeout(180_000);
        await page.goto(section.href);
        const sections = await navigationOf(page);
        // No navigation: the role may not open this section (the 403 page, which has no sidebar).
        if (sections.length === 0) await expect(page.getByRole("heading", { name: /don’t have access/ })).toBeVisible();
        test.skip(!sections.includes(section.href), `${section.label} is not in the ${role}'s navigation`);
        await expect(page.locator("main#content h1").first()).toBeVisible();
        const found = await audit(page);
        expect(found, report(section.href, role, found)).toEqual([]);
      });
    }

    for (const extra of EXTRA_PAGES.filter((p) => p.roles.includes(role))) {
      test(`${extra.path} passes the audit`, async ({ page }) => {
        test.setTimeout(180_000);
        await (extra.open ? extra.open(page) : page.goto(extra.path));
        await expect(page.locator("main#content h1").first()).toBeVisible();
        const found = await audit(page);
        expect(found, report(extra.path, role, found)).toEqual([]);
      });
    }
  });
}

test.describe("signed out", () => {
  test("the sign-in page passes the audit", async ({ page }) => {
    await page.goto("/login");
    const found = await audit(page);
    expect(found, report("/login", "nobody", found)).toEqual([]);
  });
});

test.describe("charts", () => {
  test.use({ storageState: storageStatePath("security-lead") });

  test("every chart has a text alternative listing its values", async ({ page }) => {
    await page.goto("/coverage");
    for (const chart of ["trend-classified", "trend-compliant"]) {
      const figure = page.getByTestId(chart);
      // The drawing itself is hidden from assistive technology; the caption and the table carry the values.
      await expect(figure.locator("figcaption")).toContainText(/All levels: [\d.]+% on /);
      const table = figure.getByRole("table");
      await expect(table.locator("tbody tr")).not.toHaveCount(0);
      const rows = await table.locator("tbody tr").count();
      const lines = await figure.locator("svg path.recharts-line-curve").count();
      expect(rows).toBeGreaterThanOrEqual(85);
      expect(await table.locator("thead th").count()).toBe(lines + 1);
    }
  });
});

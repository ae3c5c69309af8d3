/**
 * At 390 px (a phone) no page scrolls sideways as a whole: wide content (a table) scrolls inside its own box, and
 * cards stack. The list pages' tables are checked by their own specs; this covers the shell and the other pages.
 */
import { expect, test, type Page } from "@playwright/test";
import { storageStatePath, type Role } from "./fixtures/roles";

test.use({ viewport: { width: 390, height: 844 } });

async function expectNoSidewaysScroll(page: Page) {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  }));
  expect(scrollWidth, `the page is ${scrollWidth} px wide in a ${innerWidth} px window`).toBeLessThanOrEqual(
    innerWidth,
  );
}

const PAGES: { path: string; role: Role | null; heading: RegExp }[] = [
  { path: "/overview", role: "security-lead", heading: /Overview/ },
  { path: "/coverage", role: "manager", heading: /Coverage/ },
  { path: "/coverage?by=ou", role: "admin", heading: /Coverage/ },
  { path: "/waivers", role: "admin", heading: /Waivers/ },
  { path: "/account-posture", role: "auditor", heading: /Account posture/ },
  { path: "/account-posture?control=bucket-change-alerting&status=fail", role: "admin", heading: /Account posture/ },
  { path: "/audit", role: "admin", heading: /Audit log/ },
  { path: "/third-parties", role: "auditor", heading: /Third parties/ },
  { path: "/third-parties", role: "manager", heading: /don’t have access/ },
  { path: "/evidence", role: "admin", heading: /Evidence/ },
  { path: "/settings", role: "admin", heading: /Settings/ },
  { path: "/settings/users", role: "admin", heading: /Users/ },
  { path: "/account", role: "auditor", heading: /account/i },
  { path: "/audit", role: "manager", heading: /don’t have access/ },
  { path: "/no-such-page", role: "admin", heading: /Not found/ },
  { path: "/login", role: null, heading: /Sign in/ },
];

for (const { path, role, heading } of PAGES) {
  test(`${path} as ${role ?? "nobody"} fits 390 px`, async ({ browser }) => {
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      ...(role ? { storageState: storageStatePath(role) } : {}),
    });
    const page = await context.newPage();
    await page.goto(path);
    if (path === "/evidence") {
      // With a bundle issued the page lists it (scope badges, a 64-character hash): that row must fit too, whatever
      // order the specs ran in.
      const [bundle] = await Promise.all([
        page.waitForEvent("download"),
        page.getByRole("button", { name: "Download bundle (ZIP)" }).click(),
      ]);
      await bundle.path(); // the bundle is recorded once its stream has ended
      await page.goto(path);
      await expect(page.getByTestId("evidence-bundles").locator("tbody tr[data-sha256]").first()).toBeVisible();
    }
    await expect(page.getByRole("heading", { level: 1 }).first()).toHaveText(heading);
    await expectNoSidewaysScroll(page);
    await context.close();
  });
}

test("the coverage summary cards stack at 390 px", async ({ browser }) => {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    storageState: storageStatePath("manager"),
  });
  const page = await context.newPage();
  await page.goto("/coverage");
  const tiles = page.locator("[data-testid^=summary-]");
  expect(await tiles.count()).toBeGreaterThan(1);
  const boxes = await tiles.evaluateAll((els) => els.map((e) => e.getBoundingClientRect().toJSON() as DOMRect));
  // Each card is whole inside the window, and they wrap onto more than one row.
  for (const box of boxes) expect(box.right).toBeLessThanOrEqual(390);
  expect(boxes.at(-1)!.top).toBeGreaterThanOrEqual(boxes[0]!.bottom);
  await context.close();
});

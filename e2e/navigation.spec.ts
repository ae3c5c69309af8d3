/**
 * The dashboard's shell: a fixed sidebar from 1280 px, below that a top bar whose "Menu" button opens the
 * navigation as a modal drawer; a skip link as the first Tab stop of every page; the theme switch.
 */
import { expect, test, type Page } from "@playwright/test";
import { THEME_COOKIE } from "@/lib/auth/cookie-names";
import { storageStatePath } from "./fixtures/roles";

test.use({ storageState: storageStatePath("security-lead") });

const sidebar = (page: Page) => page.getByRole("complementary").getByRole("navigation", { name: "Main" });
const menuButton = (page: Page) => page.getByRole("button", { name: "Menu", exact: true });
const drawer = (page: Page) => page.getByRole("dialog", { name: "Navigation" });

test("at 1440 px the sidebar is shown and there is no menu button", async ({ page }) => {
  await page.goto("/overview");
  await expect(sidebar(page)).toBeVisible();
  await expect(menuButton(page)).toBeHidden();
});

for (const width of [1024, 390]) {
  test(`at ${width} px the sidebar gives way to a menu that works by keyboard`, async ({ page }) => {
    await page.setViewportSize({ width, height: 800 });
    await page.goto("/overview");
    await expect(sidebar(page)).toBeHidden();
    // The content uses the whole width once the sidebar is gone.
    const main = await page.locator("main#content").boundingBox();
    expect(main?.x).toBe(0);
    expect(main?.width).toBe(width);

    const menu = menuButton(page);
    await expect(menu).toHaveAttribute("aria-expanded", "false");
    const controls = await menu.getAttribute("aria-controls");
    expect(controls).toBeTruthy();

    // Open with the keyboard: focus moves into the drawer; Esc closes it and focus returns to the button.
    await menu.focus();
    await page.keyboard.press("Enter");
    await expect(drawer(page)).toBeVisible();
    await expect(drawer(page)).toHaveAttribute("id", controls!);
    await expect(menu).toHaveAttribute("aria-expanded", "true");
    expect(await drawer(page).evaluate((d) => d.contains(document.activeElement))).toBe(true);
    await page.keyboard.press("Escape");
    await expect(drawer(page)).toBeHidden();
    await expect(menu).toBeFocused();
    await expect(menu).toHaveAttribute("aria-expanded", "false");

    // The close button closes it too.
    await page.keyboard.press("Enter");
    await drawer(page).getByRole("button", { name: "Close menu" }).click();
    await expect(drawer(page)).toBeHidden();
    await expect(menu).toBeFocused();

    // The user's menu and the theme switch are reachable in the drawer; following a link navigates and closes it.
    await page.keyboard.press("Enter");
    await expect(drawer(page).getByTestId("current-user")).toBeVisible();
    await expect(drawer(page).getByRole("radio", { name: "Dark" })).toBeAttached();
    await expect(drawer(page).getByRole("button", { name: "Sign out" })).toBeVisible();
    await drawer(page).getByRole("link", { name: "Findings" }).focus();
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(/\/findings$/);
    await expect(drawer(page)).toBeHidden();
    await expect(page.getByRole("heading", { level: 1, name: "Findings" })).toBeVisible();
  });
}

for (const [path, signedIn] of [
  ["/overview", true],
  ["/buckets", true],
  ["/login", false],
] as const) {
  test(`the skip link is the first Tab stop on ${path} and lands in the main content`, async ({ browser }) => {
    test.setTimeout(60_000);
    const context = await browser.newContext(signedIn ? { storageState: storageStatePath("security-lead") } : {});
    const page = await context.newPage();
    await page.goto(path);
    await page.keyboard.press("Tab");
    const skip = page.getByRole("link", { name: "Skip to content" });
    await expect(skip).toBeFocused();
    await expect(skip).toBeInViewport();
    await page.keyboard.press("Enter");
    await expect(page.locator("main#content")).toBeFocused();
    await context.close();
  });
}

async function themeCookie(page: Page) {
  return (await page.context().cookies()).find((c) => c.name === THEME_COOKIE)?.value;
}

for (const width of [1440, 390]) {
  test(`the theme switch pins dark across reloads and goes back to the system setting (${width} px)`, async ({
    page,
  }) => {
    await page.setViewportSize({ width, height: 800 });
    await page.goto("/overview");
    const html = page.locator("html");
    await expect(html).not.toHaveAttribute("data-theme");
    const openSwitch = async () => {
      if (width < 1280) await menuButton(page).click();
      return page.getByTestId("theme-switch").filter({ visible: true });
    };

    await (await openSwitch()).getByText("Dark", { exact: true }).click();
    await expect(html).toHaveAttribute("data-theme", "dark");
    expect(await themeCookie(page)).toBe("dark");
    // Dark is a second value of the same colour tokens: the page background really changes.
    const background = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);

    await page.reload();
    await expect(html).toHaveAttribute("data-theme", "dark");
    await expect((await openSwitch()).getByRole("radio", { name: "Dark" })).toBeChecked();
    if (width < 1280) await page.keyboard.press("Escape");

    await (await openSwitch()).getByText("System", { exact: true }).click();
    await expect(html).not.toHaveAttribute("data-theme");
    expect(await themeCookie(page)).toBeUndefined();
    expect(await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor)).not.toBe(background);
    await page.reload();
    await expect(html).not.toHaveAttribute("data-theme");
  });
}

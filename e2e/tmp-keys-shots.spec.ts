import { test } from "@playwright/test";
import { SPECIAL } from "./fixtures/demo-estate";
import { storageStatePath } from "./fixtures/roles";

test.use({ storageState: storageStatePath("admin") });
for (const width of [1440, 390]) {
  test(`shots ${width}`, async ({ page }) => {
    await page.setViewportSize({ width, height: 1000 });
    await page.goto("/third-parties");
    await page.screenshot({ path: `/tmp/keys-tp-${width}.png`, fullPage: true });
    await page.goto(`/buckets?q=${SPECIAL.crossAccountRead}`);
    await page.getByRole("link", { name: SPECIAL.crossAccountRead, exact: true }).click();
    await page.waitForURL(/\/buckets\/\d+/);
    await page.getByTestId("key-access").scrollIntoViewIfNeeded();
    await page.getByTestId("key-access").screenshot({ path: `/tmp/keys-card-${width}.png` });
    await page.evaluate(() => (document.documentElement.dataset.theme = "dark"));
    await page.getByTestId("key-access").screenshot({ path: `/tmp/keys-card-dark-${width}.png` });
  });
}

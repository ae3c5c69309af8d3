import { expect, type Page } from "@playwright/test";

/**
 * Wait until a list page's filter form is hydrated. Its filters apply as they change, but only once React runs: a
 * choice made before then is not seen (and hydration may put a select back), so a quick test would race the page.
 */
export async function filtersReady(page: Page) {
  await expect(page.locator("form[data-ready]").first()).toBeAttached();
}

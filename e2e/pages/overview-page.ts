import { expect, type Page } from "@playwright/test";

/** Page object for /overview: posture counters (each a link carrying its number) and the ranked lists. */
export class OverviewPage {
  constructor(readonly page: Page) {}

  async goto() {
    await this.page.goto("/overview");
    await expect(this.page.getByRole("heading", { name: "Overview", level: 1 })).toBeVisible();
  }

  /** Every counter tile: its test id, the number it shows and where it links. */
  async counters(): Promise<{ id: string; count: number; href: string }[]> {
    return this.page
      .getByTestId("posture-counters")
      .locator("a[data-count]")
      .evaluateAll((links) =>
        links.map((a) => ({
          id: a.getAttribute("data-testid") ?? "",
          count: Number(a.getAttribute("data-count")),
          href: a.getAttribute("href") ?? "",
        })),
      );
  }

  async failingControls(): Promise<{ id: string; count: number; href: string }[]> {
    return this.page.locator('[data-testid="failing-controls"] a[data-count]').evaluateAll((links) =>
      links.map((a) => ({
        id: a.getAttribute("data-testid") ?? "",
        count: Number(a.getAttribute("data-count")),
        href: a.getAttribute("href") ?? "",
      })),
    );
  }
}

import { expect, type Page } from "@playwright/test";
import { filtersReady } from "./filters";

const FILTER_PARAMS = { Region: "region", Level: "level", "Level source": "source", Exposure: "exposure" } as const;

/** Page object for /buckets: filters are real form fields, results are rows in the table. */
export class BucketsPage {
  constructor(readonly page: Page) {}

  async goto(query = "") {
    await this.page.goto(`/buckets${query}`);
    await expect(this.page.getByRole("heading", { name: "Buckets", level: 1 })).toBeVisible();
    await filtersReady(this.page);
  }

  rows() {
    return this.page.getByTestId("bucket-rows").locator("tr");
  }

  /** The account filter is a search box: type part of the name, pick the suggestion (which applies it). */
  async filterAccount(account: { accountId: string; name: string }) {
    const box = this.page.getByRole("combobox", { name: "Account" });
    await box.fill(account.name.slice(0, Math.max(3, account.name.length - 2)));
    await this.page
      .getByRole("listbox", { name: "Accounts" })
      .getByRole("option", { name: new RegExp(account.accountId) })
      .click();
    await expect(box).toHaveValue(`${account.name} (${account.accountId})`);
    await this.page.waitForURL(new RegExp(`account=${account.accountId}`));
  }

  /** A select applies as soon as it changes: the URL then holds the value. */
  async filter(label: keyof typeof FILTER_PARAMS, value: string) {
    await this.page.getByLabel(label, { exact: true }).selectOption(value);
    await this.page.waitForURL((url) => url.searchParams.get(FILTER_PARAMS[label]) === value);
  }

  async search(text: string) {
    await this.page.getByLabel("Search").fill(text);
    await this.page.waitForURL((url) => url.searchParams.get("q") === text.trim());
  }

  count() {
    return this.page.getByTestId("bucket-count");
  }

  async openBucket(name: string) {
    await this.page.getByRole("link", { name, exact: true }).click();
    await expect(this.page.getByRole("heading", { name, level: 1 })).toBeVisible();
  }
}

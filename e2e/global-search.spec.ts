import { expect, test } from "@playwright/test";
import { SPECIAL } from "./fixtures/demo-estate";
import { storageStatePath } from "./fixtures/roles";

test.use({ storageState: storageStatePath("security-lead") });

test("Ctrl-K opens the search from any page; typing part of a name and Enter lands on the bucket page", async ({
  page,
}) => {
  await page.goto("/coverage");
  await page.keyboard.press("Control+k");
  const dialog = page.getByRole("dialog", { name: "Find anything" });
  await expect(dialog).toBeVisible();
  const box = dialog.getByRole("combobox", { name: /Find a bucket/ });
  await expect(box).toBeFocused();
  await box.pressSequentially("marketing-publ");
  const results = dialog.getByRole("listbox", { name: "Results" });
  await expect(results.getByRole("group", { name: "Buckets" }).getByRole("option").first()).toContainText(
    SPECIAL.publicRead,
  );
  await expect(results.getByRole("option", { selected: true })).toContainText(SPECIAL.publicRead);
  await box.press("Enter");
  await expect(page.getByRole("heading", { name: SPECIAL.publicRead, level: 1 })).toBeVisible();
  await expect(dialog).toBeHidden();
});

test("arrow keys move through grouped results, Esc closes and gives the focus back", async ({ page }) => {
  await page.goto("/buckets");
  const button = page.getByTestId("global-search-button");
  await button.click();
  const dialog = page.getByRole("dialog", { name: "Find anything" });
  const box = dialog.getByRole("combobox");
  await box.fill("Personal");
  const types = dialog.getByRole("group", { name: "Finding types" });
  await expect(types.getByRole("option").first()).toContainText("SensitiveData:S3Object/Personal");
  const options = dialog.getByRole("option");
  const count = await options.count();
  // ArrowUp from the first wraps to the last option; aria-activedescendant follows.
  await box.press("ArrowUp");
  await expect(options.nth(count - 1)).toHaveAttribute("aria-selected", "true");
  const activeId = await options.nth(count - 1).getAttribute("id");
  await expect(box).toHaveAttribute("aria-activedescendant", activeId!);
  await box.press("Escape");
  await expect(dialog).toBeHidden();
  await expect(button).toBeFocused();

  await page.keyboard.press("Control+k");
  await box.fill("zz-nothing-is-called-this");
  await expect(dialog.getByRole("status")).toHaveText("Nothing contains “zz-nothing-is-called-this”.");
});

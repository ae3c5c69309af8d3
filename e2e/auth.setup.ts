import { expect, test as setup } from "@playwright/test";
import { DEMO_EMAIL, demoPassword, ROLES, storageStatePath } from "./fixtures/roles";

for (const role of ROLES) {
  setup(`sign in as ${role}`, async ({ page }) => {
    await page.goto("/login");
    await page.getByLabel("E-mail").fill(DEMO_EMAIL[role]);
    await page.getByLabel("Password").fill(demoPassword());
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByTestId("current-user")).toBeVisible();
    await page.context().storageState({ path: storageStatePath(role) });
  });
}

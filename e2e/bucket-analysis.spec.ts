import { expect, test } from "@playwright/test";
import { SPECIAL } from "./fixtures/demo-estate";
import { storageStatePath } from "./fixtures/roles";
import { BucketsPage } from "./pages/buckets-page";

test.use({ storageState: storageStatePath("security-lead") });

async function openBucket(page: import("@playwright/test").Page, name: string) {
  const buckets = new BucketsPage(page);
  await buckets.goto(`?q=${name}`);
  await buckets.openBucket(name);
}

test("the public bucket is readable by everyone, and the page says through which statement", async ({ page }) => {
  await openBucket(page, SPECIAL.publicRead);
  const readers = page.getByTestId("policy-readers");
  const everyone = readers.locator('tr[data-public="true"][data-kind="everyone"]');
  await expect(everyone).toHaveCount(1);
  await expect(everyone).toContainText("everyone");
  await expect(everyone).toContainText("s3:GetObject");
  const from = (await everyone.locator("td:nth-child(3)").textContent()) ?? "";
  const sid = /Sid “([^”]+)”/.exec(from)?.[1];
  expect(sid).toBeTruthy();
  // The statement named is really in the bucket's policy as read.
  await expect(page.getByTestId("settings-table")).toContainText(sid!);
  await expect(page.getByTestId("policy-analysis")).toContainText("Public read");
});

test("the cross-account bucket is readable by account 444455556666, which is not trusted", async ({ page }) => {
  await openBucket(page, SPECIAL.crossAccountRead);
  await expect(page.getByTestId("policy-readers").locator('tr[data-kind="other-account"]')).toContainText(
    "444455556666",
  );
  const outside = page.getByTestId("cross-account-principals");
  await expect(outside).toContainText("444455556666");
  await expect(outside).toContainText("Not trusted");
  await expect(page.getByTestId("policy-readers").locator('tr[data-public="true"]')).toHaveCount(0);
});

test("a policy that could not be read is unknown with its reason, never safe", async ({ page }) => {
  await openBucket(page, SPECIAL.policyReadDenied);
  await expect(page.getByTestId("policy-unknown")).toContainText("Unknown");
  await expect(page.getByTestId("policy-unknown")).toContainText("AccessDenied");
});

test("the public-ACL bucket's grants are explained", async ({ page }) => {
  await openBucket(page, SPECIAL.publicAcl);
  await expect(page.getByTestId("acl-grants")).toContainText("AllUsers");
  // The account blocks public ACLs (IgnorePublicAcls): the card says what overrides the grant, as the verdict does.
  const allUsers = page.getByTestId("acl-grants").locator("li", { hasText: "AllUsers" });
  await expect(allUsers).toHaveAttribute("data-overridden", "true");
  await expect(allUsers).toContainText("would be public, but IgnorePublicAcls on at");
  await expect(allUsers).not.toContainText("→ public.");
});

test("the Low bucket with personal data shows its Macie findings and the mismatch in its risk terms", async ({
  page,
}) => {
  await openBucket(page, SPECIAL.lowWithPersonalData);
  await expect(page.getByTestId("bucket-findings")).toContainText("SensitiveData:S3Object/Personal");
  await expect(page.getByTestId("risk-terms")).toContainText(
    "sensitive data on a bucket classified below what it needs",
  );
});

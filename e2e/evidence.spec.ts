/**
 * An auditor downloads an evidence bundle: the manifest's SHA-256 of every file matches the files, the same scope
 * twice gives identical data files, the bundle verifies against Custody's record, and "Download again" gives the same
 * bytes. Scope is chosen with checkboxes (filter box, keyboard, a count of what is chosen).
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import JSZip from "jszip";
import { CONTROL_CATALOG } from "../lib/domain/controls/catalog";
import { readableAccounts } from "./fixtures/demo-estate";
import { storageStatePath } from "./fixtures/roles";

test.use({ storageState: storageStatePath("auditor") });

const account = readableAccounts[2]!;

async function download(page: Page): Promise<{ zip: JSZip; bytes: Buffer }> {
  await page.goto("/evidence");
  // Checkboxes, not a Ctrl-click multi-select: filter the long list, choose by keyboard, see the count.
  const accounts = page.getByTestId("choose-accounts");
  await expect(accounts).toHaveAttribute("data-ready");
  await accounts.getByRole("searchbox", { name: "Filter accounts" }).fill(account.name);
  const box = accounts.getByRole("checkbox", { name: `${account.name} (${account.accountId})` });
  await box.focus();
  await page.keyboard.press("Space");
  await expect(box).toBeChecked();
  await expect(page.getByTestId("chosen-accounts")).toHaveText(/^1 of \d+ chosen$/);
  // Filtered out of sight, the chosen account is still part of the scope.
  await accounts.getByRole("searchbox", { name: "Filter accounts" }).fill("no-such-account");
  await expect(accounts).toContainText("Nothing matches the filter.");
  // …and is folded above what the filter shows (the server finds the accounts as the user types), there to review.
  const folded = page.getByTestId("chosen-hidden-accounts");
  await folded.getByText("1 chosen, not in this list").click();
  await expect(folded.getByRole("checkbox", { name: `${account.name} (${account.accountId})` })).toBeChecked();
  await page.getByLabel("High", { exact: true }).check();
  const [file] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Download bundle (ZIP)" }).click(),
  ]);
  const bytes = readFileSync((await file.path())!);
  return { zip: await JSZip.loadAsync(bytes), bytes };
}

test("an auditor downloads a bundle whose manifest hashes every file; the same scope gives identical data files", async ({
  page,
}) => {
  const first = await download(page);
  const manifest = JSON.parse(await first.zip.file("manifest.json")!.async("string"));
  expect(manifest).toMatchObject({
    format: "custody-evidence/2",
    createdBy: "auditor@demo.custody.local",
    filters: { accounts: [account.accountId], levels: ["high"] },
  });
  expect(manifest.files.map((f: { name: string }) => f.name)).toEqual([
    "scheme.json",
    "bucket-settings.json",
    "control-matrix.csv",
    "config-evaluations.json",
    "macie-findings.json",
    "waivers.csv",
    "account-posture.csv",
    "third-parties.csv",
  ]);
  for (const f of manifest.files as { name: string; sha256: string; bytes: number }[]) {
    const data = await first.zip.file(f.name)!.async("nodebuffer");
    expect(createHash("sha256").update(data).digest("hex"), f.name).toBe(f.sha256);
    expect(data.length).toBe(f.bytes);
  }
  const matrix = (await first.zip.file("control-matrix.csv")!.async("string")).trim().split("\n");
  expect(matrix.length).toBe(1 + manifest.buckets * CONTROL_CATALOG.length);
  for (const line of matrix.slice(1)) expect(line.startsWith(`${account.accountId},`)).toBe(true);
  // Account posture for the chosen account only, every line as of one moment; the register names only its buckets.
  const posture = (await first.zip.file("account-posture.csv")!.async("string")).trim().split("\n");
  expect(posture[0]).toBe("account_id,control_id,status,reason,evidence,since,sync_run_id,as_of");
  expect(posture.length).toBeGreaterThan(1);
  for (const line of posture.slice(1)) expect(line.startsWith(`${account.accountId},`)).toBe(true);
  const register = (await first.zip.file("third-parties.csv")!.async("string")).trim().split("\n");
  expect(register[0]).toBe(
    "principal,kind,vendor,first_seen_at,bucket_account_id,bucket,region,read,write,key_only,reason",
  );
  for (const line of register.slice(1)) expect(line).toContain(`,${account.accountId},`);

  const second = await download(page);
  for (const f of manifest.files as { name: string }[]) {
    expect(
      (await second.zip.file(f.name)!.async("nodebuffer")).equals(await first.zip.file(f.name)!.async("nodebuffer")),
      f.name,
    ).toBe(true);
  }

  // Both are recorded, and the first verifies against the record (upload) …
  await page.goto("/evidence");
  const manifestHash = createHash("sha256")
    .update(await first.zip.file("manifest.json")!.async("nodebuffer"))
    .digest("hex");
  await expect(page.locator(`tr[data-sha256="${manifestHash}"]`)).toBeVisible();
  await page
    .getByTestId("verify-bundle")
    .getByLabel("Bundle ZIP")
    .setInputFiles({ name: "bundle.zip", mimeType: "application/zip", buffer: first.bytes });
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page.getByTestId("verify-result")).toHaveAttribute("data-match", "true");
  await expect(page.getByTestId("verify-result")).toContainText(
    "Match: issued by Custody to auditor@demo.custody.local",
  );

  // Download again: rebuilt from the record, byte for byte the bundle first issued.
  const [again] = await Promise.all([
    page.waitForEvent("download"),
    page.locator(`tr[data-sha256="${manifestHash}"]`).getByRole("button", { name: "Download again" }).click(),
  ]);
  const againBytes = readFileSync((await again.path())!);
  const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");
  expect(sha(againBytes)).toBe(sha(first.bytes));
  const againZip = await JSZip.loadAsync(againBytes);
  expect(sha(await againZip.file("manifest.json")!.async("nodebuffer"))).toBe(manifestHash);

  // … while a hash Custody never issued does not.
  await page.getByTestId("verify-bundle").getByLabel("Bundle ZIP").setInputFiles([]);
  await page.getByLabel("or the SHA-256 of its manifest.json").fill("ab".repeat(32));
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page.getByTestId("verify-result")).toHaveAttribute("data-match", "false");
  await expect(page.getByTestId("verify-result")).toContainText("No match");
});

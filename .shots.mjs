import { chromium } from "@playwright/test";
const base = "http://127.0.0.1:3917";
const out = process.argv[2] ?? "/tmp/views";
const role = process.argv[3] ?? "lead@demo.custody.local";
const pages = JSON.parse(process.argv[4] ?? "[]");
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox"] });
const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 } });
const page = await ctx.newPage();
await page.goto(base + "/login");
await page.getByLabel("E-mail").fill(role);
await page.getByLabel("Password").fill("demo-pass-123");
await page.getByRole("button", { name: "Sign in" }).click();
await page.waitForURL((u) => !u.pathname.startsWith("/login"));
console.log("landed", page.url());
for (const [name, path, full] of pages) {
  const r = await page.goto(base + path);
  await page.waitForTimeout(800);
  await page.screenshot({ path: `${out}/${name}.png`, fullPage: !!full });
  console.log(name, r.status());
}
await browser.close();

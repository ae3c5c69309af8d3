/**
 * Issue 13 (ASVS L2 probe), the route-level items: cross-site requests to the JSON API are refused (Origin /
 * Sec-Fetch-Site, Content-Type), every API and export answers Cache-Control: no-store with the security headers,
 * query strings with control characters or impossible dates answer 400 (pages and exports, before anything
 * streams), oversized uploads get a clear answer, audit CSV cells cannot run as spreadsheet formulas, and a manager
 * on a bucket page sees no Macie findings (the findings page refuses them too).
 */
import http from "node:http";
import { expect, test, type Page } from "@playwright/test";
import { SPECIAL } from "./fixtures/demo-estate";
import { storageStatePath } from "./fixtures/roles";
import { BucketsPage } from "./pages/buckets-page";

test.describe("cross-site requests to state-changing API routes", () => {
  test.use({ storageState: storageStatePath("admin") });

  test("a request with another Origin is refused with 403 before the route runs", async ({ page }) => {
    for (const path of ["/api/accounts", "/api/sync/schedule"]) {
      const res = await page.request.fetch(path, {
        method: path === "/api/accounts" ? "POST" : "PUT",
        headers: { origin: "http://evil.example" },
        data: path === "/api/accounts" ? { roleArn: "nope" } : { expression: "whenever" },
      });
      expect(res.status(), path).toBe(403);
      expect(await res.json()).toMatchObject({
        error: "cross_origin",
        message: expect.stringContaining("another site"),
      });
    }
  });

  test("a text/plain body (what a cross-site form can send) is refused with 415", async ({ page }) => {
    const res = await page.request.post("/api/accounts", {
      headers: { "content-type": "text/plain" },
      data: JSON.stringify({ roleArn: "nope" }),
    });
    expect(res.status()).toBe(415);
    expect(await res.json()).toMatchObject({
      error: "unsupported_media_type",
      message: expect.stringContaining("application/json"),
    });
  });

  test("a form auto-submitted from a sibling origin (same site, other port) does not reach the route", async ({
    page,
    baseURL,
  }) => {
    const app = new URL(baseURL!);
    const sibling = `http://${app.hostname}:${Number(app.port) + 1}`;
    // The sibling page is served by Playwright itself: an attacker's page on the same host, another port.
    await page.route(`${sibling}/**`, (route) =>
      route.fulfill({
        contentType: "text/html",
        body: `<form id="f" method="post" enctype="text/plain" action="${baseURL}/api/accounts/discover"><input name='{"roleName":"x","p":"' value='"}'></form><script>document.getElementById("f").submit()</script>`,
      }),
    );
    const answer = page.waitForResponse((r) => r.url().endsWith("/api/accounts/discover"));
    await page.goto(`${sibling}/csrf`);
    const res = await answer;
    expect(res.status()).toBe(403);
    expect(await res.json()).toMatchObject({ error: "cross_origin" });
  });

  test("the app's own pages still call the API (same origin, JSON)", async ({ page }) => {
    await page.goto("/accounts");
    const status = await page.evaluate(async () => {
      const res = await fetch("/api/sync/schedule", {
        method: "PUT",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ expression: "whenever" }),
      });
      return res.status;
    });
    // Past the guard: the schedule's own validation answers.
    expect(status).toBe(400);
  });
});

test.describe("response headers", () => {
  test.use({ storageState: storageStatePath("admin") });

  for (const path of [
    "/api/waivers/export",
    "/api/audit/export",
    "/api/scheme/export",
    "/api/buckets/export?format=csv",
    "/api/buckets/export?format=json",
    "/api/sync",
    "/api/reevaluation",
    "/api/account-options?q=a",
  ]) {
    test(`${path} is no-store and carries the security headers`, async ({ page }) => {
      const res = await page.request.get(path);
      expect(res.status()).toBe(200);
      const h = res.headers();
      expect(h["cache-control"]).toContain("no-store");
      expect(h["x-content-type-options"]).toBe("nosniff");
      expect(h["referrer-policy"]).toBe("same-origin");
      expect(h["permissions-policy"]).toContain("camera=()");
      // Served over plain http here (no https CUSTODY_PUBLIC_URL): no HSTS, which would pin a scheme the server lacks.
      expect(h["strict-transport-security"]).toBeUndefined();
    });
  }

  test("an API error is no-store too", async ({ page }) => {
    const res = await page.request.get("/api/waivers/export?status=bogus");
    expect(res.status()).toBe(400);
    expect(res.headers()["cache-control"]).toContain("no-store");
  });
});

test.describe("control characters and impossible dates in query strings", () => {
  test.use({ storageState: storageStatePath("admin") });

  const PAGES = [
    { path: "/buckets?q=ab%00c", says: "q must not contain control characters" },
    { path: "/buckets?ou=Root%00", says: "ou must not contain control characters" },
    { path: "/buckets?tag=Owner%00", says: "tag must not contain control characters" },
    { path: "/buckets?owner=x%00", says: "owner must not contain control characters" },
    { path: "/findings?bucket=a%00b", says: "bucket must not contain control characters" },
    { path: "/coverage?owner=x%00", says: "owner must not contain control characters" },
    { path: "/audit?actor=a%00", says: "actor must not contain control characters" },
    { path: "/audit?from=2026-13-45", says: "from must be a real date" },
    { path: "/audit?to=2026-02-30", says: "to must be a real date" },
  ];
  for (const c of PAGES) {
    test(`${c.path} is a 400 that says what is wrong`, async ({ page }) => {
      const res = await page.goto(c.path);
      expect(res?.status()).toBe(400);
      await expect(page.getByTestId("query-error")).toContainText(c.says);
    });
  }

  const EXPORTS = [
    { path: "/api/buckets/export?format=csv&q=%00", says: "q must not contain control characters" },
    { path: "/api/buckets/export?format=json&tag=a%00", says: "tag must not contain control characters" },
    { path: "/api/audit/export?from=2026-13-45", says: "from must be a real date" },
    { path: "/api/audit/export?actor=%00x", says: "actor must not contain control characters" },
    { path: "/api/account-options?q=a%00", says: "must not contain control characters" },
  ];
  for (const c of EXPORTS) {
    test(`${c.path} answers 400 JSON before any CSV is sent`, async ({ page }) => {
      const res = await page.request.get(c.path);
      expect(res.status()).toBe(400);
      expect(res.headers()["content-type"]).toContain("application/json");
      expect((await res.json()).message).toContain(c.says);
    });
  }
});

test.describe("upload sizes", () => {
  test.use({ storageState: storageStatePath("admin") });

  test("a 5 MB scheme import gets a clear form error", async ({ page }) => {
    await page.goto("/settings");
    await page
      .getByTestId("scheme-import")
      .getByLabel("Scheme file (JSON)")
      .setInputFiles({ name: "scheme.json", mimeType: "application/json", buffer: Buffer.alloc(5 * 1024 * 1024, " ") });
    await page.getByRole("button", { name: "Import as new version" }).click();
    await expect(page.getByTestId("scheme-import-errors")).toContainText("the scheme file is larger than 200 kB");
  });

  test("a 15 MB evidence upload (under the limit) is read whole and checked, not cut off", async ({ page }) => {
    const res = await page.request.post("/api/evidence/verify", {
      multipart: {
        file: { name: "bundle.zip", mimeType: "application/zip", buffer: Buffer.alloc(15 * 1024 * 1024, 7) },
      },
    });
    expect(res.status()).toBe(400);
    const { message } = await res.json();
    expect(message).toMatch(/^file: /);
    expect(message).not.toContain("send a form");
  });

  test("an evidence upload over the limit is refused with 413 and says the limit", async ({ page, baseURL }) => {
    const cookies = await page.context().cookies();
    const url = new URL(baseURL!);
    // Announced as 300 MB and streamed until the server answers (the route refuses it from the announced length).
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      let answered = false;
      const req = http.request(
        {
          host: url.hostname,
          port: url.port,
          method: "POST",
          path: "/api/evidence/verify",
          headers: {
            cookie: cookies.map((c) => `${c.name}=${c.value}`).join("; "),
            "content-type": "multipart/form-data; boundary=x",
            "content-length": String(300 * 1024 * 1024),
          },
        },
        (res) => {
          answered = true;
          let body = "";
          res.on("data", (d: Buffer) => (body += d.toString()));
          res.on("end", () => {
            req.destroy();
            resolve({ status: res.statusCode ?? 0, body });
          });
        },
      );
      req.on("error", (error) => (answered ? undefined : reject(error)));
      const chunk = Buffer.alloc(1024 * 1024, 0x61);
      let sent = 0;
      const pump = () => {
        while (!answered && sent < 300) {
          sent++;
          if (!req.write(chunk)) return void req.once("drain", pump);
        }
      };
      pump();
    });
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toMatchObject({
      error: "payload_too_large",
      message: expect.stringContaining("100 MB"),
    });
  });
});

test.describe("audit CSV cells cannot run as formulas", () => {
  test("a failed sign-in with a formula in the e-mail and X-Forwarded-For lands neutralised in the audit export", async ({
    browser,
  }) => {
    const attacker = await browser.newContext({ extraHTTPHeaders: { "x-forwarded-for": "=cmd|' /C calc'!A0" } });
    const login = await attacker.newPage();
    await login.goto("/login");
    await login.getByLabel("E-mail").fill("-2+3@evil.example");
    await login.getByLabel("Password").fill("wrong-password-1");
    await login.getByRole("button", { name: "Sign in" }).click();
    await expect(login.getByTestId("sign-in-error")).toBeVisible();
    await attacker.close();

    const auditor = await browser.newContext({ storageState: storageStatePath("auditor") });
    const res = await auditor.request.get("/api/audit/export?action=auth.sign-in&outcome=failure");
    expect(res.status()).toBe(200);
    const csv = await res.text();
    await auditor.close();
    expect(csv).toContain(",'-2+3@evil.example,");
    expect(csv).not.toContain(",-2+3@evil.example,");
    // Whether or not the forwarded address is trusted, it never starts a cell as a formula.
    expect(csv).not.toMatch(/(^|,)=cmd/m);
  });
});

async function openBucketAs(page: Page, name: string) {
  const buckets = new BucketsPage(page);
  await buckets.goto(`?q=${name}`);
  await buckets.openBucket(name);
}

test.describe("Macie findings on bucket pages follow findings:read", () => {
  test.describe("manager", () => {
    test.use({ storageState: storageStatePath("manager") });
    test("sees no finding rows, and is told why", async ({ page }) => {
      await openBucketAs(page, SPECIAL.lowWithPersonalData);
      await expect(page.getByTestId("macie-section")).toBeVisible();
      await expect(page.getByTestId("bucket-findings")).toHaveCount(0);
      await expect(page.getByTestId("findings-not-permitted")).toContainText(
        "Your role (Manager) cannot see Macie findings",
      );
      await expect(page.getByText("SensitiveData:S3Object/Personal")).toHaveCount(0);
    });
  });
  test.describe("security lead", () => {
    test.use({ storageState: storageStatePath("security-lead") });
    test("sees the bucket's findings", async ({ page }) => {
      await openBucketAs(page, SPECIAL.lowWithPersonalData);
      await expect(page.getByTestId("bucket-findings")).toContainText("SensitiveData:S3Object/Personal");
      await expect(page.getByTestId("findings-not-permitted")).toHaveCount(0);
    });
  });
});

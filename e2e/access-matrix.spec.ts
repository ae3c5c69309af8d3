/**
 * Every page × every role: allowed, forbidden (403 page) or sent to sign-in. The expectations are written out by
 * hand here (not derived from lib/server/permissions.ts), so a change to the permission table must change this too.
 */
import { expect, test } from "@playwright/test";
import { SPECIAL } from "./fixtures/demo-estate";
import { ROLES, storageStatePath, type Role } from "./fixtures/roles";

type Expectation = "allow" | "forbid";

const PAGES: { path: string; heading: string; access: Record<Role, Expectation> }[] = [
  {
    path: "/overview",
    heading: "Overview",
    access: { admin: "allow", "security-lead": "allow", manager: "forbid", auditor: "allow" },
  },
  {
    path: "/coverage",
    heading: "Coverage",
    access: { admin: "allow", "security-lead": "allow", manager: "allow", auditor: "allow" },
  },
  {
    path: "/coverage?by=ou",
    heading: "Coverage",
    access: { admin: "allow", "security-lead": "allow", manager: "allow", auditor: "allow" },
  },
  {
    path: "/findings",
    heading: "Findings",
    access: { admin: "allow", "security-lead": "allow", manager: "forbid", auditor: "allow" },
  },
  {
    path: "/buckets",
    heading: "Buckets",
    access: { admin: "allow", "security-lead": "allow", manager: "allow", auditor: "allow" },
  },
  {
    path: "/buckets/1",
    heading: "",
    access: { admin: "allow", "security-lead": "allow", manager: "allow", auditor: "allow" },
  },
  {
    path: "/third-parties",
    heading: "Third parties",
    access: { admin: "allow", "security-lead": "allow", manager: "forbid", auditor: "allow" },
  },
  {
    path: "/accounts",
    heading: "Accounts",
    access: { admin: "allow", "security-lead": "allow", manager: "forbid", auditor: "allow" },
  },
  {
    path: "/account-posture",
    heading: "Account posture",
    access: { admin: "allow", "security-lead": "allow", manager: "forbid", auditor: "allow" },
  },
  {
    path: "/audit",
    heading: "Audit log",
    access: { admin: "allow", "security-lead": "forbid", manager: "forbid", auditor: "allow" },
  },
  {
    path: "/settings",
    heading: "Settings",
    access: { admin: "allow", "security-lead": "forbid", manager: "forbid", auditor: "allow" },
  },
  {
    path: "/settings/users",
    heading: "Users",
    access: { admin: "allow", "security-lead": "forbid", manager: "forbid", auditor: "forbid" },
  },
  {
    path: "/waivers",
    heading: "Waivers",
    access: { admin: "allow", "security-lead": "allow", manager: "allow", auditor: "allow" },
  },
  {
    path: "/evidence",
    heading: "Evidence",
    access: { admin: "allow", "security-lead": "forbid", manager: "forbid", auditor: "allow" },
  },
];

/**
 * API routes: anonymous → 401 JSON, a role without the permission → 403 JSON; an allowed role gets past the check
 * (`allowStatus`: 200, or 400 where the request below deliberately carries no input).
 */
const GOVERNANCE_API: {
  method: "GET" | "POST";
  path: string;
  allowStatus: number;
  access: Record<Role, Expectation>;
}[] = [
  {
    method: "GET",
    path: "/api/scheme/export",
    allowStatus: 200,
    access: { admin: "allow", "security-lead": "forbid", manager: "forbid", auditor: "allow" },
  },
  {
    method: "GET",
    path: "/api/reevaluation",
    allowStatus: 200,
    access: { admin: "allow", "security-lead": "allow", manager: "allow", auditor: "allow" },
  },
  {
    method: "GET",
    path: "/api/waivers/export",
    allowStatus: 200,
    access: { admin: "allow", "security-lead": "allow", manager: "allow", auditor: "allow" },
  },
  {
    method: "GET",
    path: "/api/third-parties/export",
    allowStatus: 200,
    access: { admin: "allow", "security-lead": "allow", manager: "forbid", auditor: "allow" },
  },
  {
    method: "GET",
    path: "/api/account-posture/export",
    allowStatus: 200,
    access: { admin: "allow", "security-lead": "allow", manager: "forbid", auditor: "allow" },
  },
  {
    method: "GET",
    path: "/api/audit/export",
    allowStatus: 200,
    access: { admin: "allow", "security-lead": "forbid", manager: "forbid", auditor: "allow" },
  },
  {
    method: "POST",
    path: "/api/evidence/bundle",
    allowStatus: 400,
    access: { admin: "allow", "security-lead": "forbid", manager: "forbid", auditor: "allow" },
  },
  {
    method: "POST",
    path: "/api/evidence/verify",
    allowStatus: 400,
    access: { admin: "allow", "security-lead": "forbid", manager: "forbid", auditor: "allow" },
  },
];

for (const { method, path, allowStatus, access } of GOVERNANCE_API) {
  test(`anonymous → ${method} ${path} is 401 JSON`, async ({ request }) => {
    const res = method === "GET" ? await request.get(path) : await request.post(path, { multipart: { nothing: "" } });
    expect(res.status()).toBe(401);
    expect(await res.json()).toMatchObject({ error: "unauthenticated" });
  });
  for (const role of ROLES) {
    test.describe(role, () => {
      test.use({ storageState: storageStatePath(role) });
      test(`${role} → ${method} ${path}: ${access[role]}`, async ({ page }) => {
        const res =
          method === "GET"
            ? await page.request.get(path)
            : await page.request.post(path, { multipart: { nothing: "" } });
        if (access[role] === "allow") {
          expect(res.status()).toBe(allowStatus);
        } else {
          expect(res.status()).toBe(403);
          expect(await res.json()).toMatchObject({ error: "forbidden" });
        }
      });
    });
  }
}

for (const { path, heading, access } of PAGES) {
  test(`anonymous → ${path} is sent to sign-in`, async ({ page }) => {
    await page.goto(path);
    await expect(page).toHaveURL(/\/login\?next=/);
  });

  for (const role of ROLES) {
    test.describe(role, () => {
      test.use({ storageState: storageStatePath(role) });
      test(`${role} → ${path}: ${access[role]}`, async ({ page }) => {
        const response = await page.goto(path);
        if (access[role] === "allow") {
          expect(response?.status()).toBe(200);
          if (heading) await expect(page.getByRole("heading", { name: heading, level: 1 })).toBeVisible();
          else await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
        } else {
          expect(response?.status()).toBe(403);
          await expect(page.getByRole("heading", { name: "You don’t have access to this page" })).toBeVisible();
        }
      });
    });
  }
}

/** API routes: 401 anonymous, 403 forbidden, 400 with a message for bad input (never a 500). */
const API: { method: "GET" | "POST" | "PUT"; path: string; body?: unknown; access: Record<Role, number> }[] = [
  { method: "GET", path: "/api/sync", access: { admin: 200, "security-lead": 200, manager: 403, auditor: 200 } },
  {
    method: "POST",
    path: "/api/sync",
    body: { accountId: "not-an-account" },
    access: { admin: 400, "security-lead": 400, manager: 403, auditor: 403 },
  },
  {
    method: "POST",
    path: "/api/accounts",
    body: { roleArn: "nope" },
    access: { admin: 400, "security-lead": 403, manager: 403, auditor: 403 },
  },
  {
    method: "POST",
    path: "/api/accounts/not-an-id/test-connection",
    access: { admin: 400, "security-lead": 403, manager: 403, auditor: 403 },
  },
  {
    method: "POST",
    path: "/api/accounts/discover",
    body: { roleName: "bad name!" },
    access: { admin: 400, "security-lead": 403, manager: 403, auditor: 403 },
  },
  {
    method: "PUT",
    path: "/api/sync/schedule",
    body: { expression: "whenever" },
    access: { admin: 400, "security-lead": 403, manager: 403, auditor: 403 },
  },
  {
    method: "PUT",
    path: "/api/sync/webhooks",
    body: { urls: "http://example.com/hook" },
    access: { admin: 400, "security-lead": 403, manager: 403, auditor: 403 },
  },
  {
    method: "GET",
    path: "/api/deploy/custody-readonly-stackset.json",
    access: { admin: 200, "security-lead": 200, manager: 403, auditor: 200 },
  },
  {
    method: "GET",
    path: "/api/deploy/..%2Fpackage.json",
    access: { admin: 404, "security-lead": 404, manager: 403, auditor: 404 },
  },
  {
    method: "GET",
    path: "/api/account-options?q=prod",
    access: { admin: 200, "security-lead": 200, manager: 200, auditor: 200 },
  },
  {
    method: "GET",
    path: `/api/account-options?q=${"x".repeat(101)}`,
    access: { admin: 400, "security-lead": 400, manager: 400, auditor: 400 },
  },
  {
    method: "GET",
    path: "/api/search?q=acme",
    access: { admin: 200, "security-lead": 200, manager: 200, auditor: 200 },
  },
  {
    method: "GET",
    path: "/api/search?q=a",
    access: { admin: 400, "security-lead": 400, manager: 400, auditor: 400 },
  },
  {
    method: "GET",
    path: "/api/account-posture/export?control=no-such-control",
    access: { admin: 400, "security-lead": 400, manager: 403, auditor: 400 },
  },
];

for (const { method, path, body, access } of API) {
  test(`anonymous → ${method} ${path}: 401`, async ({ request }) => {
    const res = await request.fetch(path, { method, data: body });
    expect(res.status()).toBe(401);
    expect(await res.json()).toMatchObject({ error: "unauthenticated" });
  });
  for (const role of ROLES) {
    test.describe(role, () => {
      test.use({ storageState: storageStatePath(role) });
      test(`${role} → ${method} ${path}: ${access[role]}`, async ({ page }) => {
        const res = await page.request.fetch(path, { method, data: body });
        expect(res.status()).toBe(access[role]);
        if (access[role] >= 400) expect((await res.json()).message).toEqual(expect.any(String));
      });
    });
  }
}

/** Route handlers answer with status codes, never a sign-in redirect. */
const APIS: { path: string; access: Record<Role, Expectation> }[] = [
  {
    path: "/api/buckets/export?format=csv",
    access: { admin: "allow", "security-lead": "allow", manager: "forbid", auditor: "allow" },
  },
  {
    path: "/api/buckets/export?format=json&exposure=public",
    access: { admin: "allow", "security-lead": "allow", manager: "forbid", auditor: "allow" },
  },
];

for (const { path, access } of APIS) {
  test(`anonymous → ${path} is 401`, async ({ request }) => {
    const res = await request.get(path, { maxRedirects: 0 });
    expect(res.status()).toBe(401);
    expect((await res.json()).error).toBe("unauthenticated");
  });

  for (const role of ROLES) {
    test.describe(role, () => {
      test.use({ storageState: storageStatePath(role) });
      test(`${role} → ${path}: ${access[role]}`, async ({ page }) => {
        const res = await page.request.get(path, { maxRedirects: 0 });
        if (access[role] === "allow") {
          expect(res.status()).toBe(200);
          expect(res.headers()["content-disposition"]).toMatch(
            /^attachment; filename="custody-buckets-.+\.(csv|json)"$/,
          );
        } else {
          expect(res.status()).toBe(403);
          expect((await res.json()).error).toBe("forbidden");
        }
      });
    });
  }
}

/** Sections inside a page follow the same table: Macie findings on a bucket page need findings:read, as /findings does. */
const BUCKET_PAGE_FINDINGS: Record<Role, "shown" | "hidden"> = {
  admin: "shown",
  "security-lead": "shown",
  manager: "hidden",
  auditor: "shown",
};

for (const role of ROLES) {
  test.describe(role, () => {
    test.use({ storageState: storageStatePath(role) });
    test(`${role} → Macie findings on a bucket page: ${BUCKET_PAGE_FINDINGS[role]}`, async ({ page }) => {
      await page.goto(`/buckets?q=${SPECIAL.lowWithPersonalData}`);
      await page.getByRole("link", { name: SPECIAL.lowWithPersonalData, exact: true }).click();
      await expect(page.getByTestId("macie-section")).toBeVisible();
      await expect(page.getByTestId("bucket-findings")).toHaveCount(BUCKET_PAGE_FINDINGS[role] === "shown" ? 1 : 0);
      await expect(page.getByTestId("findings-not-permitted")).toHaveCount(
        BUCKET_PAGE_FINDINGS[role] === "shown" ? 0 : 1,
      );
    });
  });
}

test("the health endpoint answers without a session and reveals nothing", async ({ request }) => {
  const res = await request.get("/api/health");
  expect(res.status()).toBe(200);
  expect(await res.json()).toEqual({ status: "ok" });
});

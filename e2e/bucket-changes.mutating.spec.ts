/**
 * Within a minute, as a new user tries it: `demo:change` opens a private bucket of the demo AWS to the world and sends
 * the CloudTrail events AWS would; the worker's consumer re-reads that bucket, and its page shows it public with who
 * did it, from where, and the verdict before and after on its timeline. Making it private again turns it back.
 */
import { expect, test } from "@playwright/test";
import { createPrismaClient } from "@/lib/db/prisma";
import { makeDemoChange } from "@/lib/events/demo-change";
import { DEMO_FIXTURE_OPTIONS, DEMO_SPECIAL_BUCKETS, generateFixtureEstate } from "@/lib/sources/fixture/estate";
import { storageStatePath } from "./fixtures/roles";
import { sql } from "./fixtures/users";

test.use({ storageState: storageStatePath("security-lead") });

const estate = generateFixtureEstate(DEMO_FIXTURE_OPTIONS);
const publicBucket = estate.allBuckets().find((b) => b.name === DEMO_SPECIAL_BUCKETS.publicRead)!;
// A private bucket, fully readable, in the account without account-wide Block Public Access.
const target = estate
  .bucketsOf(publicBucket.accountId)
  .find(
    (b) =>
      b.name !== publicBucket.name &&
      b.deniedOperations.length === 0 &&
      !(b.policy ?? []).some((s) => s.kind === "public-read") &&
      b.publicAccessBlock !== null &&
      Object.values(b.publicAccessBlock).every(Boolean),
  )!;

const exposureOf = async (name: string) =>
  (await sql<{ exposure: string }>("SELECT exposure FROM bucket WHERE name = $1", [name]))[0]?.exposure;

test("a bucket made public shows public within seconds, with who did it on its timeline", async ({ page }) => {
  // Two changes, each waited for, and two pages: more than the 30 s default. A change is re-read within seconds, or
  // — while a sync another spec started holds the account — right after that sync.
  test.setTimeout(240_000);
  const prisma = createPrismaClient(process.env.DATABASE_URL!);
  try {
    expect(await exposureOf(target.name)).not.toBe("public");
    await makeDemoChange(prisma, { bucketName: target.name, kind: "make-public" });
    await expect.poll(() => exposureOf(target.name), { timeout: 90_000 }).toBe("public");

    const [row] = await sql<{ id: number }>("SELECT id FROM bucket WHERE name = $1", [target.name]);
    await page.goto(`/buckets/${row!.id}`);
    const timeline = page.getByTestId("change-history");
    const first = timeline.locator("li[data-kind=event]").first();
    await expect(first.getByTestId("change-event")).toHaveCount(2);
    await expect(first).toContainText("PutBucketPolicy by demo-change (role DemoConsoleAdmin) from 203.0.113.10");
    await expect(first).toContainText("DeleteBucketPublicAccessBlock");
    await expect(first).toContainText("exposure not-public → public");

    // The overview leads with it until the next sync.
    await page.goto("/overview");
    await expect(page.getByTestId("changes-since-sync")).toContainText(`${target.name} became public by demo-change`);

    await makeDemoChange(prisma, { bucketName: target.name, kind: "make-private" });
    await expect.poll(() => exposureOf(target.name), { timeout: 90_000 }).not.toBe("public");
  } finally {
    await prisma.$disconnect();
  }
});

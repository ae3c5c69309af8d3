/**
 * npm run demo:change -- --bucket <name> --make-public | --make-private | --remove-encryption | --suspend-versioning
 * Changes a bucket of the demo's fixture AWS as someone with console access would, and sends the CloudTrail events AWS
 * would deliver for it to the bucket-change queue. A running `npm start` (or `npm run worker`) picks them up within
 * seconds: the bucket is re-read, re-evaluated, its timeline shows who did it, and the webhooks fire for what got worse.
 */
import { parseArgs } from "node:util";
import { DemoChangeError, makeDemoChange } from "@/lib/events/demo-change";
import { settingsFrom } from "@/lib/env";
import { connectorModeFrom } from "@/lib/sources/connector-factory";
import { DEMO_CHANGE_KINDS, type DemoChangeKind } from "@/lib/sources/fixture/demo-changes";
import { describeCliError, openDatabase } from "./cli-database";

const USAGE = `usage: npm run demo:change -- --bucket <name> ${DEMO_CHANGE_KINDS.map((k) => `--${k}`).join(" | ")}`;
let values: Record<string, string | boolean | undefined>;
try {
  ({ values } = parseArgs({
    options: {
      bucket: { type: "string" },
      ...Object.fromEntries(DEMO_CHANGE_KINDS.map((k) => [k, { type: "boolean" as const }])),
    },
  }));
} catch (error) {
  console.error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
  process.exit(2);
}
const kinds = DEMO_CHANGE_KINDS.filter((k) => values[k] === true);
if (typeof values.bucket !== "string" || !values.bucket.trim() || kinds.length !== 1) {
  console.error(`Name one bucket and exactly one change.\n${USAGE}`);
  process.exit(2);
}
const db = await openDatabase();
let code = 0;
try {
  // As npm start decides: the embedded database talks to the fixture AWS unless CUSTODY_FIXTURE_AWS says otherwise.
  const fixture =
    settingsFrom().CUSTODY_FIXTURE_AWS === undefined ? db.database.embedded : connectorModeFrom() === "fixture-demo";
  if (!fixture)
    throw new DemoChangeError(
      "demo:change changes the demo's fixture AWS only: run it where Custody uses the fixture AWS (the embedded default, or CUSTODY_FIXTURE_AWS=demo). It never changes real AWS.",
    );
  const kind = kinds[0] as DemoChangeKind;
  const sent = await makeDemoChange(db.prisma, { bucketName: values.bucket.trim(), kind });
  const row = await db.prisma.bucket.findFirst({
    where: { name: values.bucket.trim(), accountId: sent.accountId },
    select: { id: true },
  });
  console.log(
    `${kind}: ${values.bucket} (account ${sent.accountId}, ${sent.region}) changed; ${sent.events} CloudTrail event(s) sent.`,
  );
  console.log(
    `A running Custody re-reads it within seconds${row ? `: see /buckets/${row.id} (Timeline)` : ""} — or run npm start.`,
  );
} catch (error) {
  console.error(error instanceof DemoChangeError ? error.message : describeCliError(error));
  code = 1;
} finally {
  await db.close();
}
process.exit(code);

import { RuleTester } from "eslint";
import { afterAll, describe, it } from "vitest";
import dalAuthorizes from "./dal-authorizes.mjs";

RuleTester.afterAll = afterAll;
RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

const tester = new RuleTester();

tester.run("dal-authorizes", dalAuthorizes, {
  valid: [
    `export async function listThings(actor) { authorize(actor, "things:read"); return db().thing.findMany(); }`,
    `export async function get(actor, id) { const key = id.trim(); authorize(actor, "x:read"); return await load(key); }`,
    `export const propose = async (actor) => { authorize(actor, "x:propose"); await save(); };`,
    // Synchronous exports build SQL or map values; they read nothing.
    `export function bucketWhere(filters) { return sql\`TRUE\`; }`,
    // Not exported: a private step of an authorized function.
    `async function load(id) { return db().thing.findUnique({ where: { id } }); }`,
    // A named alternative check.
    {
      code: `export async function own(actor) { requireSelf(actor); return await read(actor); }`,
      options: [{ checks: ["requireSelf"] }],
    },
  ],
  invalid: [
    {
      code: `export async function currentLevels() { return db().level.findMany(); }`,
      errors: [{ messageId: "missing" }],
    },
    {
      // Reads before deciding: data would be fetched for a caller who may not see it.
      code: `export async function late(actor) { const rows = await db().thing.findMany(); authorize(actor, "x:read"); return rows; }`,
      errors: [{ messageId: "missing" }],
    },
    {
      // A check inside a nested callback does not guard the function.
      code: `export async function nested(actor) { return run(() => authorize(actor, "x:read")); }`,
      errors: [{ messageId: "missing" }],
    },
    {
      code: `export const expression = async (actor) => db().thing.findMany();`,
      errors: [{ messageId: "missing" }],
    },
  ],
});

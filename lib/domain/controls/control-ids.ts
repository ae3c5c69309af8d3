/**
 * The control ids, in catalog order, derived from the catalog: adding a control is one line in catalog.ts, not a
 * second list to keep in step. (For the zod schemas that validate ids: waivers, evidence scopes, bucket filters.)
 */
import { CONTROL_CATALOG } from "./catalog";

export type ControlId = (typeof CONTROL_CATALOG)[number]["id"];

/** Non-empty (catalog.test.ts pins the catalog's controls), so zod enums can be built from it. */
export const CONTROL_IDS = CONTROL_CATALOG.map((c) => c.id) as readonly ControlId[] as readonly [
  ControlId,
  ...ControlId[],
];

export function isControlId(value: string): value is ControlId {
  return (CONTROL_IDS as readonly string[]).includes(value);
}

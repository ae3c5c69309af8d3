import "server-only";
/** Which sections (lib/sections.ts) an actor sees, derived from the one permission table, and where each lands. */
import { SECTIONS } from "@/lib/sections";
import { can, type Actor } from "@/lib/server/permissions";

export const sectionsFor = (actor: Actor) => SECTIONS.filter((s) => can(actor, s.permission));

/** Where a role lands after sign-in: the first section it may see. */
export const homeFor = (actor: Actor) => sectionsFor(actor)[0]?.href ?? "/buckets";

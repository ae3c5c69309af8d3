/**
 * Validation for importing a classification scheme from JSON (and exporting it back). Every message names the
 * field it is about, so a person fixing an uploaded file knows where to look.
 */
import { z } from "zod";
import { CONTROL_IDS, isControlId, type ControlId } from "../controls/control-ids";
import { DEFAULT_FALLBACK_LEVEL_KEY, DEFAULT_TAG_KEY, type ClassificationScheme } from "./scheme";

const KEY_PATTERN = /^[a-z0-9][a-z0-9-]{0,31}$/;

const levelSchema = z.object({
  key: z
    .string({ error: "key must be a string" })
    .regex(KEY_PATTERN, { error: "key must be 1–32 lowercase letters, digits or dashes" }),
  name: z
    .string({ error: "name must be a string" })
    .trim()
    .min(1, { error: "name must not be empty" })
    .max(64, { error: "name must be at most 64 characters" }),
  rank: z
    .number({ error: "rank must be a number" })
    .int({ error: "rank must be an integer" })
    .min(0, { error: "rank must be 0 or more" }),
  description: z
    .string({ error: "description must be a string" })
    .max(500, { error: "description must be at most 500 characters" })
    .default(""),
  requiredControlIds: z
    .array(z.string({ error: "requiredControlIds entries must be strings" }), {
      error: "requiredControlIds must be a list",
    })
    .superRefine((ids, ctx) => {
      ids.forEach((id, i) => {
        if (!isControlId(id)) {
          ctx.addIssue({
            code: "custom",
            path: [i],
            message: `requiredControlIds: unknown control "${id}" (known: ${CONTROL_IDS.join(", ")})`,
          });
        }
      });
      const dupes = ids.filter((id, i) => ids.indexOf(id) !== i);
      if (dupes.length > 0)
        ctx.addIssue({ code: "custom", message: `requiredControlIds: "${dupes[0]}" is listed twice` });
    })
    .transform((ids) => ids as ControlId[]),
  valueAliases: z
    .array(
      z
        .string({ error: "valueAliases entries must be strings" })
        .trim()
        .min(1, { error: "valueAliases entries must not be empty" }),
      {
        error: "valueAliases must be a list",
      },
    )
    .default([]),
});

export const classificationSchemeSchema = z
  .object({
    tagKey: z
      .string({ error: "tagKey must be a string" })
      .trim()
      .min(1, { error: "tagKey must not be empty" })
      .max(128, { error: "tagKey must be at most 128 characters (S3 tag key limit)" })
      .default(DEFAULT_TAG_KEY),
    fallbackLevelKey: z.string({ error: "fallbackLevelKey must be a string" }).default(DEFAULT_FALLBACK_LEVEL_KEY),
    levels: z
      .array(levelSchema, { error: "levels must be a list" })
      .min(1, { error: "levels must have at least one level" }),
  })
  .superRefine((scheme, ctx) => {
    const keys = scheme.levels.map((l) => l.key);
    keys.forEach((k, i) => {
      if (keys.indexOf(k) !== i)
        ctx.addIssue({
          code: "custom",
          path: ["levels", i, "key"],
          message: `key "${k}" is used by more than one level`,
        });
    });
    const ranks = scheme.levels.map((l) => l.rank);
    ranks.forEach((r, i) => {
      if (ranks.indexOf(r) !== i)
        ctx.addIssue({
          code: "custom",
          path: ["levels", i, "rank"],
          message: `rank ${r} is used by more than one level`,
        });
    });
    // Only meaningful once the level keys themselves are valid; otherwise it would repeat their error.
    const keysValid = keys.length > 0 && keys.every((k) => KEY_PATTERN.test(k));
    if (keysValid && !keys.includes(scheme.fallbackLevelKey)) {
      ctx.addIssue({
        code: "custom",
        path: ["fallbackLevelKey"],
        message: `fallbackLevelKey "${scheme.fallbackLevelKey}" is not the key of any level (${keys.join(", ")})`,
      });
    }
    // A tag value must mean exactly one level, or the resolution would depend on list order.
    const owner = new Map<string, string>();
    scheme.levels.forEach((l, i) => {
      for (const [j, v] of [l.key, l.name, ...l.valueAliases].entries()) {
        const norm = v.trim().toLowerCase();
        const prev = owner.get(norm);
        if (prev !== undefined && prev !== l.key) {
          ctx.addIssue({
            code: "custom",
            path: j < 2 ? ["levels", i, j === 0 ? "key" : "name"] : ["levels", i, "valueAliases", j - 2],
            message: `tag value "${v}" would match both level "${prev}" and level "${l.key}"`,
          });
        }
        owner.set(norm, l.key);
      }
    });
  });

export type ParseSchemeResult = { ok: true; scheme: ClassificationScheme } | { ok: false; errors: string[] };

/** Validate an uploaded scheme; errors read "levels[1].rank: rank must be an integer". */
export function parseClassificationScheme(input: unknown): ParseSchemeResult {
  const result = classificationSchemeSchema.safeParse(input);
  if (result.success) return { ok: true, scheme: result.data };
  const errors = result.error.issues.map((issue) => {
    const path = issue.path.reduce<string>(
      (acc, part) => (typeof part === "number" ? `${acc}[${part}]` : acc ? `${acc}.${String(part)}` : String(part)),
      "",
    );
    const message =
      issue.code === "invalid_type" && issue.path.length === 0 ? "the scheme must be a JSON object" : issue.message;
    return path ? `${path}: ${message}` : message;
  });
  return { ok: false, errors };
}

/** The JSON form written on export: exactly what import accepts. */
export function exportClassificationScheme(scheme: ClassificationScheme): string {
  return JSON.stringify(
    {
      tagKey: scheme.tagKey,
      fallbackLevelKey: scheme.fallbackLevelKey,
      levels: scheme.levels.map((l) => ({
        key: l.key,
        name: l.name,
        rank: l.rank,
        description: l.description,
        requiredControlIds: l.requiredControlIds,
        valueAliases: l.valueAliases,
      })),
    },
    null,
    2,
  );
}

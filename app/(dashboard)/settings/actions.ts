"use server";
import { revalidatePath } from "next/cache";
import { SchemeEditSchema, SchemeImportSchema } from "@/lib/schemas/scheme-edit";
import { formAction, formErrors, succeeded } from "@/lib/server/actions/server-action";
import type { Actor } from "@/lib/server/permissions";
import { changeScheme } from "@/lib/server/dal/scheme";

async function saveScheme(actor: Actor, source: "editor" | "import", input: { schemeJson: string; note: string }) {
  const result = await changeScheme(actor, { ...input, source });
  if (result.ok) revalidatePath("/", "layout");
  return result;
}

/** The new version and what it changed, or each reason the scheme was refused. */
function schemeSaved(result: Awaited<ReturnType<typeof changeScheme>>) {
  if (!result.ok) return formErrors(result.errors);
  // The re-evaluation's progress and end are shown live beside the form and in the banner, not frozen in here.
  const re =
    result.reevaluating > 0
      ? ` It affects ${result.reevaluating.toLocaleString("en")} ${result.reevaluating === 1 ? "bucket" : "buckets"}.`
      : " No bucket needs a new evaluation.";
  return succeeded(`Saved scheme version ${result.version}: ${result.changes.join("; ")}.${re}`);
}

export const saveSchemeAction = formAction({
  permission: "scheme:edit",
  input: SchemeEditSchema,
  run: ({ actor, input }) => saveScheme(actor, "editor", input),
  done: schemeSaved,
});

export const importSchemeAction = formAction({
  permission: "scheme:edit",
  input: SchemeImportSchema,
  run: ({ actor, input }) => saveScheme(actor, "import", input),
  done: schemeSaved,
});

"use server";
import { revalidatePath } from "next/cache";
import { SCHEME_MAX_BYTES, SCHEME_TOO_LARGE, SchemeEditSchema } from "@/lib/schemas/scheme-edit";
import type { ActionState } from "@/lib/action-state";
import { actionFailure } from "@/lib/server/action-result";
import { currentActor } from "@/lib/server/auth/current-actor";
import { changeScheme } from "@/lib/server/dal/scheme";

async function submit(source: "editor" | "import", schemeJson: unknown, note: unknown): Promise<ActionState> {
  const parsed = SchemeEditSchema.safeParse({ schemeJson, note: note ?? undefined });
  if (!parsed.success) return { ok: false, message: null, errors: parsed.error.issues.map((i) => i.message) };
  try {
    const result = await changeScheme(await currentActor(), { ...parsed.data, source });
    if (!result.ok) return { ok: false, message: null, errors: result.errors };
    revalidatePath("/", "layout");
    const re =
      result.reevaluating > 0
        ? ` Re-evaluating ${result.reevaluating.toLocaleString("en")} buckets in the background.`
        : " No bucket needs a new evaluation.";
    return {
      ok: true,
      message: `Saved scheme version ${result.version}: ${result.changes.join("; ")}.${re}`,
      errors: [],
    };
  } catch (error) {
    return actionFailure(error);
  }
}

export async function saveSchemeAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  return submit("editor", form.get("schemeJson"), form.get("note"));
}

export async function importSchemeAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const file = form.get("file");
  if (!(file instanceof File) || file.size === 0)
    return { ok: false, message: null, errors: ["choose a scheme JSON file to import"] };
  if (file.size > SCHEME_MAX_BYTES) return { ok: false, message: null, errors: [SCHEME_TOO_LARGE] };
  return submit("import", await file.text(), form.get("note"));
}

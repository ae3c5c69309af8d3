/** The bucket list's query string: filters, sort and page, validated. The URL holds the whole view state. */
import { z } from "zod";
import { CONTROL_IDS } from "@/lib/domain/controls/control-ids";
import {
  accountParam,
  choiceParam,
  flagParam,
  one,
  pageParam,
  pageSizeParam,
  regionParam,
  sortParams,
  textParam,
} from "@/lib/list-query";
import { hasNoControlCharacters, noControlCharactersMessage } from "@/lib/schemas/query-text";

export const BUCKET_SORTS = ["risk", "name", "account", "region", "level", "lastSeen"] as const;
/** The direction a sort starts in: riskiest and most sensitive first, everything else A→Z / oldest first. */
export const BUCKET_SORT_DEFAULT_DIR: Record<(typeof BUCKET_SORTS)[number], "asc" | "desc"> = {
  risk: "desc",
  name: "asc",
  account: "asc",
  region: "asc",
  level: "desc",
  lastSeen: "asc",
};
export const CONTROL_STATUSES = ["pass", "fail", "unknown", "waived", "not-required"] as const;
/** Macie severity names → the severity score Macie gives them (1 low, 2 medium, 3 high). */
export const MACIE_SEVERITIES = { low: 1, medium: 2, high: 3 } as const;

/** `tag=Key` (the bucket has the tag) or `tag=Key=Value` (the tag has exactly this value). */
const TagFilterSchema = z
  .string()
  .max(400, "tag is limited to 400 characters")
  .refine(hasNoControlCharacters, noControlCharactersMessage("tag"))
  .transform((raw, ctx) => {
    const eq = raw.indexOf("=");
    const key = (eq === -1 ? raw : raw.slice(0, eq)).trim();
    const value = eq === -1 ? undefined : raw.slice(eq + 1);
    if (key === "" || key.length > 128) {
      ctx.addIssue({
        code: "custom",
        message: "tag must be a tag key (1–128 characters), optionally followed by =value",
      });
      return z.NEVER;
    }
    if (value !== undefined && value.length > 256) {
      ctx.addIssue({ code: "custom", message: "a tag value is limited to 256 characters" });
      return z.NEVER;
    }
    return { key, value };
  });

/**
 * A keyset cursor: the (sort key, id) of a row, base64url-encoded JSON, so "Next" and "Previous" start an index scan
 * at that row instead of counting past every earlier one (OFFSET). The key is a number (risk, level rank) or a
 * string (text keys; "ISO time|account id" for last read).
 */
export interface BucketCursor {
  key: string | number;
  id: number;
}

export function encodeBucketCursor(cursor: BucketCursor): string {
  return Buffer.from(JSON.stringify([cursor.key, cursor.id])).toString("base64url");
}

export function decodeBucketCursor(raw: string): BucketCursor | null {
  try {
    const v: unknown = JSON.parse(Buffer.from(raw, "base64url").toString("utf8"));
    if (!Array.isArray(v) || v.length !== 2) return null;
    const [key, id] = v as unknown[];
    if (!Number.isSafeInteger(id) || (id as number) < 1) return null;
    if (typeof key === "number" ? !Number.isSafeInteger(key) : typeof key !== "string" || key.length > 1100)
      return null;
    return { key: key as string | number, id: id as number };
  } catch {
    return null;
  }
}

/** Which JSON type each sort's cursor key has ("read": "ISO time|12-digit account id", for last read). */
const CURSOR_KEY_KIND: Record<(typeof BUCKET_SORTS)[number], "number" | "string" | "read"> = {
  risk: "number",
  name: "string",
  account: "string",
  region: "string",
  level: "number",
  lastSeen: "read",
};

function cursorKeyFits(kind: "number" | "string" | "read", key: string | number): boolean {
  if (kind === "number") return typeof key === "number";
  if (typeof key !== "string") return false;
  if (kind === "string") return hasNoControlCharacters(key);
  const m = /^([^|]+)\|(\d{12})$/.exec(key);
  return m !== null && !Number.isNaN(Date.parse(m[1]!));
}

const cursorParam = (name: string) => one(z.string().max(1500, `${name} is not a valid page cursor`).optional());

export const BucketQuerySchema = z
  .object({
    account: accountParam(),
    region: regionParam(),
    level: one(
      z
        .string()
        .regex(/^[a-z0-9-]{1,40}$/, "level must be a level key")
        .optional(),
    ),
    source: choiceParam(
      ["manual", "cloudtrail", "tag", "fallback"],
      "source must be manual, cloudtrail, tag or fallback",
    ),
    /** "outside": reachable from outside the organisation (effective access, lib/domain/access), public included. */
    exposure: choiceParam(
      ["public", "not-public", "unknown", "outside"],
      "exposure must be public, not-public, unknown or outside",
    ),
    q: textParam("q", 100, { tooLong: "search text is limited to 100 characters" }),
    /** Organizational unit path of the bucket's account, exactly as shown (e.g. Root/Production). */
    ou: textParam("ou", 300, { required: true }),
    control: choiceParam(CONTROL_IDS, `control must be one of ${CONTROL_IDS.join(", ")}`),
    status: choiceParam(CONTROL_STATUSES, `status must be one of ${CONTROL_STATUSES.join(", ")}`),
    /** The control's own verdict before "required" and waivers apply (e.g. a mismatch on a control no level requires). */
    observed: choiceParam(["pass", "fail", "unknown"], "observed must be pass, fail or unknown"),
    config: choiceParam(["disagree"], "config must be disagree (AWS Config disagrees with Custody on some control)"),
    macie: choiceParam(
      ["low", "medium", "high"],
      "macie must be low, medium or high (the lowest Macie severity to show)",
    ),
    tag: one(TagFilterSchema.optional()),
    owner: textParam("owner", 256, { required: true }),
    unowned: flagParam("unowned", "buckets without an owner tag"),
    failing: flagParam("failing", "buckets failing a required control"),
    unknown: flagParam("unknown", "buckets with a required control that could not be checked"),
    waived: flagParam("waived", "buckets with a waived required control"),
    compliant: choiceParam(["yes", "no"], "compliant must be yes or no"),
    ...sortParams(BUCKET_SORTS),
    page: pageParam(),
    /** Keyset cursors written by the list's Next / Previous links (page stays the page number shown). */
    after: cursorParam("after"),
    before: cursorParam("before"),
    pageSize: pageSizeParam(),
    /** "all": count the view to the end even where the list would stop at 10,000 (LIST_COUNT_LIMIT). */
    count: choiceParam(["all"], "count must be all (count the whole view)"),
  })
  .superRefine((q, ctx) => {
    if (q.status && !q.control)
      ctx.addIssue({
        code: "custom",
        path: ["status"],
        message: "status needs a control (e.g. control=https-only&status=fail)",
      });
    if (q.observed && !q.control)
      ctx.addIssue({
        code: "custom",
        path: ["observed"],
        message: "observed needs a control (e.g. control=sensitive-data-matches-level&observed=fail)",
      });
    if (q.owner && q.unowned)
      ctx.addIssue({ code: "custom", path: ["unowned"], message: "owner and unowned cannot be combined" });
    if (q.after && q.before)
      ctx.addIssue({ code: "custom", path: ["before"], message: "after and before cannot be combined" });
    for (const name of ["after", "before"] as const) {
      const raw = q[name];
      if (raw === undefined) continue;
      const cursor = decodeBucketCursor(raw);
      const kind = CURSOR_KEY_KIND[q.sort ?? "risk"];
      const fits = cursor !== null && cursorKeyFits(kind, cursor.key);
      if (!fits)
        ctx.addIssue({
          code: "custom",
          path: [name],
          message: `${name} is not a valid page cursor for this sort (open the first page again)`,
        });
    }
  });

export type BucketQuery = z.infer<typeof BucketQuerySchema>;
/** Only the filters (what decides which buckets are in the view), without sort and page. */
export type BucketFilters = Omit<BucketQuery, "sort" | "dir" | "page" | "pageSize" | "after" | "before" | "count">;

/** The URL form of a view's filters (inverse of the schema), for links and for re-submitting the view. */
export function bucketQueryParams(query: Partial<BucketQuery>): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null) continue;
    if (k === "tag") {
      const t = v as { key: string; value?: string };
      out.tag = t.value === undefined ? t.key : `${t.key}=${t.value}`;
    } else if (v === true) out[k] = "1";
    else out[k] = String(v);
  }
  return out;
}

export const ExportFormatSchema = one(z.enum(["csv", "json"], { error: "format must be csv or json" }).default("csv"));

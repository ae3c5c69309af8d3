/**
 * A list page's query string, both ways. The URL holds the whole view (filters, sort, page), so a view can be
 * shared, bookmarked and reloaded. Reading: the zod pieces every list's schema is built from (lib/schemas/*-query.ts),
 * so that one filter says the same thing on every page. Writing: the links a list page draws (sort headers, pages,
 * "Reset", a removable filter) from the view it shows.
 */
import { z } from "zod";
import { hasNoControlCharacters, noControlCharactersMessage } from "@/lib/schemas/query-text";

/** Query strings can repeat a key (?a=1&a=2) and submit empty fields: take the first value, treat "" as absent. */
const firstValue = (v: unknown) => (Array.isArray(v) ? v[0] : v === "" || v === null ? undefined : v);

/** One query-string value read with `schema`: the first of a repeated key, an empty field as absent. */
export const one = <T extends z.ZodType>(schema: T) => z.preprocess(firstValue, schema);

/** A value from a fixed list, optional; `error` says what the list is. */
export const choiceParam = <const T extends readonly [string, ...string[]]>(values: T, error: string) =>
  one(z.enum(values, { error }).optional());

/** A yes/no filter that is either on (`=1`) or absent. */
export const flagParam = (name: string, meaning: string) =>
  one(
    z
      .enum(["1", "true"], { error: `${name} must be 1 (${meaning}) or left out` })
      .transform(() => true as const)
      .optional(),
  );

/**
 * Free text (searches, names, paths): trimmed, limited to `max` characters, never a control character (Postgres
 * refuses NUL in text; lib/schemas/query-text.ts). `required` refuses text that is only spaces.
 */
export function textParam(name: string, max: number, options: { tooLong?: string; required?: boolean } = {}) {
  const trimmed = z.string().trim();
  return one(
    (options.required ? trimmed.min(1) : trimmed)
      .max(max, options.tooLong ?? `${name} is limited to ${max} characters`)
      .refine(hasNoControlCharacters, noControlCharactersMessage(name))
      .optional(),
  );
}

export const accountParam = () =>
  one(
    z
      .string()
      .regex(/^\d{12}$/, "account must be a 12-digit AWS account id")
      .optional(),
  );

export const regionParam = () =>
  one(
    z
      .string()
      .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, "region must look like eu-west-1")
      .optional(),
  );

export type SortDir = "asc" | "desc";

/** `sort` (one of the list's sort keys) and `dir`, to spread into a list's schema. */
export const sortParams = <const T extends readonly [string, ...string[]]>(sorts: T) => ({
  sort: choiceParam(sorts, `sort must be one of ${sorts.join(", ")}`),
  dir: choiceParam(["asc", "desc"], "dir must be asc or desc"),
});

/** The 1-based page number (page 1 when absent). */
export const pageParam = () =>
  one(z.coerce.number({ error: "page must be a number" }).int().min(1, "page starts at 1").max(100_000).default(1));

export const DEFAULT_PAGE_SIZE = 50;

/** Rows per page: 25, 50 (when absent) or 100. */
export const pageSizeParam = () =>
  one(
    z.coerce
      .number()
      .pipe(z.union([z.literal(25), z.literal(50), z.literal(100)], { error: "pageSize must be 25, 50 or 100" }))
      .default(DEFAULT_PAGE_SIZE),
  );

/** The query string as a page receives it in `searchParams`: a repeated name becomes an array. */
export function searchParamsRecord(params: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(params.keys())) {
    const all = params.getAll(key);
    out[key] = all.length === 1 ? all[0]! : all;
  }
  return out;
}

/**
 * For a list that still shows itself when its address does not validate (audit log, waivers): the query, or the
 * schema's defaults — the unfiltered list — with the issues to say so.
 */
export function queryOrDefaults<S extends z.ZodType>(
  schema: S,
  raw: unknown,
): { query: z.output<S>; issues: z.core.$ZodIssue[] | null } {
  const parsed = schema.safeParse(raw);
  return parsed.success
    ? { query: parsed.data, issues: null }
    : { query: schema.parse({}), issues: parsed.error.issues };
}

/** A view in URL form: each parameter's value, or nothing (left out of links). */
export type QueryState = Record<string, string | number | undefined | null>;

/** Builds a query string from a view state, dropping empty values, so links keep every filter but the one changed. */
export function withQuery(path: string, state: QueryState, patch: QueryState = {}) {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...state, ...patch })) {
    if (v !== undefined && v !== null && v !== "") params.set(k, String(v));
  }
  const s = params.toString();
  return s ? `${path}?${s}` : path;
}

/**
 * What a list's links keep of the view it shows: filters, sort and a page size other than the default, but never a
 * page number or a page cursor (`after` / `before`), so a new sort or filter starts at page 1.
 */
export function viewState(params: QueryState): QueryState {
  const out: QueryState = {};
  for (const [k, v] of Object.entries(params)) {
    if (k === "page" || k === "after" || k === "before") continue;
    if (k === "pageSize" && Number(v) === DEFAULT_PAGE_SIZE) continue;
    out[k] = v;
  }
  return out;
}

/**
 * A sortable column's header: whether the list is sorted by it, which way (`aria-sort`), and the direction its link
 * asks for — the other way when it is the sort, otherwise the column's own starting direction.
 */
export function columnSort(
  column: string,
  current: { key: string; dir?: SortDir },
  defaultDir: Readonly<Record<string, SortDir>>,
): { active: boolean; dir: SortDir; nextDir: SortDir; ariaSort: "ascending" | "descending" | undefined } {
  const active = current.key === column;
  const startDir = defaultDir[column] ?? "asc";
  const dir = active ? (current.dir ?? startDir) : startDir;
  return {
    active,
    dir,
    nextDir: active ? (dir === "asc" ? "desc" : "asc") : startDir,
    ariaSort: active ? (dir === "asc" ? "ascending" : "descending") : undefined,
  };
}

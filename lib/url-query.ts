/** Builds a query string from a view state, dropping empty values, so links keep every filter but the one changed. */
export function withQuery(
  path: string,
  state: Record<string, string | number | undefined | null>,
  patch: Record<string, string | number | undefined | null> = {},
) {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...state, ...patch })) {
    if (v !== undefined && v !== null && v !== "") params.set(k, String(v));
  }
  const s = params.toString();
  return s ? `${path}?${s}` : path;
}

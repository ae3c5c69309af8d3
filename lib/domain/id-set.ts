/**
 * A list of ids as a Set, built once per list. The trusted-account list and the organisation's accounts are one
 * array per evaluation, shared by every bucket; at 10,000 accounts a membership test by `includes` scanned all of
 * them, several times per bucket (issue 19). The lists are never mutated after the evaluation context builds them.
 */
const sets = new WeakMap<readonly string[], ReadonlySet<string>>();

export function idSet(ids: readonly string[]): ReadonlySet<string> {
  let set = sets.get(ids);
  if (!set) {
    set = new Set(ids);
    sets.set(ids, set);
  }
  return set;
}

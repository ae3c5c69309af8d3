/**
 * IAM-style glob matching for Action and Resource elements: `*` matches any run of characters (also `/` and `:`),
 * `?` exactly one. Three questions matter for policy analysis and each needs its own function:
 *   - does a pattern match one concrete value (an action name, the bucket ARN)?
 *   - can two patterns match a common value (does `arn:aws:s3:::b/logs/*` touch any object of the bucket)?
 *   - does a pattern match *every* value of another pattern (does a Deny on `arn:aws:s3:::b*` cover all objects)?
 * Policy variables (`${aws:username}`) are resolved per request, so they can stand for anything: for "could it
 * match" they behave like `*`, for "does it always match" they match nothing.
 */

const VARIABLE = /\$\{[^}]*\}/g;

/** Pattern with policy variables widened to `*` (for may-match questions). */
function widen(pattern: string): string {
  return pattern.replace(VARIABLE, "*");
}

/** Pattern with policy variables narrowed to a character no value contains (for must-match questions). */
function narrow(pattern: string): string {
  return pattern.replace(VARIABLE, "\u0002");
}

function fold(value: string, caseInsensitive: boolean): string {
  return caseInsensitive ? value.toLowerCase() : value;
}

/** Classic glob match of `pattern` against one concrete `value`. */
export function globMatches(pattern: string, value: string, caseInsensitive = false): boolean {
  // The same string: the usual case (a policy's Resource is the bucket's own ARN), decided without a regex pass.
  if (pattern === value) return true;
  return matchChars(fold(widen(pattern), caseInsensitive), fold(value, caseInsensitive));
}

function matchChars(p: string, v: string): boolean {
  // Iterative wildcard matching with backtracking to the last star: linear in practice, no recursion depth issues.
  let pi = 0;
  let vi = 0;
  let starP = -1;
  let starV = 0;
  while (vi < v.length) {
    const pc = p[pi];
    if (pc === "*") {
      starP = pi++;
      starV = vi;
    } else if (pc !== undefined && (pc === "?" || pc === v[vi])) {
      pi++;
      vi++;
    } else if (starP >= 0) {
      pi = starP + 1;
      vi = ++starV;
    } else {
      return false;
    }
  }
  while (p[pi] === "*") pi++;
  return pi === p.length;
}

const hasWildcard = (pattern: string) => pattern.includes("*") || pattern.includes("?");

/** True when some concrete value matches both patterns (glob intersection is non-empty). */
export function globsIntersect(a: string, b: string, caseInsensitive = false): boolean {
  if (a === b) return true; // a pattern's set of strings is never empty, so it meets itself
  const pa = fold(widen(a), caseInsensitive);
  const pb = fold(widen(b), caseInsensitive);
  // A pattern without wildcards is one value: the question is then whether the other pattern matches it. Most calls
  // are of this kind (a policy's resource against the bucket's objects), and the search below allocated per state.
  if (!hasWildcard(pa)) return matchChars(pb, pa);
  if (!hasWildcard(pb)) return matchChars(pa, pb);
  const width = pb.length + 1;
  const seen = new Uint8Array((pa.length + 1) * width);
  // Depth-first search over (i, j) positions, each kept as i * width + j; each state is visited once, so cost is
  // O(|a|·|b|).
  const stack: number[] = [0];
  while (stack.length > 0) {
    const key = stack.pop()!;
    if (seen[key]) continue;
    seen[key] = 1;
    const i = Math.floor(key / width);
    const j = key - i * width;
    if (i === pa.length && j === pb.length) return true;
    const ca = pa[i];
    const cb = pb[j];
    if (ca === "*") {
      stack.push(key + width); // star matches nothing more
      if (cb !== undefined) stack.push(key + 1); // star swallows b's next char (or b's star matching empty)
    }
    if (cb === "*") {
      stack.push(key + 1);
      if (ca !== undefined) stack.push(key + width);
    }
    if (ca !== undefined && cb !== undefined && ca !== "*" && cb !== "*") {
      if (ca === "?" || cb === "?" || ca === cb) stack.push(key + width + 1);
    }
  }
  return false;
}

/**
 * True when `pattern` matches every value that `subject` (itself a glob) can match. Approximation that is exact
 * for the shapes policies use: each `*` of the subject becomes a character only a `*` of the pattern can
 * match, each `?` one that `?` or `*` can match. Being conservative here only ever makes us say "not covered".
 */
export function globCovers(pattern: string, subject: string, caseInsensitive = false): boolean {
  if (pattern === subject) return true; // every set covers itself (`arn:aws:s3:::bucket/*` against the objects)
  const p = fold(narrow(pattern), caseInsensitive);
  const s = fold(narrow(subject), caseInsensitive).replace(/\*/g, "\u0000").replace(/\?/g, "\u0001");
  return coverChars(p, s);
}

function coverChars(p: string, s: string): boolean {
  let pi = 0;
  let si = 0;
  let starP = -1;
  let starS = 0;
  while (si < s.length) {
    const pc = p[pi];
    const sc = s[si]!;
    if (pc === "*") {
      starP = pi++;
      starS = si;
    } else if (
      pc !== undefined &&
      sc !== "\u0000" &&
      sc !== "\u0002" &&
      (pc === sc || (pc === "?" && sc !== "\u0002"))
    ) {
      pi++;
      si++;
    } else if (starP >= 0) {
      pi = starP + 1;
      si = ++starS;
    } else {
      return false;
    }
  }
  while (p[pi] === "*") pi++;
  return pi === p.length;
}

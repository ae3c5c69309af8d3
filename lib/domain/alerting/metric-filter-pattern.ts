/**
 * CloudWatch Logs filter patterns, read well enough to answer one question truthfully: does this metric filter on
 * a trail's log group count a given CloudTrail event — for every such event, whatever its other fields hold?
 *
 * Why not compare text with the CIS example: a pattern written differently (other order, extra parentheses, quoted
 * values, a wildcard `Put*`) is just as good, and one that looks right but says `eventSource = s3.amazonaws.co` or
 * joins the event names with `&&` counts nothing. So the pattern is parsed and evaluated.
 *
 * Evaluation is three-valued. The caller describes the event by the fields it knows (eventSource, eventName, …);
 * any other field could hold anything, so a test on it is `unknown`. And/or follow Kleene logic, and the filter
 * covers the event only when the result is `true`: a filter that additionally requires, say, a source IP range
 * covers only some of those events, which is not "alerts on every change". This can call a filter incomplete when
 * two tests on one unknown field happen to complement each other (`$.x = 1 || $.x != 1`) — the safe direction.
 *
 * Supported (the syntax AWS documents for JSON log events and for terms):
 *   { SELECTOR = value } with =, !=, <, >, <=, >=; values quoted "…", unquoted, with `*` wildcards, numbers,
 *   %regex%; SELECTOR IS NULL | IS TRUE | IS FALSE | NOT EXISTS; && and || with parentheses;
 *   term patterns: `term "a phrase" ?any ?of -excluded`; the empty pattern (matches every event).
 * Space-delimited patterns (`[ip, user, …]`) describe text logs, not CloudTrail's JSON: they are "not understood".
 */
export type Truth = true | false | "unknown";

/** What is known about an event: its known fields, by JSON path without the `$.` (`eventName`, `userIdentity.type`). */
export type KnownEventFields = Readonly<Record<string, string | number | boolean | null>>;

type Comparison = "=" | "!=" | "<" | ">" | "<=" | ">=";
type Value = { kind: "string"; text: string } | { kind: "number"; value: number } | { kind: "regex"; source: string };

type JsonNode =
  | { kind: "and" | "or"; left: JsonNode; right: JsonNode }
  | { kind: "compare"; path: string; op: Comparison; value: Value }
  | { kind: "is"; path: string; what: "NULL" | "TRUE" | "FALSE" | "NOT EXISTS" };

export type FilterPattern =
  | { kind: "everything" }
  | { kind: "json"; root: JsonNode }
  | { kind: "terms"; required: string[]; anyOf: string[]; excluded: string[] };

export type ParsedFilterPattern = { ok: true; pattern: FilterPattern } | { ok: false; reason: string };

class PatternError extends Error {}

/** Parses a filter pattern as CloudWatch Logs stores it (FilterPattern of DescribeMetricFilters). */
export function parseFilterPattern(text: string): ParsedFilterPattern {
  const trimmed = text.trim();
  try {
    if (trimmed === "") return { ok: true, pattern: { kind: "everything" } };
    if (trimmed.startsWith("{")) return { ok: true, pattern: { kind: "json", root: parseJsonPattern(trimmed) } };
    if (trimmed.startsWith("[")) {
      return { ok: false, reason: "a space-delimited pattern ([…]) describes text logs, not CloudTrail's JSON events" };
    }
    return { ok: true, pattern: parseTermPattern(trimmed) };
  } catch (error) {
    if (error instanceof PatternError) return { ok: false, reason: error.message };
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// JSON patterns

type Token =
  | { t: "(" | ")" | "&&" | "||" | "}" }
  | { t: "op"; op: Comparison }
  | { t: "word"; text: string }
  | { t: "quoted"; text: string }
  | { t: "regex"; source: string };

function tokenize(body: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < body.length) {
    const c = body.charAt(i);
    if (/\s/.test(c)) {
      i++;
    } else if (c === "(" || c === ")" || c === "}") {
      tokens.push({ t: c });
      i++;
    } else if (body.startsWith("&&", i) || body.startsWith("||", i)) {
      tokens.push({ t: body.slice(i, i + 2) as "&&" | "||" });
      i += 2;
    } else if (c === "!" || c === "=" || c === "<" || c === ">") {
      const two = body.slice(i, i + 2);
      if (two === "!=" || two === "<=" || two === ">=") {
        tokens.push({ t: "op", op: two });
        i += 2;
      } else if (c === "!") {
        throw new PatternError(`unexpected "!" at ${i}`);
      } else {
        tokens.push({ t: "op", op: c as Comparison });
        i++;
      }
    } else if (c === '"') {
      let j = i + 1;
      let text = "";
      while (j < body.length && body[j] !== '"') {
        if (body[j] === "\\" && j + 1 < body.length) j++;
        text += body.charAt(j);
        j++;
      }
      if (j >= body.length) throw new PatternError("a quoted value is not closed");
      tokens.push({ t: "quoted", text });
      i = j + 1;
    } else if (c === "%") {
      const end = body.indexOf("%", i + 1);
      if (end < 0) throw new PatternError("a %regex% value is not closed");
      tokens.push({ t: "regex", source: body.slice(i + 1, end) });
      i = end + 1;
    } else {
      let j = i;
      while (j < body.length && !/[\s()=!<>&|}]/.test(body.charAt(j))) j++;
      tokens.push({ t: "word", text: body.slice(i, j) });
      i = j;
    }
  }
  return tokens;
}

function parseJsonPattern(text: string): JsonNode {
  const tokens = tokenize(text.slice(1));
  let pos = 0;
  const peek = () => tokens[pos];
  const next = () => {
    const token = tokens[pos++];
    if (!token) throw new PatternError("the pattern ends too early");
    return token;
  };

  function expression(): JsonNode {
    let left = conjunction();
    while (peek()?.t === "||") {
      pos++;
      left = { kind: "or", left, right: conjunction() };
    }
    return left;
  }
  function conjunction(): JsonNode {
    let left = primary();
    while (peek()?.t === "&&") {
      pos++;
      left = { kind: "and", left, right: primary() };
    }
    return left;
  }
  function primary(): JsonNode {
    const token = next();
    if (token.t === "(") {
      const inner = expression();
      if (next().t !== ")") throw new PatternError("a parenthesis is not closed");
      return inner;
    }
    if (token.t !== "word" || !token.text.startsWith("$")) {
      throw new PatternError(`expected a selector such as $.eventName, found ${describe(token)}`);
    }
    const path = selectorPath(token.text);
    const after = next();
    if (after.t === "op") return { kind: "compare", path, op: after.op, value: value(after.op) };
    if (after.t === "word" && after.text.toUpperCase() === "IS") {
      const what = next();
      const word = what.t === "word" ? what.text.toUpperCase() : "";
      if (word === "NULL" || word === "TRUE" || word === "FALSE") return { kind: "is", path, what: word };
      throw new PatternError(`expected NULL, TRUE or FALSE after IS, found ${describe(what)}`);
    }
    if (after.t === "word" && after.text.toUpperCase() === "NOT") {
      const what = next();
      if (what.t === "word" && what.text.toUpperCase() === "EXISTS") return { kind: "is", path, what: "NOT EXISTS" };
      throw new PatternError(`expected EXISTS after NOT, found ${describe(what)}`);
    }
    throw new PatternError(`expected a comparison after ${token.text}, found ${describe(after)}`);
  }
  function value(op: Comparison): Value {
    const token = next();
    if (token.t === "quoted") return { kind: "string", text: token.text };
    if (token.t === "regex") {
      if (op !== "=" && op !== "!=") throw new PatternError("a %regex% value needs = or !=");
      return { kind: "regex", source: token.source };
    }
    if (token.t === "word") {
      const number = Number(token.text);
      return token.text !== "" && Number.isFinite(number)
        ? { kind: "number", value: number }
        : { kind: "string", text: token.text };
    }
    throw new PatternError(`expected a value, found ${describe(token)}`);
  }

  const root = expression();
  if (next().t !== "}") throw new PatternError("expected } after the pattern");
  if (pos !== tokens.length) throw new PatternError("text after the closing }");
  return root;
}

function selectorPath(selector: string): string {
  if (!/^\$(\.[A-Za-z0-9_@-]+|\[\d+\])+$/.test(selector)) throw new PatternError(`not a selector: ${selector}`);
  return selector
    .slice(1)
    .replace(/\[(\d+)\]/g, ".$1")
    .replace(/^\./, "");
}

function describe(token: Token): string {
  if (token.t === "word") return `"${token.text}"`;
  if (token.t === "quoted") return `"${token.text}"`;
  if (token.t === "op") return `"${token.op}"`;
  if (token.t === "regex") return `%${token.source}%`;
  return `"${token.t}"`;
}

// ---------------------------------------------------------------------------------------------------------------
// Term patterns

function parseTermPattern(text: string): FilterPattern {
  const required: string[] = [];
  const anyOf: string[] = [];
  const excluded: string[] = [];
  const re = /([?-]?)(?:"((?:[^"\\]|\\.)*)"|(\S+))/g;
  let consumed = 0;
  for (const m of text.matchAll(re)) {
    if (text.slice(consumed, m.index).trim() !== "") throw new PatternError("a quoted term is not closed");
    consumed = m.index + m[0].length;
    const term = m[2] !== undefined ? m[2].replace(/\\(.)/g, "$1") : (m[3] ?? "");
    if (term.includes('"')) throw new PatternError("a quoted term is not closed");
    (m[1] === "?" ? anyOf : m[1] === "-" ? excluded : required).push(term);
  }
  return { kind: "terms", required, anyOf, excluded };
}

// ---------------------------------------------------------------------------------------------------------------
// Evaluation

const and = (a: Truth, b: Truth): Truth =>
  a === false || b === false ? false : a === true && b === true ? true : "unknown";
const or = (a: Truth, b: Truth): Truth =>
  a === true || b === true ? true : a === false && b === false ? false : "unknown";
const not = (a: Truth): Truth => (a === "unknown" ? "unknown" : !a);

/** Does the pattern match an event of which only `known` is known? `unknown` when it depends on the rest. */
export function patternMatches(pattern: FilterPattern, known: KnownEventFields): Truth {
  if (pattern.kind === "everything") return true;
  if (pattern.kind === "json") return evaluateJson(pattern.root, known);
  // A term matches anywhere in the raw event text: found in a known value → true; otherwise the unknown rest of
  // the event could still contain it.
  const values = Object.values(known).map((v) => String(v));
  const found = (term: string): Truth => (values.some((v) => v.includes(term)) ? true : "unknown");
  let result: Truth = true;
  for (const term of pattern.required) result = and(result, found(term));
  if (pattern.anyOf.length > 0) result = and(result, pattern.anyOf.map(found).reduce(or, false as Truth));
  for (const term of pattern.excluded) result = and(result, found(term) === true ? false : "unknown");
  return result;
}

function evaluateJson(node: JsonNode, known: KnownEventFields): Truth {
  switch (node.kind) {
    case "and":
      return and(evaluateJson(node.left, known), evaluateJson(node.right, known));
    case "or":
      return or(evaluateJson(node.left, known), evaluateJson(node.right, known));
    case "is": {
      if (!(node.path in known)) return "unknown";
      const field = known[node.path] ?? null;
      if (node.what === "NOT EXISTS") return false;
      if (node.what === "NULL") return field === null;
      return field === (node.what === "TRUE");
    }
    case "compare": {
      if (!(node.path in known)) return "unknown";
      const field = known[node.path] ?? null;
      if (node.op === "=" || node.op === "!=") {
        const equal = valueEquals(node.value, field);
        return node.op === "=" ? equal : not(equal);
      }
      if (node.value.kind !== "number" || typeof field !== "number") return false;
      const [a, b] = [field, node.value.value];
      return node.op === "<" ? a < b : node.op === ">" ? a > b : node.op === "<=" ? a <= b : a >= b;
    }
  }
}

function valueEquals(value: Value, field: string | number | boolean | null): Truth {
  if (field === null) return false;
  if (value.kind === "number")
    return typeof field === "number" ? field === value.value : String(field) === String(value.value);
  const text = String(field);
  if (value.kind === "string") return starMatches(value.text, text);
  try {
    return new RegExp(value.source).test(text);
  } catch {
    // AWS accepted the pattern; a regex JavaScript cannot read is not a reason to claim a match or a miss.
    return "unknown";
  }
}

/** CloudWatch's wildcard: `*` stands for any run of characters; nothing else is special. */
function starMatches(pattern: string, text: string): boolean {
  const source = pattern
    .split("*")
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
    .join(".*");
  return new RegExp(`^${source}$`, "s").test(text);
}

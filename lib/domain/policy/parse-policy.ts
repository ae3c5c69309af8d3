/**
 * Parse a bucket policy document into a normalized shape. AWS accepts several spellings of the same thing
 * (a single statement object or an array, a string or an array for Action/Resource/condition values, `"*"` or
 * `{"AWS": "*"}` for everyone, booleans or strings in conditions); analysis code should see exactly one.
 *
 * Read what AWS stores, leniently: a policy AWS accepted must get a verdict. A Principal written as a bare ARN or
 * account id string is an AWS principal; a statement without Action/NotAction (or Resource/NotResource) matches no
 * request; a missing or empty Statement list grants nothing. Only text that is not a JSON policy object at all, or
 * a statement whose shape cannot be understood (no Effect, a non-string action…), is an error with a reason —
 * never an empty (and therefore "safe-looking") policy: the caller must report that analysis as unknown.
 */

export type PrincipalType = "AWS" | "Service" | "Federated" | "CanonicalUser";

export interface PrincipalValue {
  type: PrincipalType;
  /** `"*"` for the wildcard; a `Principal: "*"` string is normalized to `{ type: "AWS", value: "*" }`. */
  value: string;
}

export interface ConditionClause {
  /** Operator as written, e.g. `ForAnyValue:StringEqualsIfExists`. */
  operator: string;
  /** Operator without set qualifier and IfExists suffix, e.g. `StringEquals`. */
  baseOperator: string;
  setQualifier: "ForAnyValue" | "ForAllValues" | null;
  ifExists: boolean;
  /** Condition key as written (keys are case-insensitive in IAM). */
  key: string;
  /** Lower-cased key, for comparisons. */
  keyLower: string;
  /** Values as strings (JSON booleans and numbers are stringified, as IAM does). */
  values: string[];
}

export interface PolicyStatement {
  index: number;
  sid: string | null;
  effect: "Allow" | "Deny";
  principal: { negated: boolean; values: PrincipalValue[] };
  /** `values` is empty when the statement has neither Action nor NotAction: it matches no request. */
  actions: { negated: boolean; values: string[] };
  /** `values` is empty when the statement has neither Resource nor NotResource: it matches no request. */
  resources: { negated: boolean; values: string[] };
  conditions: ConditionClause[];
}

export interface ParsedPolicy {
  version: string | null;
  id: string | null;
  statements: PolicyStatement[];
}

export type ParsePolicyResult = { ok: true; policy: ParsedPolicy } | { ok: false; error: string };

const PRINCIPAL_TYPES: readonly PrincipalType[] = ["AWS", "Service", "Federated", "CanonicalUser"];

class PolicyShapeError extends Error {}

function fail(message: string): never {
  throw new PolicyShapeError(message);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** IAM element names are case-sensitive in the grammar, but AWS tolerates case variants; we accept them too. */
function field(obj: Record<string, unknown>, name: string): unknown {
  if (name in obj) return obj[name];
  const lower = name.toLowerCase();
  for (const key of Object.keys(obj)) if (key.toLowerCase() === lower) return obj[key];
  return undefined;
}

function hasField(obj: Record<string, unknown>, name: string): boolean {
  return field(obj, name) !== undefined;
}

function stringList(value: unknown, where: string, allowEmpty = false): string[] {
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0 && !allowEmpty) fail(`${where} is an empty list`);
  return list.map((item, i) => {
    if (typeof item !== "string") fail(`${where}${Array.isArray(value) ? `[${i}]` : ""} must be a string`);
    if (item.length === 0) fail(`${where}${Array.isArray(value) ? `[${i}]` : ""} is an empty string`);
    return item;
  });
}

function parsePrincipal(value: unknown, where: string): PrincipalValue[] {
  if (value === "*") return [{ type: "AWS", value: "*" }];
  // AWS stores a bare account id or ARN string as the AWS principal it names.
  if (typeof value === "string" && BARE_AWS_PRINCIPAL.test(value.trim())) return [{ type: "AWS", value: value.trim() }];
  if (typeof value === "string")
    fail(`${where} must be "*", an account id or ARN, or an object such as {"AWS": ...}, got "${value}"`);
  if (!isObject(value)) fail(`${where} must be "*" or an object such as {"AWS": ...}`);
  const keys = Object.keys(value);
  if (keys.length === 0) fail(`${where} is an empty object`);
  const out: PrincipalValue[] = [];
  for (const key of keys) {
    const type = PRINCIPAL_TYPES.find((t) => t.toLowerCase() === key.toLowerCase());
    if (!type)
      fail(`${where} has an unknown principal type "${key}" (expected AWS, Service, Federated or CanonicalUser)`);
    for (const v of stringList(value[key], `${where}.${key}`)) out.push({ type, value: v.trim() });
  }
  return out;
}

const BARE_AWS_PRINCIPAL = /^(\d{12}|arn:aws[a-z-]*:(iam|sts)::.+)$/i;

const SET_QUALIFIER = /^(ForAnyValue|ForAllValues):/i;

function parseConditions(value: unknown, where: string): ConditionClause[] {
  if (value === undefined) return [];
  if (!isObject(value)) fail(`${where} must be an object of operator → {key: value}`);
  const clauses: ConditionClause[] = [];
  for (const [operator, block] of Object.entries(value)) {
    if (!isObject(block)) fail(`${where}.${operator} must be an object of key → value`);
    const qualifierMatch = SET_QUALIFIER.exec(operator);
    const setQualifier = qualifierMatch
      ? qualifierMatch[1]!.toLowerCase() === "foranyvalue"
        ? "ForAnyValue"
        : "ForAllValues"
      : null;
    let base = qualifierMatch ? operator.slice(qualifierMatch[0].length) : operator;
    const ifExists = /IfExists$/i.test(base) && base.toLowerCase() !== "null";
    if (ifExists) base = base.slice(0, -"IfExists".length);
    if (base.length === 0) fail(`${where} has an empty operator "${operator}"`);
    for (const [key, raw] of Object.entries(block)) {
      const list = Array.isArray(raw) ? raw : [raw];
      if (list.length === 0) fail(`${where}.${operator}.${key} is an empty list`);
      const values = list.map((item, i) => {
        if (typeof item === "string") return item;
        if (typeof item === "boolean" || typeof item === "number") return String(item);
        return fail(
          `${where}.${operator}.${key}${Array.isArray(raw) ? `[${i}]` : ""} must be a string, number or boolean`,
        );
      });
      clauses.push({ operator, baseOperator: base, setQualifier, ifExists, key, keyLower: key.toLowerCase(), values });
    }
  }
  return clauses;
}

function pair(
  stmt: Record<string, unknown>,
  positive: string,
  negative: string,
  where: string,
  required: boolean,
): { negated: boolean; raw: unknown } | null {
  const hasPos = hasField(stmt, positive);
  const hasNeg = hasField(stmt, negative);
  if (hasPos && hasNeg) fail(`${where} has both ${positive} and ${negative}`);
  if (!hasPos && !hasNeg) {
    if (required) fail(`${where} has neither ${positive} nor ${negative}`);
    return null;
  }
  return hasPos ? { negated: false, raw: field(stmt, positive) } : { negated: true, raw: field(stmt, negative) };
}

function parseStatement(raw: unknown, index: number, where: string): PolicyStatement {
  if (!isObject(raw)) fail(`${where} must be an object`);
  const effect = field(raw, "Effect");
  if (effect !== "Allow" && effect !== "Deny") fail(`${where}.Effect must be "Allow" or "Deny"`);
  const sidRaw = field(raw, "Sid");
  if (sidRaw !== undefined && typeof sidRaw !== "string") fail(`${where}.Sid must be a string`);
  const principalPair = pair(raw, "Principal", "NotPrincipal", where, true)!;
  // No Action/NotAction (or Resource/NotResource): IAM matches a request only against elements that are there,
  // so such a statement matches nothing — an empty, non-negated list says exactly that.
  const actionPair = pair(raw, "Action", "NotAction", where, false) ?? { negated: false, raw: [] };
  const resourcePair = pair(raw, "Resource", "NotResource", where, false) ?? { negated: false, raw: [] };
  const principalName = principalPair.negated ? "NotPrincipal" : "Principal";
  const actionName = actionPair.negated ? "NotAction" : "Action";
  const resourceName = resourcePair.negated ? "NotResource" : "Resource";
  return {
    index,
    sid: typeof sidRaw === "string" && sidRaw.length > 0 ? sidRaw : null,
    effect,
    principal: {
      negated: principalPair.negated,
      values: parsePrincipal(principalPair.raw, `${where}.${principalName}`),
    },
    actions: {
      negated: actionPair.negated,
      values: stringList(actionPair.raw, `${where}.${actionName}`, !actionPair.negated),
    },
    resources: {
      negated: resourcePair.negated,
      values: stringList(resourcePair.raw, `${where}.${resourceName}`, !resourcePair.negated),
    },
    conditions: parseConditions(field(raw, "Condition"), `${where}.Condition`),
  };
}

/**
 * The last policy string parsed and its result: one evaluation parses a bucket's policy for its exposure and again
 * for its effective access, one after the other. Results are shared, so callers only read them.
 */
let lastParsed: { json: string; result: ParsePolicyResult } | null = null;

/** Parse a policy given as the JSON string GetBucketPolicy returns, or as an already-parsed object (read-only). */
export function parseBucketPolicy(input: unknown): ParsePolicyResult {
  if (typeof input !== "string") return parsePolicyDocument(input);
  if (lastParsed?.json === input) return lastParsed.result;
  const result = parsePolicyDocument(input);
  lastParsed = { json: input, result };
  return result;
}

function parsePolicyDocument(input: unknown): ParsePolicyResult {
  let doc: unknown = input;
  if (typeof input === "string") {
    if (input.trim().length === 0) return { ok: false, error: "policy document is empty" };
    try {
      doc = JSON.parse(input);
    } catch (e) {
      return { ok: false, error: `policy is not valid JSON: ${(e as Error).message}` };
    }
  }
  try {
    if (!isObject(doc)) fail("policy must be a JSON object");
    const statementRaw = field(doc, "Statement");
    // A missing or empty Statement list grants nothing (AWS has stored such policies); it is not unreadable.
    const list =
      statementRaw === undefined || statementRaw === null
        ? []
        : Array.isArray(statementRaw)
          ? statementRaw
          : [statementRaw];
    const single = !Array.isArray(statementRaw);
    const statements = list.map((s, i) => parseStatement(s, i, single ? "Statement" : `Statement[${i}]`));
    const version = field(doc, "Version");
    const id = field(doc, "Id");
    return {
      ok: true,
      policy: {
        version: typeof version === "string" ? version : null,
        id: typeof id === "string" ? id : null,
        statements,
      },
    };
  } catch (e) {
    if (e instanceof PolicyShapeError) return { ok: false, error: `invalid policy: ${e.message}` };
    throw e;
  }
}

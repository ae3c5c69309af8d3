/**
 * policy:analyze — analyse one S3 bucket policy from a file or stdin and print one JSON object.
 *
 *   npm run --silent policy:analyze -- <policy.json|-> [--account <owner account id>] [--bucket <name>]
 *
 * Exit 0 with the analysis; exit 2 with {"error": "..."} when the input is not a readable policy (or the
 * arguments are wrong). Without --bucket the bucket is taken from the first S3 ARN in the policy's Resource
 * elements; without --account every account principal counts as cross-account. All logic is in lib/domain.
 */
import { readFileSync } from "node:fs";
import { analyzeBucketPolicy } from "../lib/domain/policy/analyze-policy";
import { parseBucketPolicy } from "../lib/domain/policy/parse-policy";

const USAGE = "usage: policy:analyze <policy.json|-> [--account <owner account id>] [--bucket <name>]";

function fail(error: string): never {
  process.stdout.write(`${JSON.stringify({ error })}\n`);
  process.exit(2);
}

function parseArgs(argv: string[]): { source: string; account: string | null; bucket: string | null } {
  let source: string | null = null;
  let account: string | null = null;
  let bucket: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--account" || arg === "--bucket") {
      const value = argv[++i];
      if (value === undefined || value.startsWith("--")) fail(`${arg} needs a value; ${USAGE}`);
      if (arg === "--account") account = value;
      else bucket = value;
    } else if (arg.startsWith("--account=")) {
      account = arg.slice("--account=".length);
    } else if (arg.startsWith("--bucket=")) {
      bucket = arg.slice("--bucket=".length);
    } else if (source === null) {
      source = arg;
    } else {
      fail(`unexpected argument "${arg}"; ${USAGE}`);
    }
  }
  if (source === null) fail(USAGE);
  if (account !== null && !/^\d{12}$/.test(account))
    fail(`--account must be a 12-digit AWS account id, got "${account}"`);
  return { source, account, bucket };
}

function readSource(source: string): string {
  try {
    return source === "-" ? readFileSync(0, "utf8") : readFileSync(source, "utf8");
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    fail(`cannot read ${source === "-" ? "stdin" : source}: ${err.code ?? err.message}`);
  }
}

/**
 * The bucket a policy is about: the first `arn:aws:s3:::NAME[/...]` in any Resource element. A wildcarded name
 * (`logs-*`) is instantiated (`logs-x`) so that the statements written for it still apply.
 */
function bucketFromPolicy(text: string): string | null {
  const parsed = parseBucketPolicy(text);
  if (!parsed.ok) return null;
  const patterns = parsed.policy.statements
    .filter((s) => !s.resources.negated)
    .flatMap((s) => s.resources.values)
    .map((r) => /^arn:aws[a-z-]*:s3:::([^/]+)/.exec(r)?.[1])
    .filter((name): name is string => name !== undefined);
  const literal = patterns.find((name) => !/[*?$]/.test(name));
  if (literal) return literal;
  const wild = patterns.find((name) => name.replace(/[*?]/g, "").length > 0 && !name.includes("$"));
  return wild ? wild.replace(/\*/g, "x").replace(/\?/g, "x") : null;
}

const { source, account, bucket } = parseArgs(process.argv.slice(2));
const text = readSource(source);
const analysis = analyzeBucketPolicy(text, {
  ownerAccountId: account ?? "",
  bucketName: bucket ?? bucketFromPolicy(text) ?? "bucket",
});
if (analysis.error !== null) fail(analysis.error);
process.stdout.write(
  `${JSON.stringify({
    isPublic: analysis.isPublic,
    allowsPublicWrite: analysis.allowsPublicWrite,
    enforcesSecureTransport: analysis.enforcesSecureTransport,
    crossAccountPrincipals: [...new Set(analysis.crossAccountPrincipals.map((c) => c.principal))],
    statements: analysis.statements.map((s) => s.why),
    error: null,
  })}\n`,
);
process.exit(0);

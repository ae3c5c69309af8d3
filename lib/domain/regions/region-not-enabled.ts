/**
 * "A region that is not enabled is said so, not failed." Regions launched since March 2019 are opt-in: an account
 * must enable them before any service answers it there. Asked anyway, AWS does not say "not enabled":
 *   - STS names it: `RegionDisabledException` (HTTP 403, "STS is not activated in the requested Region", see
 *     shared/reference/aws-facts.md §1.2–1.3 — for an opt-in region it must be enabled in both accounts);
 *   - every other service rejects the caller's credentials, which it does not know in a region the account has not
 *     enabled: `UnrecognizedClientException` (JSON protocol: Logs, KMS, CloudTrail, Config, Macie) or
 *     `InvalidClientTokenId` (query protocol: SNS, CloudWatch, STS), "The security token included in the request is
 *     invalid".
 * The last two also mean "bad credentials" — but the same credentials just worked in the account's home region (a
 * sync only reaches a regional call after that), so in an opt-in region they mean the region is not enabled; in a
 * region enabled by default they keep their own meaning. Pure.
 */

/** Regions every account has enabled (launched before March 2019); every other region is opt-in. */
const ENABLED_BY_DEFAULT = new Set([
  "us-east-1",
  "us-east-2",
  "us-west-1",
  "us-west-2",
  "ca-central-1",
  "sa-east-1",
  "eu-west-1",
  "eu-west-2",
  "eu-west-3",
  "eu-central-1",
  "eu-north-1",
  "ap-south-1",
  "ap-northeast-1",
  "ap-northeast-2",
  "ap-northeast-3",
  "ap-southeast-1",
  "ap-southeast-2",
]);

export function isOptInRegion(region: string): boolean {
  // Partitions other than aws (GovCloud, China) have no opt-in regions.
  if (/^(us-gov|cn|us-iso)/.test(region)) return false;
  return !ENABLED_BY_DEFAULT.has(region);
}

const CREDENTIALS_UNKNOWN_HERE = new Set(["UnrecognizedClientException", "InvalidClientTokenId"]);

/** Does this error, from a call in `region`, mean the account has not enabled that region? */
export function isRegionNotEnabledError(error: { name: string }, region: string): boolean {
  if (error.name === "RegionDisabledException") return true;
  return CREDENTIALS_UNKNOWN_HERE.has(error.name) && isOptInRegion(region);
}

/** The code a read's reason starts with when its region is not enabled ("RegionNotEnabled: …"). */
export const REGION_NOT_ENABLED = "RegionNotEnabled";

/** The error a read refused because its region is not enabled is stored as, AWS's own words kept. */
export function regionNotEnabledError(region: string, error: { name: string; message: string }) {
  return {
    name: REGION_NOT_ENABLED,
    message: `region ${region} is not enabled in this account (AWS answered ${error.name}: ${error.message})`,
  };
}

/** The region a stored reason says is not enabled, or null. */
export function regionNotEnabledIn(reason: string): string | null {
  const m = new RegExp(`${REGION_NOT_ENABLED}: region ([a-z0-9-]+) is not enabled`).exec(reason);
  return m ? m[1]! : null;
}

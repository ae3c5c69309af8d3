/**
 * The "get" half of get → transform: an SDK call either answers or fails, and both outcomes are data. Transforms
 * decide what a failure means (absent setting vs. unknown), so the get side never interprets errors itself.
 */
import { isRegionNotEnabledError, regionNotEnabledError } from "@/lib/domain/regions/region-not-enabled";

export interface AwsCallError {
  /** SDK v3 error name = the AWS error code (e.g. "NoSuchBucketPolicy", "AccessDenied", "SlowDown"). */
  name: string;
  message: string;
  httpStatusCode?: number;
}

export type AwsResult<T> = { ok: true; output: T } | { ok: false; error: AwsCallError };

/** Normalises anything thrown by `send()` (ServiceException, CredentialsProviderError, plain Error, string). */
export function toAwsCallError(err: unknown): AwsCallError {
  if (err && typeof err === "object") {
    const e = err as { name?: unknown; message?: unknown; Code?: unknown; $metadata?: { httpStatusCode?: unknown } };
    const status = typeof e.$metadata?.httpStatusCode === "number" ? e.$metadata.httpStatusCode : undefined;
    let name = typeof e.name === "string" && e.name ? e.name : typeof e.Code === "string" ? e.Code : "Error";
    // Bodiless error responses give the SDK nothing to name the error with ("Unknown" or the status as a string);
    // the status is the only meaningful signal then, so say so instead of printing "403: ...".
    if ((name === "Unknown" || /^\d{3}$/.test(name)) && status !== undefined) name = `HTTP${status}`;
    const message = typeof e.message === "string" && e.message ? e.message : "(no message)";
    return status === undefined ? { name, message } : { name, message, httpStatusCode: status };
  }
  return { name: "Error", message: String(err) };
}

export async function settle<T>(call: Promise<T>): Promise<AwsResult<T>> {
  try {
    return { ok: true, output: await call };
  } catch (err) {
    return { ok: false, error: toAwsCallError(err) };
  }
}

/**
 * settle() for a call sent to `region`: an answer that means the account has not enabled that region becomes
 * "RegionNotEnabled: region … is not enabled in this account (AWS answered …)" — said so, not a failure of the read
 * (lib/domain/regions/region-not-enabled.ts says which answers mean that).
 */
export async function settleIn<T>(region: string, call: Promise<T>): Promise<AwsResult<T>> {
  const result = await settle(call);
  if (result.ok || !isRegionNotEnabledError(result.error, region)) return result;
  return { ok: false, error: regionNotEnabledError(region, result.error) };
}

/** The reason string stored with an `unknown` setting: "<ErrorName>: <message>". */
export function describeAwsError(error: AwsCallError): string {
  return `${error.name}: ${error.message}`;
}

/**
 * A bucket change as AWS reports it: a CloudTrail management event ("AWS API Call via CloudTrail") for an S3 call
 * that changes a bucket's exposure or protection, delivered by EventBridge (each member account's default bus → the
 * hub's bus → an SQS queue; deploy/custody-events-*.json). Parsed and validated here, purely: the consumer decides
 * what to re-read from the result, and records who did what, when and from where.
 *
 * The event only says *that* something was called; Custody always re-reads the bucket's current state before
 * judging it, so a duplicate, late or out-of-order event can never make the stored state wrong.
 */
import { z } from "zod";

export const CLOUDTRAIL_DETAIL_TYPE = "AWS API Call via CloudTrail";

/** The S3 calls that change a bucket's exposure or protection (the member rule's event pattern lists exactly these). */
export const BUCKET_CHANGE_EVENT_NAMES = [
  "PutBucketAcl",
  "PutBucketPolicy",
  "DeleteBucketPolicy",
  "PutBucketCors",
  "DeleteBucketCors",
  "PutBucketPublicAccessBlock",
  "DeleteBucketPublicAccessBlock",
  "PutBucketEncryption",
  "DeleteBucketEncryption",
  "PutBucketVersioning",
  "PutBucketLogging",
  "PutBucketOwnershipControls",
  "PutBucketTagging",
  "DeleteBucketTagging",
  "PutBucketReplication",
  "PutObjectLockConfiguration",
  "CreateBucket",
  "DeleteBucket",
] as const;

/**
 * The account-wide Block Public Access calls (S3 Control PutPublicAccessBlock / DeletePublicAccessBlock). CloudTrail
 * names them PutAccountPublicAccessBlock / DeleteAccountPublicAccessBlock with eventSource s3.amazonaws.com; the API
 * names are accepted too, so a rule written either way is understood.
 */
export const ACCOUNT_CHANGE_EVENT_NAMES = [
  "PutAccountPublicAccessBlock",
  "DeleteAccountPublicAccessBlock",
  "PutPublicAccessBlock",
  "DeletePublicAccessBlock",
] as const;

export type ChangeTarget = { kind: "bucket"; bucketName: string } | { kind: "account" };

export interface ChangeEvent {
  /** CloudTrail's eventID: the idempotency key (EventBridge and SQS both deliver at least once). */
  eventId: string;
  eventName: string;
  eventTime: Date;
  /** The account whose bucket (or account setting) changed. */
  accountId: string;
  region: string;
  target: ChangeTarget;
  /** Who: the caller's ARN when CloudTrail gives one, else its principal id and type. */
  actor: { arn: string | null; type: string | null; principalId: string | null; invokedBy: string | null };
  sourceIp: string | null;
  /** Set when the call was refused (AccessDenied, …): nothing changed, but someone tried. */
  errorCode: string | null;
}

const ACCOUNT_ID = /^\d{12}$/;
// Bucket names: 3–63 characters of lowercase letters, digits, dots and hyphens (legacy us-east-1 names allowed more,
// so only the length and a conservative character set are enforced).
const BUCKET_NAME = /^[A-Za-z0-9._-]{3,255}$/;

const envelopeSchema = z.object({
  id: z.string().min(1),
  "detail-type": z.literal(CLOUDTRAIL_DETAIL_TYPE),
  source: z.literal("aws.s3"),
  // Always set by AWS; some emulators leave it out, and detail.recipientAccountId says the same.
  account: z.string().regex(ACCOUNT_ID).optional(),
  region: z.string().min(1).max(32),
  time: z.string().optional(),
  detail: z.object({
    eventSource: z.literal("s3.amazonaws.com"),
    eventName: z.string().min(1).max(128),
    eventTime: z.iso.datetime({ offset: true }),
    eventID: z.string().min(1).max(128),
    awsRegion: z.string().min(1).max(32).optional(),
    recipientAccountId: z.string().regex(ACCOUNT_ID).optional(),
    sourceIPAddress: z.string().max(256).optional(),
    errorCode: z.string().max(256).optional(),
    userIdentity: z
      .object({
        type: z.string().max(64).optional(),
        arn: z.string().max(2048).optional(),
        principalId: z.string().max(256).optional(),
        invokedBy: z.string().max(256).optional(),
      })
      .optional(),
    requestParameters: z.object({ bucketName: z.string().optional() }).loose().nullable().optional(),
  }),
});

export type ParsedChangeEvent = { ok: true; event: ChangeEvent } | { ok: false; reason: string };

const isBucketEvent = (name: string) => (BUCKET_CHANGE_EVENT_NAMES as readonly string[]).includes(name);
const isAccountEvent = (name: string) => (ACCOUNT_CHANGE_EVENT_NAMES as readonly string[]).includes(name);

/** Validates one EventBridge event (the SQS message body, already JSON-parsed) and says why when it is not one. */
export function parseChangeEvent(body: unknown): ParsedChangeEvent {
  const parsed = envelopeSchema.safeParse(body);
  if (!parsed.success) {
    const first = parsed.error.issues[0]!;
    return { ok: false, reason: `not an S3 CloudTrail event: ${first.path.join(".") || "body"}: ${first.message}` };
  }
  const e = parsed.data;
  const d = e.detail;
  const accountId = d.recipientAccountId ?? e.account;
  if (!accountId)
    return { ok: false, reason: "not an S3 CloudTrail event: neither account nor detail.recipientAccountId" };
  let target: ChangeTarget;
  if (isBucketEvent(d.eventName)) {
    const bucketName = d.requestParameters?.bucketName;
    if (!bucketName || !BUCKET_NAME.test(bucketName))
      return { ok: false, reason: `${d.eventName} without a valid requestParameters.bucketName` };
    target = { kind: "bucket", bucketName };
  } else if (isAccountEvent(d.eventName)) {
    target = { kind: "account" };
  } else {
    return { ok: false, reason: `${d.eventName} is not a call that changes a bucket's exposure or protection` };
  }
  const u = d.userIdentity ?? {};
  return {
    ok: true,
    event: {
      eventId: d.eventID,
      eventName: d.eventName,
      eventTime: new Date(d.eventTime),
      // recipientAccountId is the account the call acted on; the envelope's account is the bus it came from.
      accountId,
      region: d.awsRegion ?? e.region,
      target,
      actor: {
        arn: u.arn ?? null,
        type: u.type ?? null,
        principalId: u.principalId ?? null,
        invokedBy: u.invokedBy ?? null,
      },
      sourceIp: d.sourceIPAddress ?? null,
      errorCode: d.errorCode ?? null,
    },
  };
}

/** One re-read to do: a bucket, or an account's account-wide settings (which change every bucket's exposure). */
export interface PlannedRefresh {
  accountId: string;
  target: ChangeTarget;
  /** The events it answers, oldest first (duplicates by event id removed). */
  events: ChangeEvent[];
}

/**
 * Coalesces a window of events into refreshes: at most one per bucket and one per account-wide change, each with
 * every distinct event it answers. Refused calls (errorCode) changed nothing, so they need no re-read, but they are
 * kept on the refresh of their bucket when there is one (the timeline shows the attempt).
 */
export function planRefreshes(events: ChangeEvent[]): { refreshes: PlannedRefresh[]; refusedOnly: ChangeEvent[] } {
  const seen = new Set<string>();
  const byTarget = new Map<string, PlannedRefresh>();
  const sorted = [...events].sort((a, b) => a.eventTime.getTime() - b.eventTime.getTime());
  for (const event of sorted) {
    if (seen.has(event.eventId)) continue;
    seen.add(event.eventId);
    const key =
      event.target.kind === "bucket" ? `${event.accountId}/b/${event.target.bucketName}` : `${event.accountId}/account`;
    const planned = byTarget.get(key);
    if (planned) planned.events.push(event);
    else byTarget.set(key, { accountId: event.accountId, target: event.target, events: [event] });
  }
  const refreshes: PlannedRefresh[] = [];
  const refusedOnly: ChangeEvent[] = [];
  for (const p of byTarget.values()) {
    if (p.events.every((e) => e.errorCode !== null)) refusedOnly.push(...p.events);
    else refreshes.push(p);
  }
  return { refreshes, refusedOnly };
}

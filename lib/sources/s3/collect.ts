/**
 * S3 collector for one account: list buckets, resolve each bucket's region, then read twelve settings per bucket
 * with a client in the bucket's own region (one S3 client per region; followRegionRedirects on the real clients is
 * only the safety net). One bucket failing never stops the others.
 */
import {
  GetBucketAclCommand,
  GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketLocationCommand,
  GetBucketLoggingCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand,
  GetBucketPolicyStatusCommand,
  GetBucketReplicationCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  GetObjectLockConfigurationCommand,
  GetPublicAccessBlockCommand,
  ListBucketsCommand,
  type Bucket,
  S3Client,
} from "@aws-sdk/client-s3";
import { allUnknown, type AccountSettings, type BucketSettings } from "@/lib/domain/bucket-settings";
import { settle, describeAwsError } from "@/lib/sources/shared/aws-call-result";
import type { AccountClients, AwsService } from "@/lib/sources/shared/connector";
import { mapWithConcurrency } from "@/lib/map-with-concurrency";
import { collectAccountPublicAccessBlock, s3controlService } from "@/lib/sources/s3control/collect";
import {
  bucketArn,
  regionFromLocationConstraint,
  transformAcl,
  transformEncryption,
  transformLifecycle,
  transformLogging,
  transformObjectLock,
  transformOwnershipControls,
  transformPolicy,
  transformPolicyStatus,
  transformPublicAccessBlock,
  transformReplication,
  transformTagging,
  transformVersioning,
} from "./transform";

/** The S3 client of an account and region, as the real connector builds it. */
export const s3Service: AwsService<S3Client> = {
  key: "s3",
  create: (config, options) =>
    new S3Client({
      ...config,
      // Safety net only: the collector already sends each bucket's calls to its own region.
      followRegionRedirects: true,
      ...(options.forcePathStyle !== undefined ? { forcePathStyle: options.forcePathStyle } : {}),
    }),
};

export interface CollectedBucket {
  name: string;
  arn: string;
  region: string;
  createdAt: string | null;
  settings: BucketSettings;
}

export interface S3AccountCollection {
  accountSettings: AccountSettings;
  buckets: CollectedBucket[];
  /** ListBuckets failed: the bucket list is incomplete (empty), so nothing may be marked gone for this account. */
  listError: { code: string; message: string } | null;
}

export interface CollectS3AccountOptions {
  accountId: string;
  /** Region used for account-wide calls (ListBuckets, S3 Control, GetBucketLocation). */
  homeRegion: string;
  bucketConcurrency?: number;
  onProgress?: (p: { bucketsTotal: number; bucketsDone: number }) => void;
}

/** The region of a bucket we could not locate; its settings are read through the home-region client. */
export const UNKNOWN_REGION = "unknown";

/** Page size for ListBuckets; setting MaxBuckets is also what makes AWS return BucketRegion. */
const LIST_BUCKETS_PAGE_SIZE = 1000;

export async function collectS3Account(
  clients: AccountClients,
  opts: CollectS3AccountOptions,
): Promise<S3AccountCollection> {
  const home = clients.get(s3Service, opts.homeRegion);
  const accountPab = collectAccountPublicAccessBlock(clients.get(s3controlService, opts.homeRegion), opts.accountId);

  const listed = await listAllBuckets(home);
  const accountSettings: AccountSettings = { publicAccessBlock: await accountPab };
  if (!listed.ok) return { accountSettings, buckets: [], listError: listed.error };

  const total = listed.buckets.length;
  let done = 0;
  opts.onProgress?.({ bucketsTotal: total, bucketsDone: 0 });
  const buckets = await mapWithConcurrency(listed.buckets, opts.bucketConcurrency ?? 8, async (bucket) => {
    const collected = await collectBucket(clients, home, opts.homeRegion, bucket);
    done += 1;
    opts.onProgress?.({ bucketsTotal: total, bucketsDone: done });
    return collected;
  });
  return { accountSettings, buckets, listError: null };
}

/**
 * One bucket re-read after a change event (lib/events): its region, then every setting, as a full sync reads it.
 * `gone` when AWS says the bucket does not exist (NoSuchBucket) — a deleted bucket; any other failure leaves the
 * settings unknown with the reason, never a guess.
 */
export async function collectS3Bucket(
  clients: AccountClients,
  opts: { bucketName: string; homeRegion: string },
): Promise<{ gone: true } | { gone: false; bucket: CollectedBucket }> {
  const home = clients.get(s3Service, opts.homeRegion);
  const location = await settle(home.send(new GetBucketLocationCommand({ Bucket: opts.bucketName })));
  if (!location.ok && location.error.name === "NoSuchBucket") return { gone: true };
  const bucket = location.ok
    ? { Name: opts.bucketName, BucketRegion: regionFromLocationConstraint(location.output.LocationConstraint) }
    : { Name: opts.bucketName };
  return { gone: false, bucket: await collectBucket(clients, home, opts.homeRegion, bucket) };
}

type ListedBuckets = { ok: true; buckets: Bucket[] } | { ok: false; error: { code: string; message: string } };

async function listAllBuckets(client: Pick<S3Client, "send">): Promise<ListedBuckets> {
  const buckets: Bucket[] = [];
  let token: string | undefined;
  do {
    const page = await settle(
      client.send(new ListBucketsCommand({ MaxBuckets: LIST_BUCKETS_PAGE_SIZE, ContinuationToken: token })),
    );
    if (!page.ok) return { ok: false, error: { code: page.error.name, message: page.error.message } };
    buckets.push(...(page.output.Buckets ?? []));
    token = page.output.ContinuationToken || undefined;
  } while (token);
  return { ok: true, buckets };
}

async function resolveRegion(
  home: Pick<S3Client, "send">,
  bucket: Bucket & { Name: string },
): Promise<{ region: string } | { region: null; reason: string; code: string }> {
  if (bucket.BucketRegion) return { region: bucket.BucketRegion };
  const location = await settle(home.send(new GetBucketLocationCommand({ Bucket: bucket.Name })));
  if (location.ok) return { region: regionFromLocationConstraint(location.output.LocationConstraint) };
  return { region: null, reason: describeAwsError(location.error), code: location.error.name };
}

async function collectBucket(
  clients: AccountClients,
  home: Pick<S3Client, "send">,
  homeRegion: string,
  bucket: Bucket,
): Promise<CollectedBucket> {
  const name = bucket.Name ?? "";
  const createdAt = bucket.CreationDate ? new Date(bucket.CreationDate).toISOString() : null;
  try {
    const located = await resolveRegion(home, { ...bucket, Name: name });
    const region = located.region ?? UNKNOWN_REGION;
    // Without a region we still try through the home client: real clients follow the redirect; if not, every
    // setting comes back unknown with the redirect as its reason, which is the truth.
    const client = located.region ? clients.get(s3Service, located.region) : home;
    const settings = await readBucketSettings(client, name);
    return { name, arn: bucketArn(name, located.region ?? homeRegion), region, createdAt, settings };
  } catch (err) {
    // Defensive: clients.get(s3Service, region) itself may throw (e.g. an invalid region string). Keep the bucket, unknown.
    const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    return { name, arn: bucketArn(name, homeRegion), region: UNKNOWN_REGION, createdAt, settings: allUnknown(message) };
  }
}

async function readBucketSettings(client: Pick<S3Client, "send">, bucket: string): Promise<BucketSettings> {
  const input = { Bucket: bucket };
  const [
    encryption,
    versioning,
    logging,
    publicAccessBlock,
    policy,
    policyStatus,
    acl,
    ownership,
    tags,
    objectLock,
    lifecycle,
    replication,
  ] = await Promise.all([
    settle(client.send(new GetBucketEncryptionCommand(input))),
    settle(client.send(new GetBucketVersioningCommand(input))),
    settle(client.send(new GetBucketLoggingCommand(input))),
    settle(client.send(new GetPublicAccessBlockCommand(input))),
    settle(client.send(new GetBucketPolicyCommand(input))),
    settle(client.send(new GetBucketPolicyStatusCommand(input))),
    settle(client.send(new GetBucketAclCommand(input))),
    settle(client.send(new GetBucketOwnershipControlsCommand(input))),
    settle(client.send(new GetBucketTaggingCommand(input))),
    settle(client.send(new GetObjectLockConfigurationCommand(input))),
    settle(client.send(new GetBucketLifecycleConfigurationCommand(input))),
    settle(client.send(new GetBucketReplicationCommand(input))),
  ]);
  return {
    encryption: transformEncryption(encryption),
    versioning: transformVersioning(versioning),
    logging: transformLogging(logging),
    publicAccessBlock: transformPublicAccessBlock(publicAccessBlock),
    policy: transformPolicy(policy),
    policyStatus: transformPolicyStatus(policyStatus),
    acl: transformAcl(acl),
    ownershipControls: transformOwnershipControls(ownership),
    tags: transformTagging(tags),
    objectLock: transformObjectLock(objectLock),
    lifecycle: transformLifecycle(lifecycle),
    replication: transformReplication(replication),
  };
}

/**
 * Amazon Macie collector for one account and region: whether Macie is on, the active sensitive-data and policy
 * findings on S3 buckets, and Macie's per-bucket sensitivity profile. Macie is regional, like Config.
 */
import {
  DescribeBucketsCommand,
  GetFindingsCommand,
  GetMacieSessionCommand,
  ListFindingsCommand,
  type BucketMetadata,
  type Finding,
  Macie2Client,
} from "@aws-sdk/client-macie2";
import { describeAwsError, settle, type AwsCallError } from "@/lib/sources/shared/aws-call-result";
import type { AwsService } from "@/lib/sources/shared/connector";

/** The Amazon Macie client of an account and region. */
export const macieService: AwsService<Macie2Client> = {
  key: "macie",
  create: (config) => new Macie2Client(config),
};

export type MacieSessionState =
  | { status: "enabled" | "paused" }
  | { status: "disabled"; reason: string }
  | { status: "unknown"; reason: string; errorCode: string };

export interface MacieFindingRecord {
  id: string;
  accountId: string;
  region: string;
  bucketName: string;
  type: string;
  category: "CLASSIFICATION" | "POLICY";
  severityScore: 1 | 2 | 3;
  severity: "Low" | "Medium" | "High";
  count: number;
  /** PERSONAL_INFORMATION, FINANCIAL_INFORMATION, CREDENTIALS, CUSTOM_IDENTIFIER (classification findings only). */
  sensitiveDataCategories: string[];
  /** Managed data identifier ids (e.g. USA_SOCIAL_SECURITY_NUMBER) and custom identifier names. */
  detectionTypes: string[];
  createdAt: string;
  updatedAt: string;
  archived: boolean;
}

export interface MacieBucketProfileRecord {
  bucketName: string;
  /** -1 (classification error) … 100; null when Macie gave none. */
  sensitivityScore: number | null;
  classifiableObjectCount: number;
  classifiableSizeInBytes: number;
  lastAutomatedDiscoveryTime: string | null;
  monitoringStatus: string | null;
}

export interface MacieRegionCollection {
  session: MacieSessionState;
  findings: MacieFindingRecord[];
  bucketProfiles: MacieBucketProfileRecord[];
  /** First failure that leaves findings or profiles incomplete; non-null ⇒ do not mark earlier rows gone. */
  error: { code: string; message: string } | null;
}

/** GetFindings accepts at most 50 ids per request (model constraint); ListFindings pages are sized to match. */
export const GET_FINDINGS_BATCH = 50;
const DESCRIBE_BUCKETS_PAGE = 50;

/** The message Macie puts on AccessDeniedException when it is simply not turned on in this account and region. */
const NOT_ENABLED = /macie is not enabled/i;

export function macieSessionFromError(error: AwsCallError): MacieSessionState {
  if (error.name === "AccessDeniedException" && NOT_ENABLED.test(error.message)) {
    return { status: "disabled", reason: error.message };
  }
  return { status: "unknown", reason: describeAwsError(error), errorCode: error.name };
}

export async function collectMacieRegion(
  client: Pick<Macie2Client, "send">,
  ctx: { accountId: string; region: string },
): Promise<MacieRegionCollection> {
  const sessionResult = await settle(client.send(new GetMacieSessionCommand({})));
  if (!sessionResult.ok) {
    return { session: macieSessionFromError(sessionResult.error), findings: [], bucketProfiles: [], error: null };
  }
  // A paused Macie keeps its findings and inventory readable; only new discovery stops.
  const session: MacieSessionState = { status: sessionResult.output.status === "PAUSED" ? "paused" : "enabled" };
  let error: { code: string; message: string } | null = null;
  const fail = (e: AwsCallError) => {
    error ??= { code: e.name, message: e.message };
  };

  const findings: MacieFindingRecord[] = [];
  let token: string | undefined;
  do {
    const page = await settle(
      client.send(
        new ListFindingsCommand({
          findingCriteria: {
            criterion: {
              category: { eq: ["CLASSIFICATION", "POLICY"] },
              archived: { eq: ["false"] },
              // A Macie administrator account also sees its members' findings; each account collects its own.
              accountId: { eq: [ctx.accountId] },
            },
          },
          maxResults: GET_FINDINGS_BATCH,
          nextToken: token,
        }),
      ),
    );
    if (!page.ok) {
      fail(page.error);
      break;
    }
    const ids = page.output.findingIds ?? [];
    for (let i = 0; i < ids.length; i += GET_FINDINGS_BATCH) {
      const batch = ids.slice(i, i + GET_FINDINGS_BATCH);
      const got = await settle(client.send(new GetFindingsCommand({ findingIds: batch })));
      if (!got.ok) {
        fail(got.error);
        continue;
      }
      for (const finding of got.output.findings ?? []) {
        const record = toMacieFindingRecord(finding, ctx);
        if (record) findings.push(record);
      }
    }
    token = page.output.nextToken || undefined;
  } while (token);

  const bucketProfiles: MacieBucketProfileRecord[] = [];
  let bucketToken: string | undefined;
  do {
    const page = await settle(
      client.send(
        new DescribeBucketsCommand({
          criteria: { accountId: { eq: [ctx.accountId] } },
          maxResults: DESCRIBE_BUCKETS_PAGE,
          nextToken: bucketToken,
        }),
      ),
    );
    if (!page.ok) {
      fail(page.error);
      break;
    }
    for (const bucket of page.output.buckets ?? []) {
      const profile = toMacieBucketProfile(bucket);
      if (profile) bucketProfiles.push(profile);
    }
    bucketToken = page.output.nextToken || undefined;
  } while (bucketToken);

  return { session, findings, bucketProfiles, error };
}

const SEVERITY_BY_SCORE = { 1: "Low", 2: "Medium", 3: "High" } as const;

function iso(value: Date | string | undefined): string | null {
  return value ? new Date(value).toISOString() : null;
}

/** Pure: one GetFindings finding → record; null for findings not about an S3 bucket. */
export function toMacieFindingRecord(
  finding: Finding,
  ctx: { accountId: string; region: string },
): MacieFindingRecord | null {
  const bucketName = finding.resourcesAffected?.s3Bucket?.name;
  const category = finding.category;
  if (!finding.id || !bucketName || (category !== "CLASSIFICATION" && category !== "POLICY")) return null;
  const rawScore = finding.severity?.score ?? 1;
  const severityScore = Math.min(3, Math.max(1, Math.round(rawScore))) as 1 | 2 | 3;
  const sensitive = finding.classificationDetails?.result?.sensitiveData ?? [];
  const custom = finding.classificationDetails?.result?.customDataIdentifiers?.detections ?? [];
  const categories = [...new Set(sensitive.map((s) => s.category).filter((c): c is NonNullable<typeof c> => !!c))];
  if (custom.length > 0 && !categories.includes("CUSTOM_IDENTIFIER")) categories.push("CUSTOM_IDENTIFIER");
  const detectionTypes = [
    ...new Set([
      ...sensitive.flatMap((s) => (s.detections ?? []).map((d) => d.type).filter((t): t is string => !!t)),
      ...custom.map((d) => d.name).filter((n): n is string => !!n),
    ]),
  ];
  const createdAt = iso(finding.createdAt) ?? new Date(0).toISOString();
  return {
    id: finding.id,
    accountId: finding.accountId ?? ctx.accountId,
    region: finding.region ?? ctx.region,
    bucketName,
    type: finding.type ?? "",
    category,
    severityScore,
    severity: SEVERITY_BY_SCORE[severityScore],
    count: finding.count ?? 1,
    sensitiveDataCategories: categories,
    detectionTypes,
    createdAt,
    updatedAt: iso(finding.updatedAt) ?? createdAt,
    archived: finding.archived === true,
  };
}

/** Pure: one DescribeBuckets entry → profile. */
export function toMacieBucketProfile(bucket: BucketMetadata): MacieBucketProfileRecord | null {
  if (!bucket.bucketName) return null;
  return {
    bucketName: bucket.bucketName,
    sensitivityScore: bucket.sensitivityScore ?? null,
    classifiableObjectCount: bucket.classifiableObjectCount ?? 0,
    classifiableSizeInBytes: bucket.classifiableSizeInBytes ?? 0,
    lastAutomatedDiscoveryTime: iso(bucket.lastAutomatedDiscoveryTime),
    monitoringStatus: bucket.automatedDiscoveryMonitoringStatus ?? null,
  };
}

/**
 * THE read-only allow-list: every AWS command a collector may send, with the IAM actions it needs. The read-only
 * role templates in deploy/ grant exactly these actions (deploy-templates.test.ts), and
 * read-only-allow-list.test.ts pins that collectors send nothing else. Adding a call means adding it here, in review.
 */
export const COLLECTOR_COMMAND_IAM_ACTIONS = {
  // S3 (bucket configuration reads; never object data: no s3:GetObject, no s3:ListBucket)
  ListBucketsCommand: ["s3:ListAllMyBuckets"],
  GetBucketLocationCommand: ["s3:GetBucketLocation"],
  GetBucketEncryptionCommand: ["s3:GetEncryptionConfiguration"],
  GetBucketVersioningCommand: ["s3:GetBucketVersioning"],
  GetBucketLoggingCommand: ["s3:GetBucketLogging"],
  // Same command name in S3 (bucket) and S3 Control (account).
  GetPublicAccessBlockCommand: ["s3:GetBucketPublicAccessBlock", "s3:GetAccountPublicAccessBlock"],
  GetBucketPolicyCommand: ["s3:GetBucketPolicy"],
  GetBucketPolicyStatusCommand: ["s3:GetBucketPolicyStatus"],
  GetBucketAclCommand: ["s3:GetBucketAcl"],
  GetBucketOwnershipControlsCommand: ["s3:GetBucketOwnershipControls"],
  GetBucketTaggingCommand: ["s3:GetBucketTagging"],
  GetObjectLockConfigurationCommand: ["s3:GetBucketObjectLockConfiguration"],
  GetBucketLifecycleConfigurationCommand: ["s3:GetLifecycleConfiguration"],
  GetBucketReplicationCommand: ["s3:GetReplicationConfiguration"],
  // AWS Config
  DescribeConfigurationRecorderStatusCommand: ["config:DescribeConfigurationRecorderStatus"],
  DescribeConfigRulesCommand: ["config:DescribeConfigRules"],
  GetComplianceDetailsByConfigRuleCommand: ["config:GetComplianceDetailsByConfigRule"],
  // Macie
  GetMacieSessionCommand: ["macie2:GetMacieSession"],
  ListFindingsCommand: ["macie2:ListFindings"],
  GetFindingsCommand: ["macie2:GetFindings"],
  DescribeBucketsCommand: ["macie2:DescribeBuckets"],
  // Organizations (account discovery; only useful in the management or a delegated-administrator account)
  ListAccountsCommand: ["organizations:ListAccounts"],
  ListParentsCommand: ["organizations:ListParents"],
  DescribeOrganizationalUnitCommand: ["organizations:DescribeOrganizationalUnit"],
  // STS: the credential exchange itself. AssumeRole is granted by the trust policy (and the hub's own policy),
  // GetCallerIdentity needs no permission; neither belongs in the role's permissions.
  AssumeRoleCommand: [],
  GetCallerIdentityCommand: [],
} as const satisfies Record<string, readonly string[]>;

export const ALLOWED_COMMANDS: ReadonlySet<string> = new Set(Object.keys(COLLECTOR_COMMAND_IAM_ACTIONS));

/** The IAM actions the read-only role must grant, sorted. */
export function readOnlyRoleActions(): string[] {
  return [...new Set(Object.values(COLLECTOR_COMMAND_IAM_ACTIONS).flat())].sort();
}

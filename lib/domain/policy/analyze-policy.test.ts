import { describe, expect, it } from "vitest";
import { analyzeBucketPolicy, type PolicyAnalysisOk } from "./analyze-policy";

const OWNER = "111111111111";
const OTHER = "222222222222";
const TRUSTED = "333333333333";
const BUCKET = "b";
const OBJ = "arn:aws:s3:::b/*";
const BKT = "arn:aws:s3:::b";

type Stmt = Record<string, unknown>;
/** Statement with the most common defaults: Allow everyone s3:GetObject on all objects. */
const S = (over: Stmt = {}): Stmt => ({
  Effect: "Allow",
  Principal: "*",
  Action: "s3:GetObject",
  Resource: OBJ,
  ...over,
});
const doc = (...statements: Stmt[]) => ({ Version: "2012-10-17", Statement: statements });
const vpce = (op = "StringEquals", value: unknown = "vpce-1a2b3c4d") => ({ [op]: { "aws:SourceVpce": value } });
const ip = (value: unknown, op = "IpAddress") => ({ [op]: { "aws:SourceIp": value } });

interface Case {
  name: string;
  policy: unknown;
  pub: boolean;
  read: boolean;
  write: boolean;
  /** Indexes of statements that make it public (default: all public ones are checked via pub/read/write). */
  publicIdx?: number[];
  /** Cross-account principals as "principal|kind|accountId|trusted" (exact, in order). */
  cross?: string[];
  /** Substring the public statement's (or first statement's) why must contain. */
  why?: string;
  whyIdx?: number;
}

const cases: Case[] = [
  // --- principals that mean everyone ---
  {
    name: 'Principal "*" GetObject',
    policy: doc(S()),
    pub: true,
    read: true,
    write: false,
    publicIdx: [0],
    why: "public read",
  },
  { name: 'Principal {"AWS":"*"}', policy: doc(S({ Principal: { AWS: "*" } })), pub: true, read: true, write: false },
  {
    name: 'Principal {"AWS":["*"]} (array)',
    policy: doc(S({ Principal: { AWS: ["*"] } })),
    pub: true,
    read: true,
    write: false,
  },
  {
    name: "arn:aws:iam::*:root is every account",
    policy: doc(S({ Principal: { AWS: "arn:aws:iam::*:root" } })),
    pub: true,
    read: true,
    write: false,
    why: "every AWS account",
  },
  {
    name: "Federated principal is public",
    policy: doc(S({ Principal: { Federated: "graph.facebook.com" } })),
    pub: true,
    read: true,
    write: false,
    why: "Federated",
  },
  {
    name: "NotPrincipal with Allow is public",
    policy: doc({
      Effect: "Allow",
      NotPrincipal: { AWS: `arn:aws:iam::${OWNER}:root` },
      Action: "s3:GetObject",
      Resource: OBJ,
    }),
    pub: true,
    read: true,
    write: false,
    why: "NotPrincipal with Allow",
  },
  {
    name: "NotPrincipal with Deny is not public",
    policy: doc({
      Effect: "Deny",
      NotPrincipal: { AWS: `arn:aws:iam::${OWNER}:root` },
      Action: "s3:*",
      Resource: [BKT, OBJ],
    }),
    pub: false,
    read: false,
    write: false,
    why: "a Deny never grants access",
  },
  {
    name: 'Deny with Principal "*" is not public',
    policy: doc(S({ Effect: "Deny", Action: "s3:*" })),
    pub: false,
    read: false,
    write: false,
    cross: [],
  },
  {
    name: "mixed principal list containing * is public",
    policy: doc(S({ Principal: { AWS: [`arn:aws:iam::${OTHER}:root`, "*"] } })),
    pub: true,
    read: true,
    write: false,
    cross: [`${OTHER}|account|${OTHER}|false`],
  },
  // --- actions ---
  {
    name: "PutObject to everyone is public write only",
    policy: doc(S({ Action: "s3:PutObject" })),
    pub: true,
    read: false,
    write: true,
    why: "public write",
  },
  {
    name: "s3:* on bucket and objects",
    policy: doc(S({ Action: "s3:*", Resource: [BKT, OBJ] })),
    pub: true,
    read: true,
    write: true,
    why: "public read and write",
  },
  { name: 'Action "*"', policy: doc(S({ Action: "*", Resource: [BKT, OBJ] })), pub: true, read: true, write: true },
  {
    name: "s3:Get* is read, not write (Prowler #3346)",
    policy: doc(S({ Action: "s3:Get*" })),
    pub: true,
    read: true,
    write: false,
  },
  {
    name: "s3:List* on bucket ARN is read",
    policy: doc(S({ Action: "s3:List*", Resource: BKT })),
    pub: true,
    read: true,
    write: false,
  },
  {
    name: "s3:*Object is read and write",
    policy: doc(S({ Action: "s3:*Object" })),
    pub: true,
    read: true,
    write: true,
  },
  {
    name: "action names are case-insensitive",
    policy: doc(S({ Action: "S3:getobject" })),
    pub: true,
    read: true,
    write: false,
  },
  {
    name: "Action as array",
    policy: doc(S({ Action: ["s3:GetObject", "s3:GetObjectVersion"] })),
    pub: true,
    read: true,
    write: false,
  },
  {
    name: "NotAction DeleteObject grants read and write",
    policy: doc(S({ Action: undefined, NotAction: "s3:DeleteObject", Resource: [BKT, OBJ] })),
    pub: true,
    read: true,
    write: true,
    why: "every action except s3:DeleteObject",
  },
  {
    name: "NotAction excluding every write family is read only",
    policy: doc(
      S({
        Action: undefined,
        NotAction: [
          "s3:Put*",
          "s3:Delete*",
          "s3:Restore*",
          "s3:Abort*",
          "s3:Replicate*",
          "s3:Bypass*",
          "s3:ObjectOwner*",
        ],
        Resource: [BKT, OBJ],
      }),
    ),
    pub: true,
    read: true,
    write: false,
  },
  {
    name: "NotAction s3:* grants no S3 action",
    policy: doc(S({ Action: undefined, NotAction: "s3:*", Resource: "*" })),
    pub: false,
    read: false,
    write: false,
    why: "grants no S3 action",
  },
  {
    name: "metadata-only action (GetBucketLocation) is public but not read",
    policy: doc(S({ Action: "s3:GetBucketLocation", Resource: BKT })),
    pub: true,
    read: false,
    write: false,
    why: "bucket metadata actions only",
  },
  {
    name: "PutBucketPolicy to everyone is public write",
    policy: doc(S({ Action: "s3:PutBucketPolicy", Resource: BKT })),
    pub: true,
    read: false,
    write: true,
  },
  {
    name: "PutBucketAcl to everyone is public write",
    policy: doc(S({ Action: "s3:PutBucketAcl", Resource: BKT })),
    pub: true,
    read: false,
    write: true,
  },
  {
    name: "RestoreObject is write",
    policy: doc(S({ Action: "s3:RestoreObject" })),
    pub: true,
    read: false,
    write: true,
  },
  {
    name: "AbortMultipartUpload is write",
    policy: doc(S({ Action: "s3:AbortMultipartUpload" })),
    pub: true,
    read: false,
    write: true,
  },
  { name: "DeleteObject is write", policy: doc(S({ Action: "s3:DeleteObject" })), pub: true, read: false, write: true },
  {
    name: "non-S3 action does not apply",
    policy: doc(S({ Action: "sqs:SendMessage", Resource: "*" })),
    pub: false,
    read: false,
    write: false,
    why: "grants no S3 action",
  },
  {
    name: "GetObject on the bucket ARN only grants nothing",
    policy: doc(S({ Resource: BKT })),
    pub: false,
    read: false,
    write: false,
    why: "need the object ARN",
  },
  {
    name: "ListBucket on objects only grants nothing",
    policy: doc(S({ Action: "s3:ListBucket", Resource: OBJ })),
    pub: false,
    read: false,
    write: false,
    why: "need the bucket ARN",
  },
  // --- resources ---
  {
    name: "Resource of another bucket does not apply",
    policy: doc(S({ Resource: "arn:aws:s3:::other/*" })),
    pub: false,
    read: false,
    write: false,
    why: "does not apply to this bucket",
  },
  {
    name: "similar bucket name prefix does not apply",
    policy: doc(S({ Resource: "arn:aws:s3:::bb/*" })),
    pub: false,
    read: false,
    write: false,
  },
  { name: 'Resource "*" applies', policy: doc(S({ Resource: "*" })), pub: true, read: true, write: false },
  {
    name: "Resource arn:aws:s3:::b* applies",
    policy: doc(S({ Resource: "arn:aws:s3:::b*" })),
    pub: true,
    read: true,
    write: false,
  },
  {
    name: "prefix of objects is still public read",
    policy: doc(S({ Resource: "arn:aws:s3:::b/public/*" })),
    pub: true,
    read: true,
    write: false,
  },
  {
    name: "NotResource excluding all objects: GetObject grants nothing",
    policy: doc(S({ Resource: undefined, NotResource: OBJ })),
    pub: false,
    read: false,
    write: false,
  },
  {
    name: "NotResource of another bucket applies here",
    policy: doc(S({ Resource: undefined, NotResource: "arn:aws:s3:::other/*" })),
    pub: true,
    read: true,
    write: false,
    why: "every resource except",
  },
  {
    name: "aws-cn partition resource",
    policy: doc(S({ Resource: "arn:aws-cn:s3:::b/*" })),
    pub: true,
    read: true,
    write: false,
  },
  {
    name: "policy variable in Resource may match",
    policy: doc(S({ Resource: "arn:aws:s3:::b/${aws:username}/*" })),
    pub: true,
    read: true,
    write: false,
  },
  // --- restricting conditions (false positives elsewhere) ---
  {
    name: "SourceVpce StringEquals restricts (Prowler #4257)",
    policy: doc(S({ Condition: vpce() })),
    pub: false,
    read: false,
    write: false,
    cross: [],
    why: "limited by StringEquals aws:SourceVpce = vpce-1a2b3c4d",
  },
  {
    name: "SourceVpce list of values restricts",
    policy: doc(S({ Condition: vpce("StringEquals", ["vpce-1", "vpce-2"]) })),
    pub: false,
    read: false,
    write: false,
  },
  {
    name: "SourceVpce StringEqualsIgnoreCase restricts",
    policy: doc(S({ Condition: vpce("StringEqualsIgnoreCase") })),
    pub: false,
    read: false,
    write: false,
  },
  {
    name: "SourceVpce StringLike without wildcard restricts",
    policy: doc(S({ Condition: vpce("StringLike") })),
    pub: false,
    read: false,
    write: false,
  },
  {
    name: 'SourceVpce StringLike "vpce-*" is public',
    policy: doc(S({ Condition: vpce("StringLike", "vpce-*") })),
    pub: true,
    read: true,
    write: false,
    why: "contains a wildcard",
  },
  {
    name: "SourceVpc StringEquals restricts (AWS example)",
    policy: doc(S({ Condition: { StringEquals: { "aws:SourceVpc": "vpc-91237329" } } })),
    pub: false,
    read: false,
    write: false,
  },
  {
    name: 'SourceVpc StringLike "vpc-*" is public (AWS example)',
    policy: doc(S({ Condition: { StringLike: { "aws:SourceVpc": "vpc-*" } } })),
    pub: true,
    read: true,
    write: false,
  },
  {
    name: "StringEqualsIfExists SourceVpce is an IfExists loophole",
    policy: doc(S({ Condition: vpce("StringEqualsIfExists") })),
    pub: true,
    read: true,
    write: false,
    why: "IfExists form is true when the request has no aws:SourceVpce",
  },
  {
    name: "StringNotEquals SourceVpce in Allow is public",
    policy: doc(S({ Condition: vpce("StringNotEquals") })),
    pub: true,
    read: true,
    write: false,
    why: "negated operator",
  },
  {
    name: "ForAllValues:StringEquals is public (absent key)",
    policy: doc(S({ Condition: { "ForAllValues:StringEquals": { "aws:PrincipalOrgID": "o-abc123" } } })),
    pub: true,
    read: true,
    write: false,
    why: "ForAllValues is true",
  },
  {
    name: "ForAnyValue:StringEquals restricts",
    policy: doc(S({ Condition: vpce("ForAnyValue:StringEquals") })),
    pub: false,
    read: false,
    write: false,
  },
  {
    name: "PrincipalOrgID restricts; org listed as cross-account",
    policy: doc(S({ Condition: { StringEquals: { "aws:PrincipalOrgID": "o-abc123" } } })),
    pub: false,
    read: false,
    write: false,
    cross: ["o-abc123|organization|null|false"],
  },
  {
    name: "PrincipalOrgID trusted org",
    policy: doc(S({ Condition: { StringEquals: { "aws:PrincipalOrgID": "o-trusted" } } })),
    pub: false,
    read: false,
    write: false,
    cross: ["o-trusted|organization|null|true"],
  },
  {
    name: "SourceIp private /8 restricts",
    policy: doc(S({ Condition: ip("10.0.0.0/8") })),
    pub: false,
    read: false,
    write: false,
  },
  {
    name: "SourceIp 192.168.1.0/24 restricts",
    policy: doc(S({ Condition: ip("192.168.1.0/24") })),
    pub: false,
    read: false,
    write: false,
  },
  {
    name: "SourceIp single public address restricts",
    policy: doc(S({ Condition: ip("203.0.113.7") })),
    pub: false,
    read: false,
    write: false,
  },
  {
    name: "SourceIp 0.0.0.0/0 is public",
    policy: doc(S({ Condition: ip("0.0.0.0/0") })),
    pub: true,
    read: true,
    write: false,
    why: "whole IPv4 internet",
  },
  {
    name: "SourceIp 0.0.0.0/1 is public",
    policy: doc(S({ Condition: ip("0.0.0.0/1") })),
    pub: true,
    read: true,
    write: false,
    why: "broader than /8",
  },
  {
    name: "SourceIp list with one broad range is public",
    policy: doc(S({ Condition: ip(["203.0.113.0/24", "0.0.0.0/0"]) })),
    pub: true,
    read: true,
    write: false,
  },
  {
    name: "SourceIp IPv6 /32 restricts",
    policy: doc(S({ Condition: ip("2001:db8::/32") })),
    pub: false,
    read: false,
    write: false,
  },
  {
    name: "SourceIp ::/0 is public",
    policy: doc(S({ Condition: ip("::/0") })),
    pub: true,
    read: true,
    write: false,
    why: "whole IPv6 internet",
  },
  {
    name: "SourceIp IPv6 /16 is public",
    policy: doc(S({ Condition: ip("2001::/16") })),
    pub: true,
    read: true,
    write: false,
  },
  {
    name: "NotIpAddress in Allow is public",
    policy: doc(S({ Condition: ip("10.0.0.0/8", "NotIpAddress") })),
    pub: true,
    read: true,
    write: false,
  },
  {
    name: "IpAddressIfExists is public",
    policy: doc(S({ Condition: ip("10.0.0.0/8", "IpAddressIfExists") })),
    pub: true,
    read: true,
    write: false,
  },
  {
    name: "PrincipalAccount other account: restricted, cross-account",
    policy: doc(S({ Condition: { StringEquals: { "aws:PrincipalAccount": OTHER } } })),
    pub: false,
    read: false,
    write: false,
    cross: [`${OTHER}|account-via-condition|${OTHER}|false`],
  },
  {
    name: "PrincipalAccount owner: restricted, not cross-account",
    policy: doc(S({ Condition: { StringEquals: { "aws:PrincipalAccount": OWNER } } })),
    pub: false,
    read: false,
    write: false,
    cross: [],
  },
  {
    name: "SourceAccount restricts",
    policy: doc(S({ Condition: { StringEquals: { "aws:SourceAccount": OWNER } } })),
    pub: false,
    read: false,
    write: false,
    cross: [],
  },
  {
    name: "SourceOwner restricts",
    policy: doc(S({ Condition: { StringEquals: { "aws:SourceOwner": TRUSTED } } })),
    pub: false,
    read: false,
    write: false,
    cross: [`${TRUSTED}|account-via-condition|${TRUSTED}|true`],
  },
  {
    name: "SourceArn ArnEquals restricts",
    policy: doc(S({ Condition: { ArnEquals: { "aws:SourceArn": `arn:aws:cloudfront::${OWNER}:distribution/E1` } } })),
    pub: false,
    read: false,
    write: false,
    cross: [],
  },
  {
    name: "SourceArn ArnLike with wildcard is public",
    policy: doc(S({ Condition: { ArnLike: { "aws:SourceArn": "arn:aws:cloudfront::*:distribution/*" } } })),
    pub: true,
    read: true,
    write: false,
  },
  {
    name: "PrincipalArn ArnEquals other-account role",
    policy: doc(S({ Condition: { ArnEquals: { "aws:PrincipalArn": `arn:aws:iam::${OTHER}:role/reader` } } })),
    pub: false,
    read: false,
    write: false,
    cross: [`${OTHER}|account-via-condition|${OTHER}|false`],
  },
  {
    name: "PrincipalArn ArnLike exact value restricts",
    policy: doc(S({ Condition: { ArnLike: { "aws:PrincipalArn": `arn:aws:iam::${OWNER}:role/reader` } } })),
    pub: false,
    read: false,
    write: false,
    cross: [],
  },
  {
    name: "StringEquals on an ARN key restricts",
    policy: doc(S({ Condition: { StringEquals: { "aws:PrincipalArn": `arn:aws:iam::${OWNER}:role/reader` } } })),
    pub: false,
    read: false,
    write: false,
  },
  {
    name: "aws:userid fixed user id restricts",
    policy: doc(S({ Condition: { StringEquals: { "aws:userid": "AIDAEXAMPLEUSERID1" } } })),
    pub: false,
    read: false,
    write: false,
  },
  {
    name: "aws:userId StringLike without wildcard restricts (panther #1590)",
    policy: doc(S({ Condition: { StringLike: { "aws:userId": "AROAQXXXXXXYYYYYYZZZZ:foo" } } })),
    pub: false,
    read: false,
    write: false,
  },
  {
    name: "aws:userid AROLEID:* is public",
    policy: doc(S({ Condition: { StringLike: { "aws:userid": "AROAEXAMPLEROLEID:*" } } })),
    pub: true,
    read: true,
    write: false,
  },
  {
    name: "s3:DataAccessPointAccount restricts",
    policy: doc(S({ Condition: { StringEquals: { "s3:DataAccessPointAccount": OWNER } } })),
    pub: false,
    read: false,
    write: false,
    cross: [],
  },
  {
    name: "s3:DataAccessPointArn with fixed account and wildcard name restricts",
    policy: doc(
      S({ Condition: { StringLike: { "s3:DataAccessPointArn": `arn:aws:s3:us-west-2:${OWNER}:accesspoint/*` } } }),
    ),
    pub: false,
    read: false,
    write: false,
  },
  {
    name: "s3:DataAccessPointArn with wildcard account is public",
    policy: doc(S({ Condition: { StringLike: { "s3:DataAccessPointArn": "arn:aws:s3:*:*:accesspoint/*" } } })),
    pub: true,
    read: true,
    write: false,
  },
  {
    name: "KMS key id pin restricts",
    policy: doc(
      S({
        Action: "s3:PutObject",
        Condition: {
          StringEquals: { "s3:x-amz-server-side-encryption-aws-kms-key-id": `arn:aws:kms:us-east-1:${OWNER}:key/1234` },
        },
      }),
    ),
    pub: false,
    read: false,
    write: false,
  },
  {
    name: "aws:Referer does not restrict (spoofable)",
    policy: doc(S({ Condition: { StringLike: { "aws:Referer": "https://example.com/*" } } })),
    pub: true,
    read: true,
    write: false,
    why: "aws:Referer is a header the caller sets and is trivially spoofed",
  },
  {
    name: "aws:Referer exact value still public",
    policy: doc(S({ Condition: { StringEquals: { "aws:Referer": "secret-token" } } })),
    pub: true,
    read: true,
    write: false,
    why: "spoofed",
  },
  {
    name: "aws:UserAgent does not restrict",
    policy: doc(S({ Condition: { StringEquals: { "aws:UserAgent": "MyApp" } } })),
    pub: true,
    read: true,
    write: false,
  },
  {
    name: "Allow with SecureTransport=true is still public",
    policy: doc(S({ Condition: { Bool: { "aws:SecureTransport": "true" } } })),
    pub: true,
    read: true,
    write: false,
    why: "only requires HTTPS",
  },
  {
    name: "s3:prefix does not restrict who",
    policy: doc(S({ Action: "s3:ListBucket", Resource: BKT, Condition: { StringLike: { "s3:prefix": "public/*" } } })),
    pub: true,
    read: true,
    write: false,
  },
  {
    name: "policy variable in a restricting key is public",
    policy: doc(S({ Condition: { StringEquals: { "aws:SourceVpce": "${aws:username}" } } })),
    pub: true,
    read: true,
    write: false,
    why: "policy variable",
  },
  {
    name: "Null condition on SourceVpce does not pin a value",
    policy: doc(S({ Condition: { Null: { "aws:SourceVpce": "false" } } })),
    pub: true,
    read: true,
    write: false,
  },
  {
    name: "two operators: SecureTransport AND SourceVpce restricts",
    policy: doc(S({ Condition: { Bool: { "aws:SecureTransport": "true" }, ...vpce() } })),
    pub: false,
    read: false,
    write: false,
  },
  {
    name: "Federated restricted by SourceIp",
    policy: doc(S({ Principal: { Federated: "cognito-identity.amazonaws.com" }, Condition: ip("10.1.0.0/16") })),
    pub: false,
    read: false,
    write: false,
  },
  {
    name: "condition keys are case-insensitive",
    policy: doc(S({ Condition: { StringEquals: { "AWS:SOURCEVPCE": "vpce-1" } } })),
    pub: false,
    read: false,
    write: false,
  },
  // --- Deny statements that neutralize a wildcard Allow ---
  {
    name: "Deny unless from VPC endpoint neutralizes Allow *",
    policy: doc(S(), S({ Effect: "Deny", Action: "s3:*", Resource: [BKT, OBJ], Condition: vpce("StringNotEquals") })),
    pub: false,
    read: false,
    write: false,
    why: "denies every request unless",
  },
  {
    name: "Deny unless org (StringNotEqualsIfExists) neutralizes",
    policy: doc(
      S({ Action: "s3:*", Resource: [BKT, OBJ] }),
      S({
        Effect: "Deny",
        Action: "*",
        Resource: "*",
        Condition: { StringNotEqualsIfExists: { "aws:PrincipalOrgID": "o-abc123" } },
      }),
    ),
    pub: false,
    read: false,
    write: false,
  },
  {
    name: "NotPrincipal Deny guard neutralizes",
    policy: doc(S(), {
      Effect: "Deny",
      NotPrincipal: { AWS: [`arn:aws:iam::${OWNER}:role/app`, `arn:aws:iam::${OWNER}:root`] },
      Action: "s3:*",
      Resource: [BKT, OBJ],
    }),
    pub: false,
    read: false,
    write: false,
    cross: [],
  },
  {
    name: "Deny guard not covering write actions leaves public write",
    policy: doc(
      S({ Action: "s3:*", Resource: [BKT, OBJ] }),
      S({ Effect: "Deny", Action: "s3:GetObject", Condition: vpce("StringNotEquals") }),
    ),
    pub: true,
    read: true,
    write: true,
  },
  {
    name: "Deny guard with wildcard value does not neutralize",
    policy: doc(
      S(),
      S({
        Effect: "Deny",
        Action: "s3:*",
        Resource: [BKT, OBJ],
        Condition: { StringNotLike: { "aws:SourceVpce": "vpce-*" } },
      }),
    ),
    pub: true,
    read: true,
    write: false,
  },
  {
    name: "Deny guard on a prefix only does not neutralize",
    policy: doc(
      S(),
      S({ Effect: "Deny", Action: "s3:*", Resource: "arn:aws:s3:::b/private/*", Condition: vpce("StringNotEquals") }),
    ),
    pub: true,
    read: true,
    write: false,
  },
  {
    name: "Deny guard with unrelated extra clause does not neutralize",
    policy: doc(
      S(),
      S({
        Effect: "Deny",
        Action: "s3:*",
        Resource: [BKT, OBJ],
        Condition: { ...vpce("StringNotEquals"), Bool: { "aws:SecureTransport": "false" } },
      }),
    ),
    pub: true,
    read: true,
    write: false,
  },
  {
    name: "Deny guard with two negated restricting keys neutralizes",
    policy: doc(
      S(),
      S({
        Effect: "Deny",
        Action: "s3:*",
        Resource: [BKT, OBJ],
        Condition: {
          ...vpce("StringNotEquals"),
          ArnNotEquals: { "aws:PrincipalArn": `arn:aws:iam::${OWNER}:role/admin` },
        },
      }),
    ),
    pub: false,
    read: false,
    write: false,
  },
  // --- service principals, AWS-owned principals, fixed principals ---
  {
    name: "CloudFront OAC with AWS:SourceArn (mixed-case key)",
    policy: doc(
      S({
        Principal: { Service: "cloudfront.amazonaws.com" },
        Condition: { StringEquals: { "AWS:SourceArn": `arn:aws:cloudfront::${OWNER}:distribution/EDFDVBD6EXAMPLE` } },
      }),
    ),
    pub: false,
    read: false,
    write: false,
    cross: [],
  },
  {
    name: "CloudFront OAC without SourceArn is flagged (confused deputy)",
    policy: doc(S({ Principal: { Service: "cloudfront.amazonaws.com" } })),
    pub: false,
    read: false,
    write: false,
    cross: ["cloudfront.amazonaws.com|service|null|false"],
  },
  {
    name: "CloudFront OAI (legacy) is not public nor cross-account",
    policy: doc(
      S({ Principal: { AWS: "arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity E2QWRUHEXAMPLE" } }),
    ),
    pub: false,
    read: false,
    write: false,
    cross: [],
  },
  {
    name: "legacy ELB log delivery account is a cross-account writer",
    policy: doc(
      S({
        Principal: { AWS: "arn:aws:iam::127311923021:root" },
        Action: "s3:PutObject",
        Resource: "arn:aws:s3:::b/AWSLogs/111111111111/*",
      }),
    ),
    pub: false,
    read: false,
    write: false,
    cross: ["127311923021|account|127311923021|false"],
  },
  {
    name: "S3 log delivery service scoped to owner",
    policy: doc(
      S({
        Principal: { Service: "logging.s3.amazonaws.com" },
        Action: "s3:PutObject",
        Condition: { StringEquals: { "aws:SourceAccount": OWNER }, ArnLike: { "aws:SourceArn": "arn:aws:s3:::src" } },
      }),
    ),
    pub: false,
    read: false,
    write: false,
    cross: [],
  },
  {
    name: "delivery.logs service scoped to another account",
    policy: doc(
      S({
        Principal: { Service: "delivery.logs.amazonaws.com" },
        Action: "s3:PutObject",
        Condition: { StringEquals: { "aws:SourceAccount": OTHER } },
      }),
    ),
    pub: false,
    read: false,
    write: false,
    cross: [`delivery.logs.amazonaws.com|service|${OTHER}|false`],
  },
  {
    name: "ELB log delivery service without scope is flagged",
    policy: doc(
      S({ Principal: { Service: "logdelivery.elasticloadbalancing.amazonaws.com" }, Action: "s3:PutObject" }),
    ),
    pub: false,
    read: false,
    write: false,
    cross: ["logdelivery.elasticloadbalancing.amazonaws.com|service|null|false"],
  },
  {
    name: "same-account root is neither public nor cross-account",
    policy: doc(S({ Principal: { AWS: `arn:aws:iam::${OWNER}:root` } })),
    pub: false,
    read: false,
    write: false,
    cross: [],
    why: "fixed principals",
  },
  {
    name: "same-account bare id",
    policy: doc(S({ Principal: { AWS: OWNER } })),
    pub: false,
    read: false,
    write: false,
    cross: [],
  },
  {
    name: "other account root untrusted",
    policy: doc(S({ Principal: { AWS: `arn:aws:iam::${OTHER}:root` }, Action: ["s3:GetObject", "s3:PutObject"] })),
    pub: false,
    read: false,
    write: false,
    cross: [`${OTHER}|account|${OTHER}|false`],
  },
  {
    name: "trusted account bare id",
    policy: doc(S({ Principal: { AWS: TRUSTED } })),
    pub: false,
    read: false,
    write: false,
    cross: [`${TRUSTED}|account|${TRUSTED}|true`],
  },
  {
    name: "other-account role",
    policy: doc(S({ Principal: { AWS: `arn:aws:iam::${OTHER}:role/etl` } })),
    pub: false,
    read: false,
    write: false,
    cross: [`arn:aws:iam::${OTHER}:role/etl|iam-principal|${OTHER}|false`],
  },
  {
    name: "canonical user principal",
    policy: doc(
      S({ Principal: { CanonicalUser: "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be" } }),
    ),
    pub: false,
    read: false,
    write: false,
    cross: ["79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be|canonical-user|null|false"],
  },
  {
    name: "deleted principal (unique id) grants nobody",
    policy: doc(S({ Principal: { AWS: "AIDAJQABLZS4A3QDU576Q" } })),
    pub: false,
    read: false,
    write: false,
    cross: [],
  },
  {
    name: "cross-account grant on another bucket is ignored",
    policy: doc(S({ Principal: { AWS: OTHER }, Resource: "arn:aws:s3:::other/*" })),
    pub: false,
    read: false,
    write: false,
    cross: [],
  },
  // --- shapes ---
  {
    name: "Statement as a single object",
    policy: { Version: "2012-10-17", Statement: S() },
    pub: true,
    read: true,
    write: false,
  },
  { name: "policy as JSON string", policy: JSON.stringify(doc(S())), pub: true, read: true, write: false },
  {
    name: "JSON boolean condition value",
    policy: doc(S({ Condition: { Bool: { "aws:SecureTransport": true } } })),
    pub: true,
    read: true,
    write: false,
  },
  {
    name: "one public statement among private ones",
    policy: doc(S({ Principal: { AWS: OWNER } }), S({ Action: "s3:PutObject", Sid: "Oops" }), S({ Condition: vpce() })),
    pub: true,
    read: false,
    write: true,
    publicIdx: [1],
    why: 'Statement 1 (Sid "Oops")',
    whyIdx: 1,
  },
];

function crossRows(a: PolicyAnalysisOk): string[] {
  return a.crossAccountPrincipals.map((c) => `${c.principal}|${c.kind}|${c.accountId}|${c.trusted}`);
}

describe("analyzeBucketPolicy — public / read / write / cross-account", () => {
  it("has an exhaustive table", () => expect(cases.length).toBeGreaterThanOrEqual(70));

  it.each(cases)("$name", (c) => {
    const a = analyzeBucketPolicy(c.policy, {
      ownerAccountId: OWNER,
      bucketName: BUCKET,
      trustedAccountIds: [TRUSTED, "o-trusted"],
    });
    if (a.error !== null) throw new Error(`unexpected error: ${a.error}`);
    expect({ pub: a.isPublic, read: a.allowsPublicRead, write: a.allowsPublicWrite }).toEqual({
      pub: c.pub,
      read: c.read,
      write: c.write,
    });
    if (c.publicIdx) expect(a.publicStatements.map((s) => s.index)).toEqual(c.publicIdx);
    if (!c.pub) expect(a.publicStatements).toEqual([]);
    if (c.cross) expect(crossRows(a)).toEqual(c.cross);
    if (c.why) expect(a.statements[c.whyIdx ?? 0]!.why).toContain(c.why);
  });
});

describe("analyzeBucketPolicy — readers, writers and evidence", () => {
  it("lists who can read and write, per statement, with the granted actions", () => {
    const a = analyzeBucketPolicy(
      doc(
        S({
          Sid: "Partner",
          Principal: { AWS: `arn:aws:iam::${OTHER}:root` },
          Action: ["s3:GetObject", "s3:ListBucket"],
          Resource: [BKT, OBJ],
        }),
        S({ Sid: "Uploads", Principal: { AWS: `arn:aws:iam::${OWNER}:role/uploader` }, Action: "s3:PutObject" }),
      ),
      { ownerAccountId: OWNER, bucketName: BUCKET },
    ) as PolicyAnalysisOk;
    expect(a.readers).toEqual([
      {
        principal: `account ${OTHER}`,
        kind: "other-account",
        accountId: OTHER,
        public: false,
        actions: ["s3:GetObject", "s3:ListBucket"],
        statementIndex: 0,
        sid: "Partner",
        restrictedBy: [],
      },
    ]);
    expect(a.writers).toEqual([
      {
        principal: `arn:aws:iam::${OWNER}:role/uploader`,
        kind: "owner-account",
        accountId: OWNER,
        public: false,
        actions: ["s3:PutObject"],
        statementIndex: 1,
        sid: "Uploads",
        restrictedBy: [],
      },
    ]);
    expect(a.crossAccountPrincipals).toEqual([
      {
        principal: OTHER,
        kind: "account",
        accountId: OTHER,
        trusted: false,
        read: true,
        write: false,
        unscopedService: false,
        statementIndex: 0,
        sid: "Partner",
        note: `principal in account ${OTHER}`,
      },
    ]);
  });

  it("records the restriction on a wildcard reader", () => {
    const a = analyzeBucketPolicy(doc(S({ Condition: vpce() })), {
      ownerAccountId: OWNER,
      bucketName: BUCKET,
    }) as PolicyAnalysisOk;
    expect(a.readers).toHaveLength(1);
    expect(a.readers[0]).toMatchObject({
      kind: "everyone",
      public: false,
      restrictedBy: ["StringEquals aws:SourceVpce = vpce-1a2b3c4d"],
    });
  });

  it("recognizes the owner's canonical id", () => {
    const a = analyzeBucketPolicy(doc(S({ Principal: { CanonicalUser: "abc" } })), {
      ownerAccountId: OWNER,
      bucketName: BUCKET,
      ownerCanonicalId: "abc",
    }) as PolicyAnalysisOk;
    expect(a.crossAccountPrincipals).toEqual([]);
    expect(a.readers[0]!.kind).toBe("owner-account");
  });

  it("explains the unscoped service principal", () => {
    const a = analyzeBucketPolicy(doc(S({ Principal: { Service: "cloudfront.amazonaws.com" } })), {
      ownerAccountId: OWNER,
      bucketName: BUCKET,
    }) as PolicyAnalysisOk;
    expect(a.crossAccountPrincipals[0]).toMatchObject({ unscopedService: true, read: true, write: false });
    expect(a.crossAccountPrincipals[0]!.note).toContain("confused deputy");
  });
});

const sslDeny = (over: Stmt = {}): Stmt => ({
  Sid: "AllowSSLRequestsOnly",
  Effect: "Deny",
  Principal: "*",
  Action: "s3:*",
  Resource: [BKT, OBJ],
  Condition: { Bool: { "aws:SecureTransport": "false" } },
  ...over,
});

const sslCases: { name: string; policy: unknown; enforced: boolean; missing?: string[]; why?: string }[] = [
  { name: "AWS example", policy: doc(sslDeny()), enforced: true, missing: [] },
  {
    name: "BoolIfExists",
    policy: doc(sslDeny({ Condition: { BoolIfExists: { "aws:SecureTransport": "false" } } })),
    enforced: true,
  },
  {
    name: "JSON boolean false",
    policy: doc(sslDeny({ Condition: { Bool: { "aws:SecureTransport": false } } })),
    enforced: true,
  },
  { name: '{"AWS":"*"} principal', policy: doc(sslDeny({ Principal: { AWS: "*" } })), enforced: true },
  { name: 'Action "*"', policy: doc(sslDeny({ Action: "*" })), enforced: true },
  { name: 'Resource "*"', policy: doc(sslDeny({ Resource: "*" })), enforced: true },
  { name: "Resource arn:aws:s3:::b*", policy: doc(sslDeny({ Resource: "arn:aws:s3:::b*" })), enforced: true },
  { name: "Get*, Put*, List*", policy: doc(sslDeny({ Action: ["s3:Get*", "s3:Put*", "s3:List*"] })), enforced: true },
  { name: "Get* and Put* on both ARNs", policy: doc(sslDeny({ Action: ["s3:Get*", "s3:Put*"] })), enforced: true },
  {
    name: "GetObject and PutObject only, on both ARNs",
    policy: doc(sslDeny({ Action: ["s3:GetObject", "s3:PutObject"] })),
    enforced: false,
    missing: ["bucket-level requests (s3:ListBucket, s3:GetBucket*, s3:PutBucket*) on the bucket ARN"],
  },
  {
    name: "split over two statements",
    policy: doc(sslDeny({ Action: "s3:ListBucket", Resource: BKT }), sslDeny({ Resource: OBJ })),
    enforced: true,
  },
  {
    name: "objects only",
    policy: doc(sslDeny({ Resource: OBJ })),
    enforced: false,
    missing: ["bucket-level requests (s3:ListBucket, s3:GetBucket*, s3:PutBucket*) on the bucket ARN"],
  },
  {
    name: "bucket only",
    policy: doc(sslDeny({ Resource: BKT })),
    enforced: false,
    missing: ["s3:GetObject on objects", "s3:PutObject on objects"],
  },
  {
    name: "PutObject only",
    policy: doc(sslDeny({ Action: "s3:PutObject" })),
    enforced: false,
    missing: [
      "s3:GetObject on objects",
      "bucket-level requests (s3:ListBucket, s3:GetBucket*, s3:PutBucket*) on the bucket ARN",
    ],
  },
  { name: "prefix only", policy: doc(sslDeny({ Resource: [BKT, "arn:aws:s3:::b/data/*"] })), enforced: false },
  {
    name: "Allow with SecureTransport true does not count",
    policy: doc(
      S({
        Principal: { AWS: OWNER },
        Action: "s3:*",
        Resource: [BKT, OBJ],
        Condition: { Bool: { "aws:SecureTransport": "true" } },
      }),
    ),
    enforced: false,
    why: "an Allow conditioned on aws:SecureTransport=true does not stop HTTP",
  },
  { name: "Deny for one account only", policy: doc(sslDeny({ Principal: { AWS: OTHER } })), enforced: false },
  {
    name: "NotPrincipal Deny",
    policy: doc(sslDeny({ Principal: undefined, NotPrincipal: { AWS: OWNER } })),
    enforced: false,
  },
  {
    name: "extra condition narrows the Deny",
    policy: doc(
      sslDeny({ Condition: { Bool: { "aws:SecureTransport": "false" }, StringEquals: { "s3:prefix": "x" } } }),
    ),
    enforced: false,
  },
  {
    name: "SecureTransport true in a Deny",
    policy: doc(sslDeny({ Condition: { Bool: { "aws:SecureTransport": "true" } } })),
    enforced: false,
  },
  {
    name: "another bucket's Deny",
    policy: doc(sslDeny({ Resource: ["arn:aws:s3:::other", "arn:aws:s3:::other/*"] })),
    enforced: false,
  },
  {
    name: "TLS version Deny is not SecureTransport",
    policy: doc(sslDeny({ Condition: { NumericLessThan: { "s3:TlsVersion": "1.2" } } })),
    enforced: false,
  },
];

describe("analyzeBucketPolicy — enforcesSecureTransport", () => {
  it.each(sslCases)("$name", (c) => {
    const a = analyzeBucketPolicy(c.policy, { ownerAccountId: OWNER, bucketName: BUCKET }) as PolicyAnalysisOk;
    expect(a.error).toBeNull();
    expect(a.enforcesSecureTransport).toBe(c.enforced);
    expect(a.secureTransport.enforced).toBe(c.enforced);
    if (c.missing) expect(a.secureTransport.missing).toEqual(c.missing);
    if (c.why) expect(a.secureTransport.why).toContain(c.why);
  });
});

describe("analyzeBucketPolicy — unreadable policies are errors, never a pass", () => {
  it.each([
    { name: "bad JSON", policy: "{not json", error: "policy is not valid JSON: ", prefix: true },
    { name: "empty string", policy: "  ", error: "policy document is empty" },
    { name: "null", policy: null, error: "invalid policy: policy must be a JSON object" },
    { name: "top-level array", policy: "[]", error: "invalid policy: policy must be a JSON object" },
    {
      name: "missing Effect",
      policy: doc({ Principal: "*", Action: "s3:*", Resource: "*" }),
      error: 'invalid policy: Statement[0].Effect must be "Allow" or "Deny"',
    },
    {
      name: "lower-case effect",
      policy: doc(S({ Effect: "allow" })),
      error: 'invalid policy: Statement[0].Effect must be "Allow" or "Deny"',
    },
    {
      name: "Action and NotAction",
      policy: doc(S({ NotAction: "s3:PutObject" })),
      error: "invalid policy: Statement[0] has both Action and NotAction",
    },
    {
      name: "no Principal",
      policy: doc(S({ Principal: undefined })),
      error: "invalid policy: Statement[0] has neither Principal nor NotPrincipal",
    },
    {
      name: "bad Principal string",
      policy: doc(S({ Principal: "everyone" })),
      error:
        'invalid policy: Statement[0].Principal must be "*", an account id or ARN, or an object such as {"AWS": ...}, got "everyone"',
    },
    {
      name: "unknown principal type",
      policy: doc(S({ Principal: { Group: "x" } })),
      error:
        'invalid policy: Statement[0].Principal has an unknown principal type "Group" (expected AWS, Service, Federated or CanonicalUser)',
    },
    {
      name: "numeric Action",
      policy: doc(S({ Action: [1] })),
      error: "invalid policy: Statement[0].Action[0] must be a string",
    },
    {
      name: "Condition value is an object",
      policy: doc(S({ Condition: { StringEquals: { "aws:SourceVpce": { a: 1 } } } })),
      error: "invalid policy: Statement[0].Condition.StringEquals.aws:SourceVpce must be a string, number or boolean",
    },
    {
      name: "Condition not an object",
      policy: doc(S({ Condition: "x" })),
      error: "invalid policy: Statement[0].Condition must be an object of operator → {key: value}",
    },
  ] as { name: string; policy: unknown; error: string; prefix?: boolean }[])("$name", ({ policy, error, prefix }) => {
    const a = analyzeBucketPolicy(policy, { ownerAccountId: OWNER, bucketName: BUCKET });
    if (prefix) expect(a.error?.startsWith(error)).toBe(true);
    else expect(a.error).toBe(error);
    expect("isPublic" in a).toBe(false);
  });
});

describe("analyzeBucketPolicy — what AWS stores gets a verdict (issue 14 §2)", () => {
  const ctx = { ownerAccountId: OWNER, bucketName: BUCKET };
  it("a missing Statement grants nothing", () => {
    const a = analyzeBucketPolicy("{}", ctx) as PolicyAnalysisOk;
    expect(a.error).toBeNull();
    expect(a.isPublic).toBe(false);
    expect(a.statements).toEqual([]);
  });
  it("an empty Statement list grants nothing", () => {
    const a = analyzeBucketPolicy(doc(), ctx) as PolicyAnalysisOk;
    expect(a.error).toBeNull();
    expect(a.isPublic).toBe(false);
  });
  it("a statement without Action or NotAction matches nothing, even with Principal *", () => {
    const a = analyzeBucketPolicy(doc(S({ Action: undefined })), ctx) as PolicyAnalysisOk;
    expect(a.error).toBeNull();
    expect(a.isPublic).toBe(false);
    expect(a.statements[0]!.why).toContain("neither Action nor NotAction");
  });
  it("a statement without Resource or NotResource matches nothing", () => {
    const a = analyzeBucketPolicy(doc(S({ Resource: undefined })), ctx) as PolicyAnalysisOk;
    expect(a.error).toBeNull();
    expect(a.isPublic).toBe(false);
  });
  it("a bare ARN string as Principal is that AWS principal", () => {
    const a = analyzeBucketPolicy(doc(S({ Principal: `arn:aws:iam::${OTHER}:root` })), ctx) as PolicyAnalysisOk;
    expect(a.error).toBeNull();
    expect(a.isPublic).toBe(false);
    expect(a.crossAccountPrincipals.map((c) => c.accountId)).toEqual([OTHER]);
  });
  it("a bare 12-digit account id as Principal is that account", () => {
    const a = analyzeBucketPolicy(doc(S({ Principal: OTHER })), ctx) as PolicyAnalysisOk;
    expect(a.error).toBeNull();
    expect(a.isPublic).toBe(false);
    expect(a.readers[0]).toMatchObject({ kind: "other-account", accountId: OTHER });
  });
});

describe("analyzeBucketPolicy — only fixed values limit a grant, whatever the operator (issue 14 §1)", () => {
  const ctx = { ownerAccountId: OWNER, bucketName: BUCKET };
  it.each([
    { key: "aws:PrincipalOrgID", value: "o-*" },
    { key: "aws:PrincipalOrgID", value: "*" },
    { key: "aws:SourceVpce", value: "vpce-?" },
    { key: "aws:SourceAccount", value: "*" },
    { key: "aws:PrincipalArn", value: "arn:aws:iam::*:role/x" },
  ])("StringEquals $key = $value is public (AWS: not a fixed value)", ({ key, value }) => {
    const a = analyzeBucketPolicy(doc(S({ Condition: { StringEquals: { [key]: value } } })), ctx) as PolicyAnalysisOk;
    expect(a.error).toBeNull();
    expect(a.isPublic).toBe(true);
    expect(a.publicStatements[0]!.why).toContain(
      "StringEquals compares literally, so this grants no caller today, but AWS treats it as public",
    );
  });
  it("StringLike with a wildcard is public and says it matches any value", () => {
    const a = analyzeBucketPolicy(
      doc(S({ Condition: { StringLike: { "aws:PrincipalOrgID": "o-*" } } })),
      ctx,
    ) as PolicyAnalysisOk;
    expect(a.isPublic).toBe(true);
    expect(a.publicStatements[0]!.why).toContain("contains a wildcard");
    expect(a.publicStatements[0]!.why).not.toContain("compares literally");
  });
  it("a fixed organization id still limits", () => {
    const a = analyzeBucketPolicy(
      doc(S({ Condition: { StringEquals: { "aws:PrincipalOrgID": "o-abc123" } } })),
      ctx,
    ) as PolicyAnalysisOk;
    expect(a.isPublic).toBe(false);
  });
});

/** Human-readable lines for each collected setting, with the AWS call it came from. Presentational only. */
import type { BucketSettingKey, EncryptionSettings, Setting } from "@/lib/domain/bucket-settings";
import { Badge } from "@/components/ui/badge";

export const SETTING_INFO: Record<BucketSettingKey, { label: string; api: string }> = {
  encryption: { label: "Default encryption", api: "GetBucketEncryption" },
  versioning: { label: "Versioning", api: "GetBucketVersioning" },
  logging: { label: "Server access logging", api: "GetBucketLogging" },
  publicAccessBlock: { label: "Block Public Access (bucket)", api: "GetPublicAccessBlock" },
  policy: { label: "Bucket policy", api: "GetBucketPolicy" },
  policyStatus: { label: "Policy status (AWS's verdict)", api: "GetBucketPolicyStatus" },
  acl: { label: "Access control list", api: "GetBucketAcl" },
  ownershipControls: { label: "Object Ownership", api: "GetBucketOwnershipControls" },
  tags: { label: "Tags", api: "GetBucketTagging" },
  objectLock: { label: "Object Lock", api: "GetObjectLockConfiguration" },
  lifecycle: { label: "Lifecycle rules", api: "GetBucketLifecycleConfiguration" },
  replication: { label: "Replication", api: "GetBucketReplication" },
};

const ABSENT_TEXT: Record<BucketSettingKey, string> = {
  encryption: "No default encryption configured",
  versioning: "Never enabled",
  logging: "Off",
  publicAccessBlock: "Not configured (all four settings off at bucket level)",
  policy: "No bucket policy",
  policyStatus: "No bucket policy",
  acl: "—",
  ownershipControls: "Not set (ACLs are honoured)",
  tags: "No tags",
  objectLock: "Not enabled",
  lifecycle: "No lifecycle rules",
  replication: "No replication",
};

const PAB_FLAGS = ["blockPublicAcls", "ignorePublicAcls", "blockPublicPolicy", "restrictPublicBuckets"] as const;
const PAB_LABEL = {
  blockPublicAcls: "BlockPublicAcls",
  ignorePublicAcls: "IgnorePublicAcls",
  blockPublicPolicy: "BlockPublicPolicy",
  restrictPublicBuckets: "RestrictPublicBuckets",
};

function describe(key: BucketSettingKey, value: unknown): React.ReactNode {
  const v = value as never;
  switch (key) {
    case "encryption": {
      const rules = (v as EncryptionSettings).rules;
      return rules.map((r, i) => (
        <div key={i}>
          {r.algorithm === "AES256"
            ? "SSE-S3 (AES256)"
            : r.algorithm === "aws:kms"
              ? "SSE-KMS"
              : r.algorithm === "aws:kms:dsse"
                ? "DSSE-KMS"
                : r.algorithm}
          {r.kmsKeyId ? <span className="ml-1 break-all font-mono text-xs text-slate-500">{r.kmsKeyId}</span> : null}
          {r.bucketKeyEnabled ? <span className="ml-1 text-xs text-slate-500">· bucket key</span> : null}
        </div>
      ));
    }
    case "versioning": {
      const s = v as { status: string; mfaDelete: string };
      return `${s.status === "Off" ? "Never enabled" : s.status}; MFA delete ${s.mfaDelete === "Off" ? "never configured" : s.mfaDelete.toLowerCase()}`;
    }
    case "logging": {
      const s = v as { targetBucket: string; targetPrefix: string };
      return (
        <>
          To{" "}
          <span className="font-mono text-xs">
            s3://{s.targetBucket}/{s.targetPrefix}
          </span>
        </>
      );
    }
    case "publicAccessBlock":
      return (
        <span className="flex flex-wrap gap-1">
          {PAB_FLAGS.map((f) => (
            <Badge key={f} tone={(v as Record<string, boolean>)[f] ? "green" : "amber"}>
              {PAB_LABEL[f]} {(v as Record<string, boolean>)[f] ? "on" : "off"}
            </Badge>
          ))}
        </span>
      );
    case "policy":
      return (
        <details>
          <summary className="cursor-pointer text-indigo-700">Show policy document</summary>
          <pre className="mt-2 max-h-96 overflow-auto rounded-lg bg-slate-900 p-3 text-xs text-slate-100">
            {prettyJson((v as { json: string }).json)}
          </pre>
        </details>
      );
    case "policyStatus":
      return (v as { isPublic: boolean }).isPublic
        ? "AWS reports the policy as public"
        : "AWS reports the policy as not public";
    case "acl": {
      const acl = v as {
        ownerId: string;
        grants: { granteeType: string; grantee: string; displayName: string | null; permission: string }[];
      };
      return (
        <ul className="space-y-0.5">
          {acl.grants.map((g, i) => (
            <li key={i} className="text-xs">
              <span className="font-medium">{g.permission}</span> →{" "}
              <span className="break-all font-mono">
                {g.grantee === acl.ownerId ? "bucket owner" : (g.displayName ?? g.grantee)}
              </span>
            </li>
          ))}
        </ul>
      );
    }
    case "ownershipControls":
      return (v as { objectOwnership: string }).objectOwnership;
    case "tags": {
      const entries = Object.entries(v as Record<string, string>);
      return (
        <span className="flex flex-wrap gap-1">
          {entries.map(([k, val]) => (
            <Badge key={k}>
              {k}={val}
            </Badge>
          ))}
        </span>
      );
    }
    case "objectLock": {
      const s = v as {
        enabled: boolean;
        defaultRetention: { mode: string; days: number | null; years: number | null } | null;
      };
      if (!s.enabled) return "Not enabled";
      const r = s.defaultRetention;
      return r
        ? `Enabled, default ${r.mode} ${r.days ? `${r.days} days` : `${r.years} years`}`
        : "Enabled, no default retention";
    }
    case "lifecycle": {
      const rules = (v as { rules: { id: string | null; status: string }[] }).rules;
      return `${rules.length} rule${rules.length === 1 ? "" : "s"} (${rules.filter((r) => r.status === "Enabled").length} enabled)`;
    }
    case "replication": {
      const rules = (
        v as { rules: { destinationBucketArn: string; destinationAccount: string | null; status: string }[] }
      ).rules;
      return (
        <ul>
          {rules.map((r, i) => (
            <li key={i} className="text-xs">
              {r.status} → <span className="font-mono">{r.destinationBucketArn}</span>
              {r.destinationAccount ? ` (account ${r.destinationAccount})` : ""}
            </li>
          ))}
        </ul>
      );
    }
  }
}

function prettyJson(text: string) {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

export function SettingValue({
  settingKey,
  setting,
}: {
  settingKey: BucketSettingKey;
  setting: Setting<unknown> | undefined;
}) {
  if (!setting) return <span className="text-slate-500">Not collected</span>;
  if (setting.status === "unknown") {
    return (
      <span className="inline-flex flex-wrap items-center gap-1.5" data-testid={`setting-unknown-${settingKey}`}>
        <Badge tone="gray">Unknown</Badge>
        <span className="text-xs text-slate-600">{setting.reason}</span>
      </span>
    );
  }
  if (setting.status === "absent") {
    return (
      <span>
        {ABSENT_TEXT[settingKey]}
        {setting.errorCode ? (
          <span className="ml-1 font-mono text-xs text-slate-500">({setting.errorCode})</span>
        ) : null}
      </span>
    );
  }
  return <>{describe(settingKey, setting.value)}</>;
}

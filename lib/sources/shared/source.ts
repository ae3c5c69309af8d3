/**
 * What an AWS data source declares about itself (its lib/sources/<key>/source.ts). The registry lists them; the
 * read-only allow-list, the deploy templates' test, the fixture AWS and the sync all read them from there.
 */
import type { Db } from "@/lib/db/prisma";
import type { FixtureResponder } from "@/lib/sources/fixture/world";
import type { AccountClients } from "@/lib/sources/shared/connector";

export interface Source {
  /** The service key: in call counts ("s3:ListBuckets") and as the collector of its sync tasks. */
  key: string;
  /**
   * Every SDK command this source may send, with the IAM actions the read-only role needs for it: its slice of the
   * read-only allow-list. The role templates in deploy/ grant exactly the union of these (deploy-templates.test.ts).
   */
  commands: Readonly<Record<string, readonly string[]>>;
  /** How the fixture AWS answers this source's commands; absent when the connector answers them itself (STS). */
  fixture?: FixtureResponder;
  /**
   * Its step in an account's sync (lib/sync/sync-account.ts runs every registered step by its scope); absent when
   * the source is read by another one (S3 Control, by S3) or outside the sync (Organizations, STS).
   */
  sync?: SourceSync;
}

/** What a sync step gets: the account's clients, and where and when to store what it reads. */
export interface SourceSyncContext {
  db: Db;
  clients: AccountClients;
  syncRunId: string;
  accountId: string;
  /** The region of account-wide calls. */
  homeRegion: string;
  /** When this sync read the account: stamped on what the load writes. */
  readAt: Date;
  bucketConcurrency?: number;
  /** Progress through the account's buckets (the bucket inventory reports it). */
  onBucketProgress?: (progress: { bucketsTotal: number; bucketsRead: number }) => void;
}

/** What a sync step reports; the sync records it on the step's SyncTask. */
export interface SourceReadOutcome {
  itemsRead: number;
  /** The first failure that left the read incomplete: the task fails and the account is partial. */
  error: { code: string; message: string } | null;
  /** Account-wide steps: the regions the account's resources are in, which the regional steps then read. */
  regions?: string[];
}

export type SourceSync =
  | {
      /** Once per account (its task's region is "global"), before the regional steps unless regions are configured. */
      scope: "account";
      /**
       * Set on the bucket inventory (S3): only its complete listing may mark buckets gone, so its failure fails the
       * account's sync (not partial) with this summary, and its itemsRead is the account's bucket count.
       */
      inventory?: { failureSummary: string };
      /**
       * Keys of account-wide steps whose stored results this step reads (KMS reads the keys the bucket settings and
       * trails name): it starts once they have finished, successfully or not. Steps without it run side by side.
       */
      after?: readonly string[];
      /** collect → transform → load, for the whole account. */
      run(context: SourceSyncContext): Promise<SourceReadOutcome>;
    }
  | {
      /** Once per region (the configured ones, or those the account-wide steps found plus the home region). */
      scope: "region";
      /** collect → transform → load, for one region; a region's steps run side by side. */
      run(context: SourceSyncContext & { region: string }): Promise<SourceReadOutcome>;
    };

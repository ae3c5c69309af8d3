-- AlterTable
ALTER TABLE "bucket" ADD COLUMN     "macie_policy_findings" INTEGER NOT NULL DEFAULT 0;

-- Backfill from the findings already stored, so an upgraded installation counts policy findings before its next sync.
UPDATE "bucket" AS b SET "macie_policy_findings" = f.n
  FROM (SELECT account_id, bucket_name, COUNT(*)::int AS n FROM "macie_finding"
         WHERE NOT archived AND category = 'POLICY' GROUP BY account_id, bucket_name) AS f
 WHERE b.account_id = f.account_id AND b.name = f.bucket_name;

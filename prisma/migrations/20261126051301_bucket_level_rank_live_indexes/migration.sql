-- DropIndex
DROP INDEX "bucket_account_id_id_idx";

-- DropIndex
DROP INDEX "bucket_config_disagreements_idx";

-- DropIndex
DROP INDEX "bucket_exposure_risk_score_idx";

-- DropIndex
DROP INDEX "bucket_failing_required_level_key_idx";

-- DropIndex
DROP INDEX "bucket_gone_at_idx";

-- DropIndex
DROP INDEX "bucket_level_key_risk_score_idx";

-- DropIndex
DROP INDEX "bucket_macie_max_severity_idx";

-- DropIndex
DROP INDEX "bucket_name_id_idx";

-- DropIndex
DROP INDEX "bucket_owner_tag_idx";

-- DropIndex
DROP INDEX "bucket_region_id_idx";

-- DropIndex
DROP INDEX "bucket_risk_score_id_idx";

-- DropIndex
DROP INDEX "bucket_unknown_required_idx";

-- AlterTable
ALTER TABLE "bucket" ADD COLUMN     "level_rank" INTEGER NOT NULL DEFAULT -1;

-- CreateIndex
CREATE INDEX "bucket_risk_score_id_gone_at_idx" ON "bucket"("risk_score", "id", "gone_at");

-- CreateIndex
CREATE INDEX "bucket_level_key_risk_score_gone_at_idx" ON "bucket"("level_key", "risk_score" DESC, "gone_at");

-- CreateIndex
CREATE INDEX "bucket_exposure_risk_score_gone_at_idx" ON "bucket"("exposure", "risk_score" DESC, "gone_at");

-- CreateIndex
CREATE INDEX "bucket_name_id_gone_at_idx" ON "bucket"("name", "id", "gone_at");

-- CreateIndex
CREATE INDEX "bucket_region_id_gone_at_idx" ON "bucket"("region", "id", "gone_at");

-- CreateIndex
CREATE INDEX "bucket_account_id_id_gone_at_idx" ON "bucket"("account_id", "id", "gone_at");

-- CreateIndex
CREATE INDEX "bucket_level_rank_id_gone_at_idx" ON "bucket"("level_rank", "id", "gone_at");

-- CreateIndex
CREATE INDEX "bucket_owner_tag_gone_at_idx" ON "bucket"("owner_tag", "gone_at");

-- CreateIndex
CREATE INDEX "bucket_gone_at_id_idx" ON "bucket"("gone_at", "id");

-- CreateIndex
CREATE INDEX "bucket_failing_required_level_key_gone_at_idx" ON "bucket"("failing_required", "level_key", "gone_at");

-- CreateIndex
CREATE INDEX "bucket_unknown_required_gone_at_idx" ON "bucket"("unknown_required", "gone_at");

-- CreateIndex
CREATE INDEX "bucket_waived_required_gone_at_idx" ON "bucket"("waived_required", "gone_at");

-- CreateIndex
CREATE INDEX "bucket_compliant_gone_at_idx" ON "bucket"("compliant", "gone_at");

-- CreateIndex
CREATE INDEX "bucket_level_source_gone_at_idx" ON "bucket"("level_source", "gone_at");

-- CreateIndex
CREATE INDEX "bucket_macie_max_severity_gone_at_idx" ON "bucket"("macie_max_severity", "gone_at");

-- CreateIndex
CREATE INDEX "bucket_config_disagreements_gone_at_idx" ON "bucket"("config_disagreements", "gone_at");

-- Backfill: the rank of each evaluated bucket's level in the scheme version it was evaluated with.
UPDATE "bucket" b SET "level_rank" = l."rank"
  FROM "classification_level" l
 WHERE l."scheme_version" = b."scheme_version" AND l."key" = b."level_key";

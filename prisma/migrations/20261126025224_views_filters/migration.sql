-- AlterTable
ALTER TABLE "bucket" ADD COLUMN     "risk_terms" JSONB;

-- CreateIndex
CREATE INDEX "bucket_tags_idx" ON "bucket" USING GIN ("tags");

-- CreateIndex
CREATE INDEX "bucket_account_id_name_idx" ON "bucket"("account_id", "name");

-- CreateIndex
CREATE INDEX "bucket_failing_required_level_key_idx" ON "bucket"("failing_required", "level_key");

-- CreateIndex
CREATE INDEX "bucket_unknown_required_idx" ON "bucket"("unknown_required");

-- CreateIndex
CREATE INDEX "bucket_macie_max_severity_idx" ON "bucket"("macie_max_severity");

-- CreateIndex
CREATE INDEX "bucket_config_disagreements_idx" ON "bucket"("config_disagreements");

-- CreateIndex
CREATE INDEX "macie_finding_archived_severity_score_created_at_idx" ON "macie_finding"("archived", "severity_score" DESC, "created_at" DESC);

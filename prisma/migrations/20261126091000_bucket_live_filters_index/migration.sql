-- DropIndex
DROP INDEX "bucket_gone_at_id_idx";

-- CreateIndex
CREATE INDEX "bucket_live_filters_idx" ON "bucket"("gone_at", "id", "level_key", "level_rank", "level_source", "exposure", "failing_required", "unknown_required", "waived_required", "compliant", "macie_max_severity", "config_disagreements", "region", "account_id", "owner_tag", "risk_score");

-- Trigram operators for the bucket name search index (a trusted extension: the database owner may create it).
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- DropIndex
DROP INDEX "bucket_region_idx";

-- DropIndex
DROP INDEX "bucket_risk_score_id_idx";

-- DropIndex
DROP INDEX "control_result_control_id_status_idx";

-- CreateIndex
CREATE INDEX "bucket_risk_score_id_idx" ON "bucket"("risk_score", "id");

-- CreateIndex
CREATE INDEX "bucket_region_id_idx" ON "bucket"("region", "id");

-- CreateIndex
CREATE INDEX "bucket_account_id_id_idx" ON "bucket"("account_id", "id");

-- CreateIndex
CREATE INDEX "bucket_name_trgm_idx" ON "bucket" USING GIN ("name" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "control_result_control_id_status_bucket_id_idx" ON "control_result"("control_id", "status", "bucket_id");

-- CreateIndex
CREATE INDEX "control_result_control_id_observed_bucket_id_idx" ON "control_result"("control_id", "observed", "bucket_id");

-- CreateIndex
CREATE INDEX "control_result_status_control_id_bucket_id_idx" ON "control_result"("status", "control_id", "bucket_id");

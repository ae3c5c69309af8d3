-- DropIndex
DROP INDEX "macie_finding_archived_severity_score_created_at_idx";

-- CreateIndex
CREATE INDEX "macie_finding_archived_severity_score_created_at_id_idx" ON "macie_finding"("archived", "severity_score" DESC, "created_at" DESC, "id" DESC);

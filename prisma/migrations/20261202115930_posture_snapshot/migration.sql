-- CreateTable
CREATE TABLE "posture_snapshot" (
    "sync_run_id" UUID NOT NULL,
    "taken_at" TIMESTAMP(3) NOT NULL,
    "in_scope" INTEGER NOT NULL,
    "public_ids" INTEGER[],
    "reachable_ids" INTEGER[],
    "failing_ids" INTEGER[],

    CONSTRAINT "posture_snapshot_pkey" PRIMARY KEY ("sync_run_id")
);

-- CreateIndex
CREATE INDEX "posture_snapshot_taken_at_idx" ON "posture_snapshot"("taken_at" DESC);

-- AddForeignKey
ALTER TABLE "posture_snapshot" ADD CONSTRAINT "posture_snapshot_sync_run_id_fkey" FOREIGN KEY ("sync_run_id") REFERENCES "sync_run"("id") ON DELETE CASCADE ON UPDATE CASCADE;

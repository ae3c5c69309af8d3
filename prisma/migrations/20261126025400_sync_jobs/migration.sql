-- AlterTable
ALTER TABLE "account" ADD COLUMN     "last_test_at" TIMESTAMP(3),
ADD COLUMN     "last_test_message" TEXT,
ADD COLUMN     "last_test_ok" BOOLEAN,
ADD COLUMN     "linked_by" TEXT NOT NULL DEFAULT 'manual';

-- CreateTable
CREATE TABLE "sync_run_account" (
    "sync_run_id" UUID NOT NULL,
    "account_id" VARCHAR(12) NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "job_id" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "started_at" TIMESTAMP(3),
    "finished_at" TIMESTAMP(3),
    "regions_total" INTEGER NOT NULL DEFAULT 0,
    "regions_done" INTEGER NOT NULL DEFAULT 0,
    "buckets_total" INTEGER NOT NULL DEFAULT 0,
    "buckets_read" INTEGER NOT NULL DEFAULT 0,
    "errors" INTEGER NOT NULL DEFAULT 0,
    "calls" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "notifications" JSONB,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sync_run_account_pkey" PRIMARY KEY ("sync_run_id","account_id")
);

-- CreateTable
CREATE TABLE "webhook_delivery" (
    "id" SERIAL NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sync_run_id" UUID NOT NULL,
    "url" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "http_status" INTEGER,
    "error" TEXT,
    "events" INTEGER NOT NULL,

    CONSTRAINT "webhook_delivery_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "sync_run_account_account_id_status_idx" ON "sync_run_account"("account_id", "status");

-- CreateIndex
CREATE INDEX "sync_run_account_status_updated_at_idx" ON "sync_run_account"("status", "updated_at");

-- CreateIndex
CREATE INDEX "webhook_delivery_at_idx" ON "webhook_delivery"("at" DESC);

-- AddForeignKey
ALTER TABLE "sync_run_account" ADD CONSTRAINT "sync_run_account_sync_run_id_fkey" FOREIGN KEY ("sync_run_id") REFERENCES "sync_run"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sync_run_account" ADD CONSTRAINT "sync_run_account_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "account"("id") ON DELETE CASCADE ON UPDATE CASCADE;

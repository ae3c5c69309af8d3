-- CreateTable
CREATE TABLE "bucket_change_event" (
    "event_id" TEXT NOT NULL,
    "account_id" VARCHAR(12) NOT NULL,
    "region" TEXT NOT NULL,
    "bucket_name" TEXT,
    "bucket_id" INTEGER,
    "event_name" TEXT NOT NULL,
    "event_time" TIMESTAMP(3) NOT NULL,
    "actor_arn" TEXT,
    "actor_type" TEXT,
    "principal_id" TEXT,
    "invoked_by" TEXT,
    "source_ip" TEXT,
    "error_code" TEXT,
    "received_at" TIMESTAMP(3) NOT NULL,
    "refresh_id" UUID,
    "verdict_before" JSONB,
    "verdict_after" JSONB,

    CONSTRAINT "bucket_change_event_pkey" PRIMARY KEY ("event_id")
);

-- CreateIndex
CREATE INDEX "bucket_change_event_bucket_id_event_time_idx" ON "bucket_change_event"("bucket_id", "event_time" DESC);

-- CreateIndex
CREATE INDEX "bucket_change_event_account_id_received_at_idx" ON "bucket_change_event"("account_id", "received_at" DESC);

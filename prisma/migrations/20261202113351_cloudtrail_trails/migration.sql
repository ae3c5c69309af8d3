-- CreateTable
CREATE TABLE "trail" (
    "account_id" VARCHAR(12) NOT NULL,
    "arn" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "home_region" TEXT NOT NULL,
    "owner_account_id" VARCHAR(12) NOT NULL,
    "is_organization_trail" BOOLEAN NOT NULL,
    "is_multi_region" BOOLEAN NOT NULL,
    "include_global_service_events" BOOLEAN NOT NULL,
    "log_file_validation" BOOLEAN NOT NULL,
    "s3_bucket_name" TEXT,
    "s3_key_prefix" TEXT,
    "kms_key_id" TEXT,
    "cloudwatch_logs_log_group_arn" TEXT,
    "sns_topic_arn" TEXT,
    "status" JSONB,
    "event_selectors" JSONB,
    "read_at" TIMESTAMP(3) NOT NULL,
    "sync_run_id" UUID NOT NULL,

    CONSTRAINT "trail_pkey" PRIMARY KEY ("account_id","arn")
);

-- CreateIndex
CREATE INDEX "trail_s3_bucket_name_idx" ON "trail"("s3_bucket_name");

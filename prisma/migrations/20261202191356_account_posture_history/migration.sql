-- CreateTable
CREATE TABLE "account_control_result_history" (
    "id" BIGSERIAL NOT NULL,
    "account_id" VARCHAR(12) NOT NULL,
    "control_id" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "evidence" JSONB NOT NULL,
    "sync_run_id" UUID,
    "valid_from" TIMESTAMP(3) NOT NULL,
    "valid_to" TIMESTAMP(3),

    CONSTRAINT "account_control_result_history_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "bucket_external_access_history" (
    "id" BIGSERIAL NOT NULL,
    "bucket_id" INTEGER NOT NULL,
    "principal" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "account_id" VARCHAR(12),
    "read" TEXT,
    "write" TEXT,
    "key_only" BOOLEAN NOT NULL DEFAULT false,
    "reason" TEXT NOT NULL,
    "valid_from" TIMESTAMP(3) NOT NULL,
    "valid_to" TIMESTAMP(3),

    CONSTRAINT "bucket_external_access_history_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "known_vendor_name" (
    "id" BIGSERIAL NOT NULL,
    "account_id" VARCHAR(12) NOT NULL,
    "name" TEXT NOT NULL,
    "named_by" TEXT,
    "named_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "known_vendor_name_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "account_control_result_history_account_id_control_id_valid__idx" ON "account_control_result_history"("account_id", "control_id", "valid_from" DESC);

-- CreateIndex
CREATE INDEX "account_control_result_history_sync_run_id_idx" ON "account_control_result_history"("sync_run_id");

-- CreateIndex
CREATE INDEX "bucket_external_access_history_bucket_id_valid_from_idx" ON "bucket_external_access_history"("bucket_id", "valid_from" DESC);

-- CreateIndex
CREATE INDEX "known_vendor_name_account_id_named_at_idx" ON "known_vendor_name"("account_id", "named_at" DESC);

-- AddForeignKey
ALTER TABLE "account_control_result_history" ADD CONSTRAINT "account_control_result_history_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "account"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "bucket_external_access_history" ADD CONSTRAINT "bucket_external_access_history_bucket_id_fkey" FOREIGN KEY ("bucket_id") REFERENCES "bucket"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Backfill: what is current now starts the history. A control's verdict is known since it was last evaluated; the
-- external access rows carry no time, so their history starts at this migration (a bundle for an earlier snapshot
-- shows no register rather than guessing); each vendor's current name since it was given.
INSERT INTO "account_control_result_history" ("account_id", "control_id", "status", "reason", "evidence", "sync_run_id", "valid_from")
SELECT "account_id", "control_id", "status", "reason", "evidence", "sync_run_id", "evaluated_at" FROM "account_control_result";

INSERT INTO "bucket_external_access_history" ("bucket_id", "principal", "kind", "account_id", "read", "write", "key_only", "reason", "valid_from")
SELECT "bucket_id", "principal", "kind", "account_id", "read", "write", "key_only", "reason", date_trunc('milliseconds', now() AT TIME ZONE 'UTC')
  FROM "bucket_external_access";

INSERT INTO "known_vendor_name" ("account_id", "name", "named_by", "named_at")
SELECT "account_id", "name", "named_by", "named_at" FROM "known_vendor";

-- CreateTable
CREATE TABLE "kms_key" (
    "read_by_account_id" VARCHAR(12) NOT NULL,
    "region" TEXT NOT NULL,
    "key_ref" TEXT NOT NULL,
    "arn" TEXT,
    "owner_account_id" VARCHAR(12),
    "metadata" JSONB NOT NULL,
    "policy" JSONB NOT NULL,
    "rotation" JSONB NOT NULL,
    "aliases" TEXT[],
    "read_at" TIMESTAMP(3) NOT NULL,
    "sync_run_id" UUID NOT NULL,

    CONSTRAINT "kms_key_pkey" PRIMARY KEY ("read_by_account_id","region","key_ref")
);

-- CreateIndex
CREATE INDEX "kms_key_owner_account_id_idx" ON "kms_key"("owner_account_id");

-- CreateIndex
CREATE INDEX "kms_key_arn_idx" ON "kms_key"("arn");

-- AlterTable
ALTER TABLE "bucket" ADD COLUMN     "outside_reach" TEXT NOT NULL DEFAULT 'unknown';

-- CreateTable
CREATE TABLE "bucket_external_access" (
    "bucket_id" INTEGER NOT NULL,
    "principal" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "account_id" VARCHAR(12),
    "read" TEXT,
    "write" TEXT,
    "key_only" BOOLEAN NOT NULL DEFAULT false,
    "reason" TEXT NOT NULL,

    CONSTRAINT "bucket_external_access_pkey" PRIMARY KEY ("bucket_id","principal")
);

-- CreateTable
CREATE TABLE "external_principal" (
    "principal" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "first_seen_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "external_principal_pkey" PRIMARY KEY ("principal")
);

-- CreateTable
CREATE TABLE "known_vendor" (
    "account_id" VARCHAR(12) NOT NULL,
    "name" TEXT NOT NULL,
    "named_by" TEXT,
    "named_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "known_vendor_pkey" PRIMARY KEY ("account_id")
);

-- CreateIndex
CREATE INDEX "bucket_external_access_principal_bucket_id_idx" ON "bucket_external_access"("principal", "bucket_id");

-- CreateIndex
CREATE INDEX "bucket_outside_reach_risk_score_gone_at_idx" ON "bucket"("outside_reach", "risk_score" DESC, "gone_at");

-- AddForeignKey
ALTER TABLE "bucket_external_access" ADD CONSTRAINT "bucket_external_access_bucket_id_fkey" FOREIGN KEY ("bucket_id") REFERENCES "bucket"("id") ON DELETE CASCADE ON UPDATE CASCADE;

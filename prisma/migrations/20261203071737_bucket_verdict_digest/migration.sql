-- AlterTable
-- IF NOT EXISTS: the kept 1,000,000-bucket benchmark estate was given the column by hand to measure issue 19.
ALTER TABLE "bucket" ADD COLUMN IF NOT EXISTS "verdict_digest" TEXT;

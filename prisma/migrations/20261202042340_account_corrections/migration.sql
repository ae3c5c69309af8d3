-- AlterTable
ALTER TABLE "account" ADD COLUMN     "last_test_warning" TEXT,
ADD COLUMN     "unlinked_at" TIMESTAMP(3);

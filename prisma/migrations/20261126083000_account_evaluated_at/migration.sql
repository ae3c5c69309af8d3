-- AlterTable
ALTER TABLE "account" ADD COLUMN     "evaluated_at" TIMESTAMP(3);

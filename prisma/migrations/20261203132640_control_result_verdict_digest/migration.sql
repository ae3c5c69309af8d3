-- AlterTable
ALTER TABLE "control_result" ADD COLUMN     "verdict_digest" TEXT;

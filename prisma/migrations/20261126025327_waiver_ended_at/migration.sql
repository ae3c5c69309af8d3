-- AlterTable
ALTER TABLE "waiver" ADD COLUMN     "ended_at" TIMESTAMP(3),
ADD COLUMN     "ended_by_id" UUID;

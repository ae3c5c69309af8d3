-- AlterTable
ALTER TABLE "posture_snapshot" ADD COLUMN     "compared_with" UUID,
ADD COLUMN     "new_failing_ids" INTEGER[],
ADD COLUMN     "new_public_ids" INTEGER[],
ADD COLUMN     "new_reachable_ids" INTEGER[];

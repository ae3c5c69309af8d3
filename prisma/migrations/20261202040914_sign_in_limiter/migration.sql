-- The counters change meaning (a 15-minute lock became a delay); the limiter starts fresh.
DELETE FROM "login_throttle";

-- AlterTable
ALTER TABLE "login_throttle" DROP COLUMN "locked_until",
DROP COLUMN "window_start",
ADD COLUMN     "last_failure_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN     "next_attempt_at" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "session" ADD COLUMN     "failed_attempts_before" INTEGER NOT NULL DEFAULT 0;

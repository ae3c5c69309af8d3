-- CreateTable
CREATE TABLE "account_control_result" (
    "account_id" VARCHAR(12) NOT NULL,
    "control_id" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "evidence" JSONB NOT NULL,
    "evaluated_at" TIMESTAMP(3) NOT NULL,
    "sync_run_id" UUID,

    CONSTRAINT "account_control_result_pkey" PRIMARY KEY ("account_id","control_id")
);

-- CreateIndex
CREATE INDEX "account_control_result_control_id_status_idx" ON "account_control_result"("control_id", "status");

-- AddForeignKey
ALTER TABLE "account_control_result" ADD CONSTRAINT "account_control_result_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "account"("id") ON DELETE CASCADE ON UPDATE CASCADE;

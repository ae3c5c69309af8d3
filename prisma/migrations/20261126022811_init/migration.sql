-- CreateEnum
CREATE TYPE "Role" AS ENUM ('admin', 'security-lead', 'manager', 'auditor');

-- CreateTable
CREATE TABLE "account" (
    "id" VARCHAR(12) NOT NULL,
    "name" TEXT NOT NULL,
    "ou_path" TEXT NOT NULL DEFAULT '',
    "owner" TEXT,
    "role_arn" TEXT NOT NULL,
    "external_id" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "last_sync_status" TEXT NOT NULL DEFAULT 'never',
    "last_sync_at" TIMESTAMP(3),
    "last_success_at" TIMESTAMP(3),
    "last_error" TEXT,
    "last_error_code" TEXT,
    "s3_account_settings" JSONB,
    "s3_account_settings_read_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "account_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "account_region" (
    "account_id" VARCHAR(12) NOT NULL,
    "region" TEXT NOT NULL,
    "collector" TEXT NOT NULL,
    "last_attempt_at" TIMESTAMP(3),
    "last_success_at" TIMESTAMP(3),
    "last_error" TEXT,
    "status" JSONB,

    CONSTRAINT "account_region_pkey" PRIMARY KEY ("account_id","region","collector")
);

-- CreateTable
CREATE TABLE "sync_run" (
    "id" UUID NOT NULL,
    "trigger" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "requested_by_id" UUID,
    "requested_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMP(3),
    "finished_at" TIMESTAMP(3),
    "accounts_total" INTEGER NOT NULL DEFAULT 0,
    "accounts_done" INTEGER NOT NULL DEFAULT 0,
    "accounts_failed" INTEGER NOT NULL DEFAULT 0,
    "calls" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,

    CONSTRAINT "sync_run_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sync_task" (
    "id" UUID NOT NULL,
    "sync_run_id" UUID NOT NULL,
    "account_id" VARCHAR(12) NOT NULL,
    "region" TEXT NOT NULL,
    "collector" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "started_at" TIMESTAMP(3),
    "finished_at" TIMESTAMP(3),
    "calls" INTEGER NOT NULL DEFAULT 0,
    "items_read" INTEGER NOT NULL DEFAULT 0,
    "errors_count" INTEGER NOT NULL DEFAULT 0,
    "error_code" TEXT,
    "error_message" TEXT,

    CONSTRAINT "sync_task_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "bucket" (
    "id" SERIAL NOT NULL,
    "arn" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "account_id" VARCHAR(12) NOT NULL,
    "region" TEXT NOT NULL,
    "bucket_created_at" TIMESTAMP(3),
    "first_seen_sync_id" UUID NOT NULL,
    "last_seen_sync_id" UUID NOT NULL,
    "first_seen_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_seen_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "gone_at" TIMESTAMP(3),
    "current_state_id" INTEGER,
    "owner_tag" TEXT,
    "tags" JSONB,
    "level_key" TEXT,
    "level_source" TEXT NOT NULL DEFAULT 'fallback',
    "classified" BOOLEAN NOT NULL DEFAULT false,
    "exposure" TEXT NOT NULL DEFAULT 'unknown',
    "public_write" TEXT NOT NULL DEFAULT 'unknown',
    "risk_score" INTEGER NOT NULL DEFAULT 0,
    "failing_required" INTEGER NOT NULL DEFAULT 0,
    "unknown_required" INTEGER NOT NULL DEFAULT 0,
    "waived_required" INTEGER NOT NULL DEFAULT 0,
    "compliant" BOOLEAN NOT NULL DEFAULT false,
    "macie_max_severity" INTEGER NOT NULL DEFAULT 0,
    "macie_findings" INTEGER NOT NULL DEFAULT 0,
    "config_disagreements" INTEGER NOT NULL DEFAULT 0,
    "evaluated_at" TIMESTAMP(3),
    "scheme_version" INTEGER,

    CONSTRAINT "bucket_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "bucket_state" (
    "id" SERIAL NOT NULL,
    "bucket_id" INTEGER NOT NULL,
    "hash" CHAR(64) NOT NULL,
    "settings" JSONB NOT NULL,
    "sync_run_id" UUID NOT NULL,
    "read_at" TIMESTAMP(3) NOT NULL,
    "last_read_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "bucket_state_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "bucket_setting_change" (
    "id" SERIAL NOT NULL,
    "bucket_id" INTEGER NOT NULL,
    "setting" TEXT NOT NULL,
    "from_value" JSONB,
    "to_value" JSONB,
    "changed_at" TIMESTAMP(3) NOT NULL,
    "sync_run_id" UUID NOT NULL,

    CONSTRAINT "bucket_setting_change_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "config_evaluation" (
    "id" SERIAL NOT NULL,
    "account_id" VARCHAR(12) NOT NULL,
    "region" TEXT NOT NULL,
    "rule_name" TEXT NOT NULL,
    "source_identifier" TEXT NOT NULL,
    "bucket_name" TEXT NOT NULL,
    "compliance_type" TEXT NOT NULL,
    "recorded_at" TIMESTAMP(3) NOT NULL,
    "annotation" TEXT,
    "sync_run_id" UUID NOT NULL,

    CONSTRAINT "config_evaluation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "macie_finding" (
    "id" TEXT NOT NULL,
    "account_id" VARCHAR(12) NOT NULL,
    "region" TEXT NOT NULL,
    "bucket_name" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "severity" TEXT NOT NULL,
    "severity_score" INTEGER NOT NULL,
    "count" INTEGER NOT NULL,
    "sensitive_data_categories" TEXT[],
    "detection_types" TEXT[],
    "created_at" TIMESTAMP(3) NOT NULL,
    "updated_at" TIMESTAMP(3) NOT NULL,
    "archived" BOOLEAN NOT NULL DEFAULT false,
    "first_seen_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_seen_sync_id" UUID NOT NULL,

    CONSTRAINT "macie_finding_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "macie_bucket_profile" (
    "account_id" VARCHAR(12) NOT NULL,
    "bucket_name" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "sensitivity_score" INTEGER,
    "classifiable_object_count" BIGINT NOT NULL DEFAULT 0,
    "classifiable_size_in_bytes" BIGINT NOT NULL DEFAULT 0,
    "last_automated_discovery_time" TIMESTAMP(3),
    "monitoring_status" TEXT,
    "sync_run_id" UUID NOT NULL,

    CONSTRAINT "macie_bucket_profile_pkey" PRIMARY KEY ("account_id","bucket_name")
);

-- CreateTable
CREATE TABLE "scheme_version" (
    "version" INTEGER NOT NULL,
    "tag_key" TEXT NOT NULL,
    "fallback_level" TEXT NOT NULL,
    "definition" JSONB NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_by_id" UUID,
    "note" TEXT,

    CONSTRAINT "scheme_version_pkey" PRIMARY KEY ("version")
);

-- CreateTable
CREATE TABLE "classification_level" (
    "scheme_version" INTEGER NOT NULL,
    "key" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "rank" INTEGER NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "required_control_ids" TEXT[],
    "aliases" TEXT[],

    CONSTRAINT "classification_level_pkey" PRIMARY KEY ("scheme_version","key")
);

-- CreateTable
CREATE TABLE "bucket_classification" (
    "bucket_id" INTEGER NOT NULL,
    "level_key" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "set_by_id" UUID NOT NULL,
    "set_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "bucket_classification_pkey" PRIMARY KEY ("bucket_id")
);

-- CreateTable
CREATE TABLE "waiver" (
    "id" UUID NOT NULL,
    "bucket_id" INTEGER NOT NULL,
    "control_id" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "owner" TEXT NOT NULL,
    "expires_at" TIMESTAMP(3) NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'proposed',
    "proposed_by_id" UUID NOT NULL,
    "proposed_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "decided_by_id" UUID,
    "decided_at" TIMESTAMP(3),
    "decision_note" TEXT,

    CONSTRAINT "waiver_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "control_result" (
    "bucket_id" INTEGER NOT NULL,
    "control_id" TEXT NOT NULL,
    "required" BOOLEAN NOT NULL,
    "status" TEXT NOT NULL,
    "observed" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "evidence" JSONB NOT NULL,
    "config_verdict" TEXT,
    "config_compliance" TEXT,
    "waiver_id" UUID,
    "scheme_version" INTEGER NOT NULL,
    "evaluated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "control_result_pkey" PRIMARY KEY ("bucket_id","control_id")
);

-- CreateTable
CREATE TABLE "coverage_daily" (
    "day" DATE NOT NULL,
    "scope_type" TEXT NOT NULL,
    "scope_key" TEXT NOT NULL,
    "level_key" TEXT NOT NULL,
    "buckets" INTEGER NOT NULL,
    "classified" INTEGER NOT NULL,
    "compliant" INTEGER NOT NULL,
    "failing" INTEGER NOT NULL,
    "waived" INTEGER NOT NULL,

    CONSTRAINT "coverage_daily_pkey" PRIMARY KEY ("day","scope_type","scope_key","level_key")
);

-- CreateTable
CREATE TABLE "app_user" (
    "id" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "role" "Role" NOT NULL,
    "password_hash" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "disabled_at" TIMESTAMP(3),

    CONSTRAINT "app_user_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "session" (
    "id" CHAR(64) NOT NULL,
    "user_id" UUID NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_seen_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMP(3) NOT NULL,
    "ip" TEXT,
    "user_agent" TEXT,

    CONSTRAINT "session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "login_throttle" (
    "key" TEXT NOT NULL,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "window_start" TIMESTAMP(3) NOT NULL,
    "locked_until" TIMESTAMP(3),

    CONSTRAINT "login_throttle_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "audit_event" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor_id" UUID,
    "actor_email" TEXT,
    "action" TEXT NOT NULL,
    "target_type" TEXT,
    "target_id" TEXT,
    "outcome" TEXT NOT NULL,
    "detail" JSONB,
    "ip" TEXT,

    CONSTRAINT "audit_event_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "evidence_bundle" (
    "id" UUID NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_by_id" UUID NOT NULL,
    "scope" JSONB NOT NULL,
    "sync_run_id" UUID NOT NULL,
    "sha256" CHAR(64) NOT NULL,
    "manifest" JSONB NOT NULL,
    "file_name" TEXT NOT NULL,
    "size_bytes" BIGINT NOT NULL,

    CONSTRAINT "evidence_bundle_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "app_setting" (
    "key" TEXT NOT NULL,
    "value" JSONB NOT NULL,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "app_setting_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "account_ou_path_idx" ON "account"("ou_path");

-- CreateIndex
CREATE INDEX "sync_run_requested_at_idx" ON "sync_run"("requested_at" DESC);

-- CreateIndex
CREATE INDEX "sync_task_sync_run_id_idx" ON "sync_task"("sync_run_id");

-- CreateIndex
CREATE INDEX "sync_task_account_id_collector_region_idx" ON "sync_task"("account_id", "collector", "region");

-- CreateIndex
CREATE UNIQUE INDEX "bucket_arn_key" ON "bucket"("arn");

-- CreateIndex
CREATE UNIQUE INDEX "bucket_current_state_id_key" ON "bucket"("current_state_id");

-- CreateIndex
CREATE INDEX "bucket_account_id_region_idx" ON "bucket"("account_id", "region");

-- CreateIndex
CREATE INDEX "bucket_risk_score_id_idx" ON "bucket"("risk_score" DESC, "id");

-- CreateIndex
CREATE INDEX "bucket_level_key_risk_score_idx" ON "bucket"("level_key", "risk_score" DESC);

-- CreateIndex
CREATE INDEX "bucket_exposure_risk_score_idx" ON "bucket"("exposure", "risk_score" DESC);

-- CreateIndex
CREATE INDEX "bucket_name_id_idx" ON "bucket"("name", "id");

-- CreateIndex
CREATE INDEX "bucket_region_idx" ON "bucket"("region");

-- CreateIndex
CREATE INDEX "bucket_owner_tag_idx" ON "bucket"("owner_tag");

-- CreateIndex
CREATE INDEX "bucket_gone_at_idx" ON "bucket"("gone_at");

-- CreateIndex
CREATE INDEX "bucket_state_bucket_id_read_at_idx" ON "bucket_state"("bucket_id", "read_at" DESC);

-- CreateIndex
CREATE INDEX "bucket_setting_change_bucket_id_changed_at_idx" ON "bucket_setting_change"("bucket_id", "changed_at" DESC);

-- CreateIndex
CREATE INDEX "config_evaluation_account_id_bucket_name_idx" ON "config_evaluation"("account_id", "bucket_name");

-- CreateIndex
CREATE UNIQUE INDEX "config_evaluation_account_id_region_rule_name_bucket_name_key" ON "config_evaluation"("account_id", "region", "rule_name", "bucket_name");

-- CreateIndex
CREATE INDEX "macie_finding_account_id_bucket_name_idx" ON "macie_finding"("account_id", "bucket_name");

-- CreateIndex
CREATE INDEX "macie_finding_severity_score_created_at_idx" ON "macie_finding"("severity_score" DESC, "created_at" DESC);

-- CreateIndex
CREATE INDEX "macie_finding_type_idx" ON "macie_finding"("type");

-- CreateIndex
CREATE INDEX "waiver_bucket_id_control_id_idx" ON "waiver"("bucket_id", "control_id");

-- CreateIndex
CREATE INDEX "waiver_status_expires_at_idx" ON "waiver"("status", "expires_at");

-- CreateIndex
CREATE INDEX "control_result_control_id_status_idx" ON "control_result"("control_id", "status");

-- CreateIndex
CREATE UNIQUE INDEX "app_user_email_key" ON "app_user"("email");

-- CreateIndex
CREATE INDEX "session_user_id_idx" ON "session"("user_id");

-- CreateIndex
CREATE INDEX "audit_event_at_idx" ON "audit_event"("at" DESC);

-- CreateIndex
CREATE INDEX "audit_event_action_at_idx" ON "audit_event"("action", "at" DESC);

-- CreateIndex
CREATE INDEX "evidence_bundle_created_at_idx" ON "evidence_bundle"("created_at" DESC);

-- AddForeignKey
ALTER TABLE "account_region" ADD CONSTRAINT "account_region_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "account"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sync_task" ADD CONSTRAINT "sync_task_sync_run_id_fkey" FOREIGN KEY ("sync_run_id") REFERENCES "sync_run"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sync_task" ADD CONSTRAINT "sync_task_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "account"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "bucket" ADD CONSTRAINT "bucket_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "account"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "bucket" ADD CONSTRAINT "bucket_current_state_id_fkey" FOREIGN KEY ("current_state_id") REFERENCES "bucket_state"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "bucket_state" ADD CONSTRAINT "bucket_state_bucket_id_fkey" FOREIGN KEY ("bucket_id") REFERENCES "bucket"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "bucket_setting_change" ADD CONSTRAINT "bucket_setting_change_bucket_id_fkey" FOREIGN KEY ("bucket_id") REFERENCES "bucket"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "classification_level" ADD CONSTRAINT "classification_level_scheme_version_fkey" FOREIGN KEY ("scheme_version") REFERENCES "scheme_version"("version") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "bucket_classification" ADD CONSTRAINT "bucket_classification_bucket_id_fkey" FOREIGN KEY ("bucket_id") REFERENCES "bucket"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "bucket_classification" ADD CONSTRAINT "bucket_classification_set_by_id_fkey" FOREIGN KEY ("set_by_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "waiver" ADD CONSTRAINT "waiver_bucket_id_fkey" FOREIGN KEY ("bucket_id") REFERENCES "bucket"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "control_result" ADD CONSTRAINT "control_result_bucket_id_fkey" FOREIGN KEY ("bucket_id") REFERENCES "bucket"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "session" ADD CONSTRAINT "session_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE CASCADE;

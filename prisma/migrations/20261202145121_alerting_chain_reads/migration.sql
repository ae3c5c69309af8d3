-- CreateTable
CREATE TABLE "log_group_metric_filters" (
    "account_id" VARCHAR(12) NOT NULL,
    "log_group_arn" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "log_group_name" TEXT NOT NULL,
    "metric_filters" JSONB NOT NULL,
    "read_at" TIMESTAMP(3) NOT NULL,
    "sync_run_id" UUID NOT NULL,

    CONSTRAINT "log_group_metric_filters_pkey" PRIMARY KEY ("account_id","log_group_arn")
);

-- CreateTable
CREATE TABLE "metric_alarm_set" (
    "account_id" VARCHAR(12) NOT NULL,
    "region" TEXT NOT NULL,
    "alarms" JSONB NOT NULL,
    "read_at" TIMESTAMP(3) NOT NULL,
    "sync_run_id" UUID NOT NULL,

    CONSTRAINT "metric_alarm_set_pkey" PRIMARY KEY ("account_id","region")
);

-- CreateTable
CREATE TABLE "sns_topic" (
    "account_id" VARCHAR(12) NOT NULL,
    "topic_arn" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "topic" JSONB NOT NULL,
    "read_at" TIMESTAMP(3) NOT NULL,
    "sync_run_id" UUID NOT NULL,

    CONSTRAINT "sns_topic_pkey" PRIMARY KEY ("account_id","topic_arn")
);

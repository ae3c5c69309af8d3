-- CreateTable
CREATE TABLE "local_event_message" (
    "id" BIGSERIAL NOT NULL,
    "body" TEXT NOT NULL,
    "sent_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "visible_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "receive_count" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "local_event_message_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "demo_change" (
    "id" SERIAL NOT NULL,
    "bucket_name" TEXT NOT NULL,
    "change" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "demo_change_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "local_event_message_visible_at_id_idx" ON "local_event_message"("visible_at", "id");

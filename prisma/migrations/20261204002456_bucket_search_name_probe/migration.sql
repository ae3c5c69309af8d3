-- A name search's list page probes bucket_search once per bucket it walks: index-only with the name in the index
-- (schema.prisma, BucketSearch).
-- CreateIndex
CREATE INDEX "bucket_search_bucket_id_name_idx" ON "bucket_search"("bucket_id", "name");

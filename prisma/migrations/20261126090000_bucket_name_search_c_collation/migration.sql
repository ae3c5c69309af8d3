-- Name search compares in the "C" collation (issue 7). Bucket names are ASCII (AWS naming rules), where "C" and the
-- database's collation fold case alike, but ILIKE under a libc UTF-8 collation folds each character through the
-- locale: 110 ms to test 100,000 names against 30 ms in "C". The trigram index must carry the collation the query
-- compares in to be usable, so it is rebuilt with it (schema.prisma cannot spell an index column's collation; the
-- declaration there keeps the same name, columns and operator class).
DROP INDEX IF EXISTS "bucket_name_trgm_idx";
CREATE INDEX "bucket_name_trgm_idx" ON "bucket" USING GIN ("name" COLLATE "C" gin_trgm_ops);

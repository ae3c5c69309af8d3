-- The findings list's bucket filter matches part of a bucket name (ILIKE '%text%' COLLATE "C"). A trigram index
-- answers it without scanning 1,000,000 findings; like bucket_name_trgm_idx it carries the "C" collation the query
-- compares in, which schema.prisma cannot spell (the declaration there keeps the same name, column and operator class).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX "macie_finding_bucket_name_trgm_idx" ON "macie_finding" USING GIN ("bucket_name" COLLATE "C" gin_trgm_ops);

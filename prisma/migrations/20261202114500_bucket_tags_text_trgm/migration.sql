-- The global search finds tag values by part of their text: a trigram index on the tags' JSON text (in the "C"
-- collation the query compares in) picks the candidate buckets, whose tags are then split into pairs. An expression
-- index, which schema.prisma cannot declare (like the collations of the other trigram indexes).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX "bucket_tags_text_trgm_idx" ON "bucket" USING GIN (((tags)::text) COLLATE "C" gin_trgm_ops);

-- Name and tag search move to a side table (issue 19). Every update that moves a bucket row to a new version without
-- HOT — an evaluation that changes a verdict column, a sync that moves current_state_id — took an entry in each of the
-- bucket's three GIN indexes (name trigrams, tags, tags::text trigrams), whether name and tags changed or not: at
-- 1,000,000 buckets ≈ 120 µs of a 200–270 µs update. bucket_search holds name and tags again, indexed the same way,
-- and is written only when they change (the triggers below; nothing else writes it).
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE "bucket_search" (
    "bucket_id" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "tags" JSONB,

    CONSTRAINT "bucket_search_pkey" PRIMARY KEY ("bucket_id")
);

-- Filled before its indexes are built (one sort per index instead of an entry per row).
INSERT INTO "bucket_search" ("bucket_id", "name", "tags") SELECT "id", "name", "tags" FROM "bucket";

-- The trigram indexes carry the "C" collation the queries compare in (bucket names are ASCII; ILIKE under a libc
-- UTF-8 collation is ≈ 4× slower), which schema.prisma cannot spell; the declaration there keeps name, column and
-- operator class. The tags::text trigram index (the global search's tag values) is an expression index schema.prisma
-- cannot declare at all.
CREATE INDEX "bucket_search_name_trgm_idx" ON "bucket_search" USING GIN ("name" COLLATE "C" gin_trgm_ops);
CREATE INDEX "bucket_search_tags_idx" ON "bucket_search" USING GIN ("tags");
CREATE INDEX "bucket_search_tags_text_trgm_idx" ON "bucket_search" USING GIN ((("tags")::text) COLLATE "C" gin_trgm_ops);

ALTER TABLE "bucket_search" ADD CONSTRAINT "bucket_search_bucket_id_fkey" FOREIGN KEY ("bucket_id") REFERENCES "bucket"("id") ON DELETE CASCADE ON UPDATE CASCADE;

DROP INDEX "bucket_name_trgm_idx";
DROP INDEX "bucket_tags_idx";
DROP INDEX "bucket_tags_text_trgm_idx";

-- New buckets: one statement for a whole insert (the transition table the tally trigger already asks for).
CREATE FUNCTION bucket_search_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO bucket_search (bucket_id, name, tags) SELECT id, name, tags FROM new_rows;
  RETURN NULL;
END $$;
CREATE TRIGGER bucket_search_insert AFTER INSERT ON "bucket"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION bucket_search_insert();

-- A changed name or tags: per row, and only when one of them really changed (the WHEN is tested before anything is
-- queued, so an evaluation's or a sync's update that leaves them alone costs nothing here). Deletes cascade by the
-- foreign key.
CREATE FUNCTION bucket_search_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE bucket_search SET name = NEW.name, tags = NEW.tags WHERE bucket_id = NEW.id;
  RETURN NULL;
END $$;
CREATE TRIGGER bucket_search_update AFTER UPDATE OF "name", "tags" ON "bucket"
  FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name OR OLD.tags IS DISTINCT FROM NEW.tags)
  EXECUTE FUNCTION bucket_search_update();

-- CreateTable
CREATE TABLE "macie_finding_count" (
    "account_id" VARCHAR(12) NOT NULL,
    "region" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "severity_score" INTEGER NOT NULL,
    "archived" BOOLEAN NOT NULL,
    "n" BIGINT NOT NULL,

    CONSTRAINT "macie_finding_count_pkey" PRIMARY KEY ("account_id","region","type","category","severity_score","archived")
);

-- Kept exact by statement-level triggers (transition tables: one grouped upsert per statement, whatever its size).
-- INSERT … ON CONFLICT DO UPDATE fires the INSERT trigger for the rows it inserted and the UPDATE trigger for the rows
-- it updated; foreign-key cascades fire the DELETE trigger. Groups that drop to 0 stay as 0 (harmless to sums).
CREATE FUNCTION macie_finding_count_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('DELETE', 'UPDATE') THEN
    INSERT INTO macie_finding_count AS c (account_id, region, type, category, severity_score, archived, n)
    SELECT account_id, region, type, category, severity_score, archived, -COUNT(*) FROM old_rows GROUP BY 1, 2, 3, 4, 5, 6
    ON CONFLICT (account_id, region, type, category, severity_score, archived) DO UPDATE SET n = c.n + EXCLUDED.n;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO macie_finding_count AS c (account_id, region, type, category, severity_score, archived, n)
    SELECT account_id, region, type, category, severity_score, archived, COUNT(*) FROM new_rows GROUP BY 1, 2, 3, 4, 5, 6
    ON CONFLICT (account_id, region, type, category, severity_score, archived) DO UPDATE SET n = c.n + EXCLUDED.n;
  END IF;
  RETURN NULL;
END
$$;

CREATE FUNCTION macie_finding_count_clear() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM macie_finding_count;
  RETURN NULL;
END
$$;

CREATE TRIGGER macie_finding_count_insert AFTER INSERT ON "macie_finding"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION macie_finding_count_apply();
CREATE TRIGGER macie_finding_count_update AFTER UPDATE ON "macie_finding"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION macie_finding_count_apply();
CREATE TRIGGER macie_finding_count_delete AFTER DELETE ON "macie_finding"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION macie_finding_count_apply();
CREATE TRIGGER macie_finding_count_truncate AFTER TRUNCATE ON "macie_finding"
  FOR EACH STATEMENT EXECUTE FUNCTION macie_finding_count_clear();

-- Backfill from the findings already stored.
INSERT INTO macie_finding_count (account_id, region, type, category, severity_score, archived, n)
SELECT account_id, region, type, category, severity_score, archived, COUNT(*) FROM "macie_finding" GROUP BY 1, 2, 3, 4, 5, 6;

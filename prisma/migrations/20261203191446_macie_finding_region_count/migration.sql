-- CreateTable
CREATE TABLE "macie_finding_region_count" (
    "region" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "severity_score" INTEGER NOT NULL,
    "archived" BOOLEAN NOT NULL,
    "n" BIGINT NOT NULL,

    CONSTRAINT "macie_finding_region_count_pkey" PRIMARY KEY ("region","type","category","severity_score","archived")
);

-- CreateTable
CREATE TABLE "macie_finding_region_count_delta" (
    "id" BIGSERIAL NOT NULL,
    "region" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "severity_score" INTEGER NOT NULL,
    "archived" BOOLEAN NOT NULL,
    "n" BIGINT NOT NULL,

    CONSTRAINT "macie_finding_region_count_delta_pkey" PRIMARY KEY ("id")
);

-- The same counts with every account together (issue 19: at 10,000 accounts and 10,000,000 findings the per-account
-- table holds ≈ 550,000 rows, and an unfiltered count summed them all: 180–250 ms). The triggers append to the delta
-- table, never update a shared row: account jobs run in parallel, and every one of them would otherwise wait on the
-- same few rows (us-east-1, High, unarchived…) until the others commit. macie_finding_region_count_fold() moves the
-- deltas into the counts (the worker calls it with the other folds); a count sums both, so it is exact at any time.
CREATE OR REPLACE FUNCTION macie_finding_count_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('DELETE', 'UPDATE') THEN
    INSERT INTO macie_finding_count AS c (account_id, region, type, category, severity_score, archived, n)
    SELECT account_id, region, type, category, severity_score, archived, -COUNT(*) FROM old_rows GROUP BY 1, 2, 3, 4, 5, 6
    ON CONFLICT (account_id, region, type, category, severity_score, archived) DO UPDATE SET n = c.n + EXCLUDED.n;
    INSERT INTO macie_finding_region_count_delta (region, type, category, severity_score, archived, n)
    SELECT region, type, category, severity_score, archived, -COUNT(*) FROM old_rows GROUP BY 1, 2, 3, 4, 5;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO macie_finding_count AS c (account_id, region, type, category, severity_score, archived, n)
    SELECT account_id, region, type, category, severity_score, archived, COUNT(*) FROM new_rows GROUP BY 1, 2, 3, 4, 5, 6
    ON CONFLICT (account_id, region, type, category, severity_score, archived) DO UPDATE SET n = c.n + EXCLUDED.n;
    INSERT INTO macie_finding_region_count_delta (region, type, category, severity_score, archived, n)
    SELECT region, type, category, severity_score, archived, COUNT(*) FROM new_rows GROUP BY 1, 2, 3, 4, 5;
  END IF;
  RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION macie_finding_count_clear() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM macie_finding_count;
  DELETE FROM macie_finding_region_count;
  DELETE FROM macie_finding_region_count_delta;
  RETURN NULL;
END
$$;

CREATE FUNCTION macie_finding_region_count_fold() RETURNS integer LANGUAGE plpgsql AS $$
DECLARE touched integer;
BEGIN
  IF NOT pg_try_advisory_xact_lock(hashtext('custody:macie_finding_region_count_fold')) THEN RETURN -1; END IF;
  WITH moved AS (DELETE FROM macie_finding_region_count_delta RETURNING *)
  INSERT INTO macie_finding_region_count AS t (region, type, category, severity_score, archived, n)
  SELECT region, type, category, severity_score, archived, SUM(n) FROM moved GROUP BY 1, 2, 3, 4, 5
  ON CONFLICT (region, type, category, severity_score, archived) DO UPDATE SET n = t.n + EXCLUDED.n;
  GET DIAGNOSTICS touched = ROW_COUNT;
  DELETE FROM macie_finding_region_count WHERE n = 0; -- a few hundred rows at most
  RETURN touched;
END
$$;

-- A repair, should the counts ever be doubted (and this migration's backfill): recounted from the findings, with
-- writes to them held back while it counts.
CREATE FUNCTION macie_finding_region_count_rebuild() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  LOCK TABLE macie_finding IN SHARE MODE;
  PERFORM pg_advisory_xact_lock(hashtext('custody:macie_finding_region_count_fold'));
  DELETE FROM macie_finding_region_count_delta;
  DELETE FROM macie_finding_region_count;
  INSERT INTO macie_finding_region_count (region, type, category, severity_score, archived, n)
  SELECT region, type, category, severity_score, archived, COUNT(*) FROM macie_finding GROUP BY 1, 2, 3, 4, 5;
END
$$;

SELECT macie_finding_region_count_rebuild();
ANALYZE macie_finding_region_count;

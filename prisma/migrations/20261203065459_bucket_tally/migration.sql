-- CreateTable
CREATE TABLE "bucket_tally" (
    "account_id" VARCHAR(12) NOT NULL,
    "level_key" TEXT NOT NULL,
    "has_owner" BOOLEAN NOT NULL,
    "owner_tag" TEXT NOT NULL,
    "buckets" INTEGER NOT NULL,
    "exposure_public" INTEGER NOT NULL,
    "exposure_not_public" INTEGER NOT NULL,
    "exposure_unknown" INTEGER NOT NULL,
    "outside_reachable" INTEGER NOT NULL,
    "failing" INTEGER NOT NULL,
    "unknown" INTEGER NOT NULL,
    "waived" INTEGER NOT NULL,
    "waived_only" INTEGER NOT NULL,
    "fallback_failing" INTEGER NOT NULL,
    "compliant" INTEGER NOT NULL,
    "classified" INTEGER NOT NULL,
    "classified_manual" INTEGER NOT NULL,
    "classified_cloudtrail" INTEGER NOT NULL,
    "source_manual" INTEGER NOT NULL,
    "source_cloudtrail" INTEGER NOT NULL,
    "source_tag" INTEGER NOT NULL,
    "source_fallback" INTEGER NOT NULL,
    "config_disagree" INTEGER NOT NULL,
    "macie_low" INTEGER NOT NULL,
    "macie_medium" INTEGER NOT NULL,
    "macie_high" INTEGER NOT NULL,

    CONSTRAINT "bucket_tally_pkey" PRIMARY KEY ("account_id","level_key","has_owner","owner_tag")
);

-- CreateTable
CREATE TABLE "bucket_tally_delta" (
    "id" BIGSERIAL NOT NULL,
    "account_id" VARCHAR(12) NOT NULL,
    "level_key" TEXT NOT NULL,
    "has_owner" BOOLEAN NOT NULL,
    "owner_tag" TEXT NOT NULL,
    "buckets" INTEGER NOT NULL,
    "exposure_public" INTEGER NOT NULL,
    "exposure_not_public" INTEGER NOT NULL,
    "exposure_unknown" INTEGER NOT NULL,
    "outside_reachable" INTEGER NOT NULL,
    "failing" INTEGER NOT NULL,
    "unknown" INTEGER NOT NULL,
    "waived" INTEGER NOT NULL,
    "waived_only" INTEGER NOT NULL,
    "fallback_failing" INTEGER NOT NULL,
    "compliant" INTEGER NOT NULL,
    "classified" INTEGER NOT NULL,
    "classified_manual" INTEGER NOT NULL,
    "classified_cloudtrail" INTEGER NOT NULL,
    "source_manual" INTEGER NOT NULL,
    "source_cloudtrail" INTEGER NOT NULL,
    "source_tag" INTEGER NOT NULL,
    "source_fallback" INTEGER NOT NULL,
    "config_disagree" INTEGER NOT NULL,
    "macie_low" INTEGER NOT NULL,
    "macie_medium" INTEGER NOT NULL,
    "macie_high" INTEGER NOT NULL,

    CONSTRAINT "bucket_tally_delta_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "control_tally" (
    "control_id" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "observed" TEXT NOT NULL,
    "results" INTEGER NOT NULL,

    CONSTRAINT "control_tally_pkey" PRIMARY KEY ("control_id","status","observed")
);

-- CreateTable
CREATE TABLE "control_tally_delta" (
    "id" BIGSERIAL NOT NULL,
    "control_id" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "observed" TEXT NOT NULL,
    "results" INTEGER NOT NULL,

    CONSTRAINT "control_tally_delta_pkey" PRIMARY KEY ("id")
);

-- ---------------------------------------------------------------------------------------------------------------
-- Maintained counters (issue 19). bucket_tally counts live buckets per (account, level, owner) and per one-condition
-- view; control_tally counts control results per (control, status, observed). Both are kept exact by statement-level
-- triggers with transition tables (one grouped INSERT per statement, whatever its size) that APPEND to a delta table:
-- never an UPDATE of a shared counter row, so concurrent syncs, evaluations and re-evaluations never wait on each
-- other or deadlock over a counter. A count is SUM over counter + delta (lib/server/tally.ts); bucket_tally_fold()
-- and control_tally_fold() move the deltas into the counters (the worker calls them after each account job, the
-- re-evaluation as it goes). An UPDATE that changes nothing counted (most syncs of an unchanged bucket) appends
-- nothing. INSERT … ON CONFLICT DO UPDATE fires the INSERT trigger for the rows it inserted and the UPDATE trigger for
-- the rows it updated; foreign-key cascades fire the DELETE trigger; TRUNCATE (tests, benchmarks) clears the counters.
-- bucket_tally_rebuild() / control_tally_rebuild() recount from scratch (this migration's backfill; a repair).

CREATE FUNCTION bucket_tally_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Static SQL, one branch per event (a transition table the event lacks cannot be named, but a branch that never
  -- runs is never planned): plpgsql caches each branch's plan, where EXECUTE planned the statement every time
  -- (1–3 ms per statement, a third of a 100-row upsert).
  IF TG_OP = 'INSERT' THEN
      INSERT INTO bucket_tally_delta (account_id, level_key, has_owner, owner_tag, buckets, exposure_public, exposure_not_public, exposure_unknown, outside_reachable, failing, unknown, waived, waived_only, fallback_failing, compliant, classified, classified_manual, classified_cloudtrail, source_manual, source_cloudtrail, source_tag, source_fallback, config_disagree, macie_low, macie_medium, macie_high)
      SELECT r.account_id, COALESCE(r.level_key, ''), r.owner_tag IS NOT NULL, COALESCE(r.owner_tag, ''),
             COALESCE(SUM(r.s), 0),
             COALESCE(SUM(r.s) FILTER (WHERE r.exposure = 'public'), 0),
             COALESCE(SUM(r.s) FILTER (WHERE r.exposure = 'not-public'), 0),
             COALESCE(SUM(r.s) FILTER (WHERE r.exposure = 'unknown'), 0),
             COALESCE(SUM(r.s) FILTER (WHERE r.outside_reach = 'reachable'), 0),
             COALESCE(SUM(r.s) FILTER (WHERE r.failing_required > 0), 0),
             COALESCE(SUM(r.s) FILTER (WHERE r.unknown_required > 0), 0),
             COALESCE(SUM(r.s) FILTER (WHERE r.waived_required > 0), 0),
             COALESCE(SUM(r.s) FILTER (WHERE r.waived_required > 0 AND r.failing_required = 0), 0),
             COALESCE(SUM(r.s) FILTER (WHERE r.level_source = 'fallback' AND r.failing_required > 0), 0),
             COALESCE(SUM(r.s) FILTER (WHERE r.compliant), 0),
             COALESCE(SUM(r.s) FILTER (WHERE r.classified), 0),
             COALESCE(SUM(r.s) FILTER (WHERE r.classified AND r.level_source = 'manual'), 0),
             COALESCE(SUM(r.s) FILTER (WHERE r.classified AND r.level_source = 'cloudtrail'), 0),
             COALESCE(SUM(r.s) FILTER (WHERE r.level_source = 'manual'), 0),
             COALESCE(SUM(r.s) FILTER (WHERE r.level_source = 'cloudtrail'), 0),
             COALESCE(SUM(r.s) FILTER (WHERE r.level_source = 'tag'), 0),
             COALESCE(SUM(r.s) FILTER (WHERE r.level_source = 'fallback'), 0),
             COALESCE(SUM(r.s) FILTER (WHERE r.config_disagreements > 0), 0),
             COALESCE(SUM(r.s) FILTER (WHERE r.macie_max_severity >= 1), 0),
             COALESCE(SUM(r.s) FILTER (WHERE r.macie_max_severity >= 2), 0),
             COALESCE(SUM(r.s) FILTER (WHERE r.macie_max_severity >= 3), 0)
        FROM (SELECT 1 AS s, * FROM new_rows) r
       WHERE r.gone_at IS NULL
       GROUP BY 1, 2, 3, 4
      HAVING SUM(r.s) <> 0 OR COALESCE(SUM(r.s) FILTER (WHERE r.exposure = 'public'), 0) <> 0 OR COALESCE(SUM(r.s) FILTER (WHERE r.exposure = 'not-public'), 0) <> 0 OR COALESCE(SUM(r.s) FILTER (WHERE r.exposure = 'unknown'), 0) <> 0 OR COALESCE(SUM(r.s) FILTER (WHERE r.outside_reach = 'reachable'), 0) <> 0 OR COALESCE(SUM(r.s) FILTER (WHERE r.failing_required > 0), 0) <> 0 OR COALESCE(SUM(r.s) FILTER (WHERE r.unknown_required > 0), 0) <> 0 OR COALESCE(SUM(r.s) FILTER (WHERE r.waived_required > 0), 0) <> 0 OR COALESCE(SUM(r.s) FILTER (WHERE r.waived_required > 0 AND r.failing_required = 0), 0) <> 0 OR COALESCE(SUM(r.s) FILTER (WHERE r.level_source = 'fallback' AND r.failing_required > 0), 0) <> 0 OR COALESCE(SUM(r.s) FILTER (WHERE r.compliant), 0) <> 0 OR COALESCE(SUM(r.s) FILTER (WHERE r.classified), 0) <> 0 OR COALESCE(SUM(r.s) FILTER (WHERE r.classified AND r.level_source = 'manual'), 0) <> 0 OR COALESCE(SUM(r.s) FILTER (WHERE r.classified AND r.level_source = 'cloudtrail'), 0) <> 0 OR COALESCE(SUM(r.s) FILTER (WHERE r.level_source = 'manual'), 0) <> 0 OR COALESCE(SUM(r.s) FILTER (WHERE r.level_source = 'cloudtrail'), 0) <> 0 OR COALESCE(SUM(r.s) FILTER (WHERE r.level_source = 'tag'), 0) <> 0 OR COALESCE(SUM(r.s) FILTER (WHERE r.level_source = 'fallback'), 0) <> 0 OR COALESCE(SUM(r.s) FILTER (WHERE r.config_disagreements > 0), 0) <> 0 OR COALESCE(SUM(r.s) FILTER (WHERE r.macie_max_severity >= 1), 0) <> 0 OR COALESCE(SUM(r.s) FILTER (WHERE r.macie_max_severity >= 2), 0) <> 0 OR COALESCE(SUM(r.s) FILTER (WHERE r.macie_max_severity >= 3), 0) <> 0;
  ELSIF TG_OP = 'DELETE' THEN
      INSERT INTO bucket_tally_delta (account_id, level_key, has_owner, owner_tag, buckets, exposure_public, exposure_not_public, exposure_unknown, outside_reachable, failing, unknown, waived, waived_only, fallback_failing, compliant, classified, classified_manual, classified_cloudtrail, source_manual, source_cloudtrail, source_tag, source_fallback, config_disagree, macie_low, macie_medium, macie_high)
      SELECT r.account_id, COALESCE(r.level_key, ''), r.owner_tag IS NOT NULL, COALESCE(r.owner_tag, ''),
             COALESCE(SUM(r.s), 0),
             COALESCE(SUM(r.s) FILTER (WHERE r.exposure = 'public'), 0),
             COALESCE(SUM(r.s) FILTER (WHERE r.exposure = 'not-public'), 0),
             COALESCE(SUM(r.s) FILTER (WHERE r.exposure = 'unknown'), 0),
             COALESCE(SUM(r.s) FILTER (WHERE r.outside_reach = 'reachable'), 0),
             COALESCE(SUM(r.s) FILTER (WHERE r.failing_required > 0), 0),
             COALESCE(SUM(r.s) FILTER (WHERE r.unknown_required > 0), 0),
             COALESCE(SUM(r.s) FILTER (WHERE r.waived_required > 0), 0),
             COALESCE(SUM(r.s) FILTER (WHERE r.waived_required > 0 AND r.failing_required = 0), 0),
             COALESCE(SUM(r.s) FILTER (WHERE r.level_source = 'fallback' AND r.failing_required > 0), 0),
             COALESCE(SUM(r.s) FILTER (WHERE r.compliant), 0),
             COALESCE(SUM(r.s) FILTER (WHERE r.classified), 0),
             COALESCE(SUM(r.s) FILTER (WHERE r.classified AND r.level_source = 'manual'), 0),
             COALESCE(SUM(r.s) FILTER (WHERE r.classified AND r.level_source = 'cloudtrail'), 0),
             COALESCE(SUM(r.s) FILTER (WHERE r.level_source = 'manual'), 0),
             COALESCE(SUM(r.s) FILTER (WHERE r.level_source = 'cloudtrail'), 0),
             COALESCE(SUM(r.s) FILTER (WHERE r.level_source = 'tag'), 0),
             COALESCE(SUM(r.s) FILTER (WHERE r.level_source = 'fallback'), 0),
             COALESCE(SUM(r.s) FILTER (WHERE r.config_disagreements > 0), 0),
             COALESCE(SUM(r.s) FILTER (WHERE r.macie_max_severity >= 1), 0),
             COALESCE(SUM(r.s) FILTER (WHERE r.macie_max_severity >= 2), 0),
             COALESCE(SUM(r.s) FILTER (WHERE r.macie_max_severity >= 3), 0)
        FROM (SELECT -1 AS s, * FROM old_rows) r
       WHERE r.gone_at IS NULL
       GROUP BY 1, 2, 3, 4
      HAVING SUM(r.s) <> 0 OR COALESCE(SUM(r.s) FILTER (WHERE r.exposure = 'public'), 0) <> 0 OR COALESCE(SUM(r.s) FILTER (WHERE r.exposure = 'not-public'), 0) <> 0 OR COALESCE(SUM(r.s) FILTER (WHERE r.exposure = 'unknown'), 0) <> 0 OR COALESCE(SUM(r.s) FILTER (WHERE r.outside_reach = 'reachable'), 0) <> 0 OR COALESCE(SUM(r.s) FILTER (WHERE r.failing_required > 0), 0) <> 0 OR COALESCE(SUM(r.s) FILTER (WHERE r.unknown_required > 0), 0) <> 0 OR COALESCE(SUM(r.s) FILTER (WHERE r.waived_required > 0), 0) <> 0 OR COALESCE(SUM(r.s) FILTER (WHERE r.waived_required > 0 AND r.failing_required = 0), 0) <> 0 OR COALESCE(SUM(r.s) FILTER (WHERE r.level_source = 'fallback' AND r.failing_required > 0), 0) <> 0 OR COALESCE(SUM(r.s) FILTER (WHERE r.compliant), 0) <> 0 OR COALESCE(SUM(r.s) FILTER (WHERE r.classified), 0) <> 0 OR COALESCE(SUM(r.s) FILTER (WHERE r.classified AND r.level_source = 'manual'), 0) <> 0 OR COALESCE(SUM(r.s) FILTER (WHERE r.classified AND r.level_source = 'cloudtrail'), 0) <> 0 OR COALESCE(SUM(r.s) FILTER (WHERE r.level_source = 'manual'), 0) <> 0 OR COALESCE(SUM(r.s) FILTER (WHERE r.level_source = 'cloudtrail'), 0) <> 0 OR COALESCE(SUM(r.s) FILTER (WHERE r.level_source = 'tag'), 0) <> 0 OR COALESCE(SUM(r.s) FILTER (WHERE r.level_source = 'fallback'), 0) <> 0 OR COALESCE(SUM(r.s) FILTER (WHERE r.config_disagreements > 0), 0) <> 0 OR COALESCE(SUM(r.s) FILTER (WHERE r.macie_max_severity >= 1), 0) <> 0 OR COALESCE(SUM(r.s) FILTER (WHERE r.macie_max_severity >= 2), 0) <> 0 OR COALESCE(SUM(r.s) FILTER (WHERE r.macie_max_severity >= 3), 0) <> 0;
  ELSE
      INSERT INTO bucket_tally_delta (account_id, level_key, has_owner, owner_tag, buckets, exposure_public, exposure_not_public, exposure_unknown, outside_reachable, failing, unknown, waived, waived_only, fallback_failing, compliant, classified, classified_manual, classified_cloudtrail, source_manual, source_cloudtrail, source_tag, source_fallback, config_disagree, macie_low, macie_medium, macie_high)
      SELECT r.account_id, COALESCE(r.level_key, ''), r.owner_tag IS NOT NULL, COALESCE(r.owner_tag, ''),
             COALESCE(SUM(r.s), 0),
             COALESCE(SUM(r.s) FILTER (WHERE r.exposure = 'public'), 0),
             COALESCE(SUM(r.s) FILTER (WHERE r.exposure = 'not-public'), 0),
             COALESCE(SUM(r.s) FILTER (WHERE r.exposure = 'unknown'), 0),
             COALESCE(SUM(r.s) FILTER (WHERE r.outside_reach = 'reachable'), 0),
             COALESCE(SUM(r.s) FILTER (WHERE r.failing_required > 0), 0),
             COALESCE(SUM(r.s) FILTER (WHERE r.unknown_required > 0), 0),
             COALESCE(SUM(r.s) FILTER (WHERE r.waived_required > 0), 0),
             COALESCE(SUM(r.s) FILTER (WHERE r.waived_required > 0 AND r.failing_required = 0), 0),
             COALESCE(SUM(r.s) FILTER (WHERE r.level_source = 'fallback' AND r.failing_required > 0), 0),
             COALESCE(SUM(r.s) FILTER (WHERE r.compliant), 0),
             COALESCE(SUM(r.s) FILTER (WHERE r.classified), 0),
             COALESCE(SUM(r.s) FILTER (WHERE r.classified AND r.level_source = 'manual'), 0),
             COALESCE(SUM(r.s) FILTER (WHERE r.classified AND r.level_source = 'cloudtrail'), 0),
             COALESCE(SUM(r.s) FILTER (WHERE r.level_source = 'manual'), 0),
             COALESCE(SUM(r.s) FILTER (WHERE r.level_source = 'cloudtrail'), 0),
             COALESCE(SUM(r.s) FILTER (WHERE r.level_source = 'tag'), 0),
             COALESCE(SUM(r.s) FILTER (WHERE r.level_source = 'fallback'), 0),
             COALESCE(SUM(r.s) FILTER (WHERE r.config_disagreements > 0), 0),
             COALESCE(SUM(r.s) FILTER (WHERE r.macie_max_severity >= 1), 0),
             COALESCE(SUM(r.s) FILTER (WHERE r.macie_max_severity >= 2), 0),
             COALESCE(SUM(r.s) FILTER (WHERE r.macie_max_severity >= 3), 0)
        FROM (SELECT 1 AS s, * FROM new_rows UNION ALL SELECT -1 AS s, * FROM old_rows) r
       WHERE r.gone_at IS NULL
       GROUP BY 1, 2, 3, 4
      HAVING SUM(r.s) <> 0 OR COALESCE(SUM(r.s) FILTER (WHERE r.exposure = 'public'), 0) <> 0 OR COALESCE(SUM(r.s) FILTER (WHERE r.exposure = 'not-public'), 0) <> 0 OR COALESCE(SUM(r.s) FILTER (WHERE r.exposure = 'unknown'), 0) <> 0 OR COALESCE(SUM(r.s) FILTER (WHERE r.outside_reach = 'reachable'), 0) <> 0 OR COALESCE(SUM(r.s) FILTER (WHERE r.failing_required > 0), 0) <> 0 OR COALESCE(SUM(r.s) FILTER (WHERE r.unknown_required > 0), 0) <> 0 OR COALESCE(SUM(r.s) FILTER (WHERE r.waived_required > 0), 0) <> 0 OR COALESCE(SUM(r.s) FILTER (WHERE r.waived_required > 0 AND r.failing_required = 0), 0) <> 0 OR COALESCE(SUM(r.s) FILTER (WHERE r.level_source = 'fallback' AND r.failing_required > 0), 0) <> 0 OR COALESCE(SUM(r.s) FILTER (WHERE r.compliant), 0) <> 0 OR COALESCE(SUM(r.s) FILTER (WHERE r.classified), 0) <> 0 OR COALESCE(SUM(r.s) FILTER (WHERE r.classified AND r.level_source = 'manual'), 0) <> 0 OR COALESCE(SUM(r.s) FILTER (WHERE r.classified AND r.level_source = 'cloudtrail'), 0) <> 0 OR COALESCE(SUM(r.s) FILTER (WHERE r.level_source = 'manual'), 0) <> 0 OR COALESCE(SUM(r.s) FILTER (WHERE r.level_source = 'cloudtrail'), 0) <> 0 OR COALESCE(SUM(r.s) FILTER (WHERE r.level_source = 'tag'), 0) <> 0 OR COALESCE(SUM(r.s) FILTER (WHERE r.level_source = 'fallback'), 0) <> 0 OR COALESCE(SUM(r.s) FILTER (WHERE r.config_disagreements > 0), 0) <> 0 OR COALESCE(SUM(r.s) FILTER (WHERE r.macie_max_severity >= 1), 0) <> 0 OR COALESCE(SUM(r.s) FILTER (WHERE r.macie_max_severity >= 2), 0) <> 0 OR COALESCE(SUM(r.s) FILTER (WHERE r.macie_max_severity >= 3), 0) <> 0;
  END IF;
  RETURN NULL;
END
$$;

CREATE FUNCTION bucket_tally_clear() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE bucket_tally, bucket_tally_delta;
  RETURN NULL;
END
$$;

CREATE TRIGGER bucket_tally_insert AFTER INSERT ON "bucket"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION bucket_tally_apply();
CREATE TRIGGER bucket_tally_update AFTER UPDATE ON "bucket"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION bucket_tally_apply();
CREATE TRIGGER bucket_tally_delete AFTER DELETE ON "bucket"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION bucket_tally_apply();
CREATE TRIGGER bucket_tally_truncate AFTER TRUNCATE ON "bucket"
  FOR EACH STATEMENT EXECUTE FUNCTION bucket_tally_clear();

-- Moves the deltas into bucket_tally; returns how many counter rows it touched, or -1 when another fold is running
-- (it will pick these deltas up: only the deltas this statement sees are deleted, so none is lost or counted twice).
-- Rows that fall to zero buckets are removed (every column counts a subset of the group's buckets).
CREATE FUNCTION bucket_tally_fold() RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  touched integer;
  z_account text[]; z_level text[]; z_has bool[]; z_owner text[];
BEGIN
  IF NOT pg_try_advisory_xact_lock(hashtext('custody:bucket_tally_fold')) THEN RETURN -1; END IF;
  WITH moved AS (DELETE FROM bucket_tally_delta RETURNING *),
  folded AS (
    INSERT INTO bucket_tally AS t (account_id, level_key, has_owner, owner_tag, buckets, exposure_public, exposure_not_public, exposure_unknown, outside_reachable, failing, unknown, waived, waived_only, fallback_failing, compliant, classified, classified_manual, classified_cloudtrail, source_manual, source_cloudtrail, source_tag, source_fallback, config_disagree, macie_low, macie_medium, macie_high)
    SELECT account_id, level_key, has_owner, owner_tag, SUM(buckets), SUM(exposure_public), SUM(exposure_not_public), SUM(exposure_unknown), SUM(outside_reachable), SUM(failing), SUM(unknown), SUM(waived), SUM(waived_only), SUM(fallback_failing), SUM(compliant), SUM(classified), SUM(classified_manual), SUM(classified_cloudtrail), SUM(source_manual), SUM(source_cloudtrail), SUM(source_tag), SUM(source_fallback), SUM(config_disagree), SUM(macie_low), SUM(macie_medium), SUM(macie_high) FROM moved GROUP BY 1, 2, 3, 4
    ON CONFLICT (account_id, level_key, has_owner, owner_tag) DO UPDATE SET
        buckets = t.buckets + EXCLUDED.buckets,
        exposure_public = t.exposure_public + EXCLUDED.exposure_public,
        exposure_not_public = t.exposure_not_public + EXCLUDED.exposure_not_public,
        exposure_unknown = t.exposure_unknown + EXCLUDED.exposure_unknown,
        outside_reachable = t.outside_reachable + EXCLUDED.outside_reachable,
        failing = t.failing + EXCLUDED.failing,
        unknown = t.unknown + EXCLUDED.unknown,
        waived = t.waived + EXCLUDED.waived,
        waived_only = t.waived_only + EXCLUDED.waived_only,
        fallback_failing = t.fallback_failing + EXCLUDED.fallback_failing,
        compliant = t.compliant + EXCLUDED.compliant,
        classified = t.classified + EXCLUDED.classified,
        classified_manual = t.classified_manual + EXCLUDED.classified_manual,
        classified_cloudtrail = t.classified_cloudtrail + EXCLUDED.classified_cloudtrail,
        source_manual = t.source_manual + EXCLUDED.source_manual,
        source_cloudtrail = t.source_cloudtrail + EXCLUDED.source_cloudtrail,
        source_tag = t.source_tag + EXCLUDED.source_tag,
        source_fallback = t.source_fallback + EXCLUDED.source_fallback,
        config_disagree = t.config_disagree + EXCLUDED.config_disagree,
        macie_low = t.macie_low + EXCLUDED.macie_low,
        macie_medium = t.macie_medium + EXCLUDED.macie_medium,
        macie_high = t.macie_high + EXCLUDED.macie_high
    RETURNING t.account_id, t.level_key, t.has_owner, t.owner_tag, t.buckets)
  SELECT count(*), array_agg(account_id) FILTER (WHERE buckets = 0), array_agg(level_key) FILTER (WHERE buckets = 0),
         array_agg(has_owner) FILTER (WHERE buckets = 0), array_agg(owner_tag) FILTER (WHERE buckets = 0)
    INTO touched, z_account, z_level, z_has, z_owner
    FROM folded;
  IF z_account IS NOT NULL THEN
    DELETE FROM bucket_tally t USING unnest(z_account, z_level, z_has, z_owner) AS z(account_id, level_key, has_owner, owner_tag)
     WHERE t.account_id = z.account_id AND t.level_key = z.level_key AND t.has_owner = z.has_owner
       AND t.owner_tag = z.owner_tag AND t.buckets = 0;
  END IF;
  RETURN touched;
END
$$;

-- Recounts bucket_tally from bucket. SHARE MODE waits for every write in flight to commit and holds new ones back
-- while it counts, so the count and the (emptied) deltas describe the same state.
CREATE FUNCTION bucket_tally_rebuild() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  LOCK TABLE bucket IN SHARE MODE;
  PERFORM pg_advisory_xact_lock(hashtext('custody:bucket_tally_fold'));
  DELETE FROM bucket_tally_delta;
  DELETE FROM bucket_tally;
  INSERT INTO bucket_tally (account_id, level_key, has_owner, owner_tag, buckets, exposure_public, exposure_not_public, exposure_unknown, outside_reachable, failing, unknown, waived, waived_only, fallback_failing, compliant, classified, classified_manual, classified_cloudtrail, source_manual, source_cloudtrail, source_tag, source_fallback, config_disagree, macie_low, macie_medium, macie_high)
  SELECT r.account_id, COALESCE(r.level_key, ''), r.owner_tag IS NOT NULL, COALESCE(r.owner_tag, ''),
         COUNT(*),
           COUNT(*) FILTER (WHERE r.exposure = 'public'),
           COUNT(*) FILTER (WHERE r.exposure = 'not-public'),
           COUNT(*) FILTER (WHERE r.exposure = 'unknown'),
           COUNT(*) FILTER (WHERE r.outside_reach = 'reachable'),
           COUNT(*) FILTER (WHERE r.failing_required > 0),
           COUNT(*) FILTER (WHERE r.unknown_required > 0),
           COUNT(*) FILTER (WHERE r.waived_required > 0),
           COUNT(*) FILTER (WHERE r.waived_required > 0 AND r.failing_required = 0),
           COUNT(*) FILTER (WHERE r.level_source = 'fallback' AND r.failing_required > 0),
           COUNT(*) FILTER (WHERE r.compliant),
           COUNT(*) FILTER (WHERE r.classified),
           COUNT(*) FILTER (WHERE r.classified AND r.level_source = 'manual'),
           COUNT(*) FILTER (WHERE r.classified AND r.level_source = 'cloudtrail'),
           COUNT(*) FILTER (WHERE r.level_source = 'manual'),
           COUNT(*) FILTER (WHERE r.level_source = 'cloudtrail'),
           COUNT(*) FILTER (WHERE r.level_source = 'tag'),
           COUNT(*) FILTER (WHERE r.level_source = 'fallback'),
           COUNT(*) FILTER (WHERE r.config_disagreements > 0),
           COUNT(*) FILTER (WHERE r.macie_max_severity >= 1),
           COUNT(*) FILTER (WHERE r.macie_max_severity >= 2),
           COUNT(*) FILTER (WHERE r.macie_max_severity >= 3)
    FROM bucket r
   WHERE r.gone_at IS NULL
   GROUP BY 1, 2, 3, 4;
END
$$;

CREATE FUNCTION control_tally_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- As bucket_tally_apply: a static branch per event.
  IF TG_OP = 'INSERT' THEN
    INSERT INTO control_tally_delta (control_id, status, observed, results)
    SELECT control_id, status, observed, COUNT(*) FROM new_rows GROUP BY 1, 2, 3;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO control_tally_delta (control_id, status, observed, results)
    SELECT control_id, status, observed, -COUNT(*) FROM old_rows GROUP BY 1, 2, 3;
  ELSE
    INSERT INTO control_tally_delta (control_id, status, observed, results)
    SELECT r.control_id, r.status, r.observed, SUM(r.s)
      FROM (SELECT 1 AS s, control_id, status, observed FROM new_rows
            UNION ALL SELECT -1 AS s, control_id, status, observed FROM old_rows) r
     GROUP BY 1, 2, 3
    HAVING SUM(r.s) <> 0;
  END IF;
  RETURN NULL;
END
$$;

CREATE FUNCTION control_tally_clear() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE control_tally, control_tally_delta;
  RETURN NULL;
END
$$;

CREATE TRIGGER control_tally_insert AFTER INSERT ON "control_result"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION control_tally_apply();
CREATE TRIGGER control_tally_update AFTER UPDATE ON "control_result"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION control_tally_apply();
CREATE TRIGGER control_tally_delete AFTER DELETE ON "control_result"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION control_tally_apply();
CREATE TRIGGER control_tally_truncate AFTER TRUNCATE ON "control_result"
  FOR EACH STATEMENT EXECUTE FUNCTION control_tally_clear();

CREATE FUNCTION control_tally_fold() RETURNS integer LANGUAGE plpgsql AS $$
DECLARE touched integer;
BEGIN
  IF NOT pg_try_advisory_xact_lock(hashtext('custody:control_tally_fold')) THEN RETURN -1; END IF;
  WITH moved AS (DELETE FROM control_tally_delta RETURNING *)
  INSERT INTO control_tally AS t (control_id, status, observed, results)
  SELECT control_id, status, observed, SUM(results) FROM moved GROUP BY 1, 2, 3
  ON CONFLICT (control_id, status, observed) DO UPDATE SET results = t.results + EXCLUDED.results;
  GET DIAGNOSTICS touched = ROW_COUNT;
  DELETE FROM control_tally WHERE results = 0; -- a few hundred rows at most
  RETURN touched;
END
$$;

CREATE FUNCTION control_tally_rebuild() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  LOCK TABLE control_result IN SHARE MODE;
  PERFORM pg_advisory_xact_lock(hashtext('custody:control_tally_fold'));
  DELETE FROM control_tally_delta;
  DELETE FROM control_tally;
  INSERT INTO control_tally (control_id, status, observed, results)
  SELECT control_id, status, observed, COUNT(*) FROM control_result GROUP BY 1, 2, 3;
END
$$;

-- Backfill from what is stored.
SELECT bucket_tally_rebuild();
SELECT control_tally_rebuild();
-- Statistics now, not at autovacuum's next pass: the first reads plan their grouping by them.
ANALYZE bucket_tally;
ANALYZE control_tally;

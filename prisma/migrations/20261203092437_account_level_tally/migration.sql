-- CreateTable
CREATE TABLE "account_level_tally" (
    "account_id" VARCHAR(12) NOT NULL,
    "level_key" TEXT NOT NULL,
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

    CONSTRAINT "account_level_tally_pkey" PRIMARY KEY ("account_id","level_key")
);

-- ---------------------------------------------------------------------------------------------------------------
-- account_level_tally: bucket_tally summed over owners (issue 19). At 1,000,000 buckets bucket_tally holds ≈ 137,000
-- rows (≈ 14 per account: levels × owner tags); coverage by account and the overview, which never filter by owner,
-- summed all of them on every page. This rollup is ≈ a third of that. No trigger of its own: bucket_tally_fold()
-- writes it in the same statement that folds the deltas into bucket_tally, so a sum over account_level_tally +
-- bucket_tally_delta is as exact, at every moment, as one over bucket_tally + bucket_tally_delta
-- (lib/server/sql/tally.ts; tests/integration/tally.test.ts holds both equal to the list's where-clause).

CREATE OR REPLACE FUNCTION bucket_tally_fold() RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  touched integer;
  z_account text[]; z_level text[]; z_has bool[]; z_owner text[];
  r_account text[]; r_level text[];
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
    RETURNING t.account_id, t.level_key, t.has_owner, t.owner_tag, t.buckets),
  -- The same deltas summed over owners, into the per-(account, level) rollup, in this same statement.
  rolled AS (
    INSERT INTO account_level_tally AS t (account_id, level_key, buckets, exposure_public, exposure_not_public, exposure_unknown, outside_reachable, failing, unknown, waived, waived_only, fallback_failing, compliant, classified, classified_manual, classified_cloudtrail, source_manual, source_cloudtrail, source_tag, source_fallback, config_disagree, macie_low, macie_medium, macie_high)
    SELECT account_id, level_key, SUM(buckets), SUM(exposure_public), SUM(exposure_not_public), SUM(exposure_unknown), SUM(outside_reachable), SUM(failing), SUM(unknown), SUM(waived), SUM(waived_only), SUM(fallback_failing), SUM(compliant), SUM(classified), SUM(classified_manual), SUM(classified_cloudtrail), SUM(source_manual), SUM(source_cloudtrail), SUM(source_tag), SUM(source_fallback), SUM(config_disagree), SUM(macie_low), SUM(macie_medium), SUM(macie_high) FROM moved GROUP BY 1, 2
    ON CONFLICT (account_id, level_key) DO UPDATE SET
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
    RETURNING t.account_id, t.level_key, t.buckets)
  SELECT count(*), array_agg(account_id) FILTER (WHERE buckets = 0), array_agg(level_key) FILTER (WHERE buckets = 0),
         array_agg(has_owner) FILTER (WHERE buckets = 0), array_agg(owner_tag) FILTER (WHERE buckets = 0),
         -- The rollup's groups down to zero, in one order for both arrays (the pair is the rollup's key).
         (SELECT array_agg(account_id ORDER BY account_id, level_key) FROM rolled WHERE buckets = 0),
         (SELECT array_agg(level_key ORDER BY account_id, level_key) FROM rolled WHERE buckets = 0)
    INTO touched, z_account, z_level, z_has, z_owner, r_account, r_level
    FROM folded;
  IF r_account IS NOT NULL THEN
    DELETE FROM account_level_tally t USING unnest(r_account, r_level) AS z(account_id, level_key)
     WHERE t.account_id = z.account_id AND t.level_key = z.level_key AND t.buckets = 0;
  END IF;
  IF z_account IS NOT NULL THEN
    DELETE FROM bucket_tally t USING unnest(z_account, z_level, z_has, z_owner) AS z(account_id, level_key, has_owner, owner_tag)
     WHERE t.account_id = z.account_id AND t.level_key = z.level_key AND t.has_owner = z.has_owner
       AND t.owner_tag = z.owner_tag AND t.buckets = 0;
  END IF;
  RETURN touched;
END
$$;

CREATE OR REPLACE FUNCTION bucket_tally_rebuild() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  LOCK TABLE bucket IN SHARE MODE;
  PERFORM pg_advisory_xact_lock(hashtext('custody:bucket_tally_fold'));
  DELETE FROM bucket_tally_delta;
  DELETE FROM bucket_tally;
  DELETE FROM account_level_tally;
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
  INSERT INTO account_level_tally (account_id, level_key, buckets, exposure_public, exposure_not_public, exposure_unknown, outside_reachable, failing, unknown, waived, waived_only, fallback_failing, compliant, classified, classified_manual, classified_cloudtrail, source_manual, source_cloudtrail, source_tag, source_fallback, config_disagree, macie_low, macie_medium, macie_high)
  SELECT account_id, level_key, SUM(buckets), SUM(exposure_public), SUM(exposure_not_public), SUM(exposure_unknown), SUM(outside_reachable), SUM(failing), SUM(unknown), SUM(waived), SUM(waived_only), SUM(fallback_failing), SUM(compliant), SUM(classified), SUM(classified_manual), SUM(classified_cloudtrail), SUM(source_manual), SUM(source_cloudtrail), SUM(source_tag), SUM(source_fallback), SUM(config_disagree), SUM(macie_low), SUM(macie_medium), SUM(macie_high) FROM bucket_tally GROUP BY 1, 2;
END
$$;

CREATE OR REPLACE FUNCTION bucket_tally_clear() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE bucket_tally, bucket_tally_delta, account_level_tally;
  RETURN NULL;
END
$$;

-- Backfill from the counters as they stand (deltas not folded yet stay where they are and are read beside it).
INSERT INTO account_level_tally (account_id, level_key, buckets, exposure_public, exposure_not_public, exposure_unknown, outside_reachable, failing, unknown, waived, waived_only, fallback_failing, compliant, classified, classified_manual, classified_cloudtrail, source_manual, source_cloudtrail, source_tag, source_fallback, config_disagree, macie_low, macie_medium, macie_high)
SELECT account_id, level_key, SUM(buckets), SUM(exposure_public), SUM(exposure_not_public), SUM(exposure_unknown), SUM(outside_reachable), SUM(failing), SUM(unknown), SUM(waived), SUM(waived_only), SUM(fallback_failing), SUM(compliant), SUM(classified), SUM(classified_manual), SUM(classified_cloudtrail), SUM(source_manual), SUM(source_cloudtrail), SUM(source_tag), SUM(source_fallback), SUM(config_disagree), SUM(macie_low), SUM(macie_medium), SUM(macie_high) FROM bucket_tally GROUP BY 1, 2;
ANALYZE account_level_tally;

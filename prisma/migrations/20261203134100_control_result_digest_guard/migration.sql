-- A result's verdict_digest says what the evaluation wrote; an evaluation sends a result only when its digest
-- differs. A write that changes what a result says without giving it a new digest (a hand edit, an older Custody
-- that does not know the column) clears the digest, so the next evaluation compares that result in full again
-- instead of trusting a digest that no longer describes it.
CREATE FUNCTION control_result_digest_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.verdict_digest IS NOT DISTINCT FROM OLD.verdict_digest
     AND (NEW.required, NEW.status, NEW.observed, NEW.reason, NEW.evidence, NEW.config_verdict, NEW.config_compliance,
          NEW.waiver_id)
         IS DISTINCT FROM
         (OLD.required, OLD.status, OLD.observed, OLD.reason, OLD.evidence, OLD.config_verdict, OLD.config_compliance,
          OLD.waiver_id)
  THEN
    NEW.verdict_digest := NULL;
  END IF;
  RETURN NEW;
END;
$$;

CREATE TRIGGER control_result_digest_guard BEFORE UPDATE ON "control_result"
  FOR EACH ROW WHEN (OLD.verdict_digest IS NOT NULL) EXECUTE FUNCTION control_result_digest_guard();

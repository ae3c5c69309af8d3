-- CreateTable
CREATE TABLE "account_set_version" (
    "id" BOOLEAN NOT NULL DEFAULT true,
    "version" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "account_set_version_pkey" PRIMARY KEY ("id")
);

-- The one row, and the triggers that move it when the set of accounts changed: rows inserted or deleted (an
-- INSERT … ON CONFLICT that inserted nothing, as a re-discovery of known accounts, moves nothing), or TRUNCATE.
-- Statement-level: linking 1,000 accounts in one statement moves it once. Account ids never change.
INSERT INTO "account_set_version" ("id", "version") VALUES (true, 0);

CREATE FUNCTION account_set_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NOT EXISTS (SELECT 1 FROM new_rows) THEN RETURN NULL; END IF;
  ELSIF TG_OP = 'DELETE' THEN
    IF NOT EXISTS (SELECT 1 FROM old_rows) THEN RETURN NULL; END IF;
  END IF;
  UPDATE account_set_version SET version = version + 1;
  RETURN NULL;
END
$$;

CREATE TRIGGER account_set_version_insert AFTER INSERT ON "account"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION account_set_version_bump();
CREATE TRIGGER account_set_version_delete AFTER DELETE ON "account"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION account_set_version_bump();
CREATE TRIGGER account_set_version_truncate AFTER TRUNCATE ON "account"
  FOR EACH STATEMENT EXECUTE FUNCTION account_set_version_bump();

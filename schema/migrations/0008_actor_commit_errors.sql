-- The actor runtime's commit statement raises these when a batch may not be written, so the
-- runtime classifies the failure by its SQLSTATE (never by message text):
--   TR001  a partition's fence moved (another holder; the batch's part is fenced out)
--   TR002  a snapshot is not at the version the batch started from
--   TR003  a key of the batch was finally applied meanwhile
CREATE OR REPLACE FUNCTION troupe_fail(code text, message text) RETURNS bigint LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION USING ERRCODE = code, MESSAGE = message;
END
$$;

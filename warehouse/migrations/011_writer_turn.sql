-- The writer's turn on DuckLake. Every load updates writer_token (migration 010), so of two
-- overlapping loads the later commit loses and is retried. A long load (a source with many
-- reports or cells) among workers that commit every fraction of a second could lose every
-- race until its retries ran out. After a few lost races a writer claims the turn here: the
-- others wait before starting a load until it has committed (or its claim has expired, as
-- when its process was killed), so it commits next.
CREATE TABLE IF NOT EXISTS writer_turn (id INTEGER, holder VARCHAR, until DOUBLE);
INSERT INTO writer_turn SELECT 1, NULL, 0 WHERE NOT EXISTS (SELECT 1 FROM writer_turn);

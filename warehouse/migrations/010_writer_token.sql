-- One row every DuckLake load updates inside its transaction. DuckLake lets concurrent
-- appends commit side by side; two loads of the same report from two workers would then both
-- insert it. Both updating this row makes the later commit a conflict: it is retried from the
-- start, reads what the first committed, and the warehouse stays as one writer would leave it.
CREATE TABLE IF NOT EXISTS writer_token (id INTEGER, n BIGINT);
INSERT INTO writer_token SELECT 1, 0 WHERE NOT EXISTS (SELECT 1 FROM writer_token);

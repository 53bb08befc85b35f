-- Following the source's binary log after a migrate: where the target stands in it. The row is
-- written in the same transaction as the changes it counts, so after any crash it says exactly
-- which source transactions the target holds. One row per pipeline (one follow per target).
CREATE TABLE converge.follow_state (
  pipeline     text PRIMARY KEY,
  run_id       uuid REFERENCES converge.runs (id) ON DELETE SET NULL,
  -- The snapshot's position: where following started.
  start_file   text NOT NULL,
  start_pos    bigint NOT NULL,
  -- The first binlog event not yet applied.
  binlog_file  text NOT NULL,
  binlog_pos   bigint NOT NULL,
  -- When the last applied transaction committed on the source (lag = now - this, while behind).
  source_at    timestamptz,
  applied_at   timestamptz NOT NULL DEFAULT now(),
  transactions bigint NOT NULL DEFAULT 0,
  changes      bigint NOT NULL DEFAULT 0,
  -- Natural keys the target held before the load (existing: skip | fail), by table: a change
  -- is judged against these, as the load's rows were, not against rows the load wrote.
  existing     jsonb NOT NULL DEFAULT '{}'::jsonb,
  -- converge cutover asks the follower to stop once it has applied up to here.
  stop_file    text,
  stop_pos     bigint,
  -- starting: the mapping is being bound to the source; following: reading the binary log.
  status       text NOT NULL DEFAULT 'starting' CHECK (status IN ('starting', 'following', 'stopped', 'failed', 'switched')),
  error        text
);

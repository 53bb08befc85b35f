-- converge's own run history, in the schema converge owns. Nothing else writes here.
CREATE TYPE converge.run_status AS ENUM ('running', 'completed', 'failed');

CREATE TABLE converge.runs (
  id          uuid PRIMARY KEY,
  pipeline    text NOT NULL,
  status      converge.run_status NOT NULL DEFAULT 'running',
  started_at  timestamptz NOT NULL DEFAULT now(),
  ended_at    timestamptz,
  -- Descriptors only (scheme, user, host, port, database): never a password.
  source      jsonb NOT NULL DEFAULT '{}'::jsonb,
  target      jsonb NOT NULL DEFAULT '{}'::jsonb,
  settings    jsonb NOT NULL DEFAULT '{}'::jsonb,
  CHECK (ended_at IS NULL OR ended_at >= started_at)
);
CREATE INDEX runs_pipeline_started_idx ON converge.runs (pipeline, started_at DESC);
CREATE INDEX runs_status_idx ON converge.runs (status) WHERE status <> 'completed';

CREATE TABLE converge.run_events (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  run_id      uuid NOT NULL REFERENCES converge.runs (id) ON DELETE CASCADE,
  kind        text NOT NULL CHECK (kind ~ '^[a-z]+\.[a-z_]+$'),
  stage       text,
  table_name  text,
  at          timestamptz NOT NULL DEFAULT now(),
  payload     jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX run_events_run_at_idx ON converge.run_events (run_id, at);
CREATE INDEX run_events_kind_idx ON converge.run_events (kind, at DESC);
CREATE INDEX run_events_run_table_idx ON converge.run_events (run_id, table_name) WHERE table_name IS NOT NULL;

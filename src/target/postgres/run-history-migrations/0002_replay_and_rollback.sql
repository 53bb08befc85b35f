-- Events written to events.jsonl while the target was unreachable are replayed later; the key
-- (a hash of the JSONL line) makes a replay idempotent. A run whose load was removed by
-- `converge rollback` ends as rolled_back.
ALTER TYPE converge.run_status ADD VALUE IF NOT EXISTS 'rolled_back';
ALTER TABLE converge.run_events ADD COLUMN replay_key text;
CREATE UNIQUE INDEX run_events_replay_key_idx ON converge.run_events (run_id, replay_key) WHERE replay_key IS NOT NULL;

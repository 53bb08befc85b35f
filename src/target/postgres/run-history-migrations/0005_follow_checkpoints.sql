-- A verified checkpoint of a follow (converge follow checkpoint): the follower holds at a source
-- snapshot's binary log position while verify compares that snapshot with the quiet target. From
-- it on the follower records the keys it touches, so the switch proves only those rows again by
-- key, and every table's count, instead of reading both sides in full.

-- hold: a checkpoint asks the follower to stop applying; with hold_file/hold_pos it applies up
-- to exactly there first. The follower says 'holding' once it stands still.
ALTER TABLE converge.follow_state ADD COLUMN hold boolean NOT NULL DEFAULT false;
ALTER TABLE converge.follow_state ADD COLUMN hold_file text;
ALTER TABLE converge.follow_state ADD COLUMN hold_pos bigint;
ALTER TABLE converge.follow_state DROP CONSTRAINT follow_state_status_check;
ALTER TABLE converge.follow_state ADD CONSTRAINT follow_state_status_check
  CHECK (status IN ('starting', 'following', 'holding', 'stopped', 'failed', 'switched'));

-- Every checkpoint taken of the pipeline's current follow (a new load forgets them). Only the
-- latest counts: the touched keys below are those since it.
CREATE TABLE converge.follow_checkpoints (
  id           bigserial PRIMARY KEY,
  pipeline     text NOT NULL REFERENCES converge.follow_state (pipeline) ON DELETE CASCADE,
  run_id       uuid REFERENCES converge.runs (id) ON DELETE SET NULL,
  -- The source snapshot's position: the target held everything before it, nothing after.
  binlog_file  text NOT NULL,
  binlog_pos   bigint NOT NULL,
  taken_at     timestamptz NOT NULL DEFAULT now(),
  verified_at  timestamptz,
  status       text NOT NULL DEFAULT 'verifying' CHECK (status IN ('verifying', 'verified', 'failed')),
  tables       integer,
  error        text
);
CREATE INDEX follow_checkpoints_pipeline ON converge.follow_checkpoints (pipeline, id);

-- Keys of the rows the follow changed since the latest checkpoint, written in the same
-- transaction as the changes: side 's' the source table's primary key (from the row images),
-- side 't' the target key the images map to. key: a JSON array of the values' text forms.
CREATE TABLE converge.follow_touched (
  pipeline     text NOT NULL REFERENCES converge.follow_state (pipeline) ON DELETE CASCADE,
  source_table text NOT NULL,
  side         char(1) NOT NULL CHECK (side IN ('s', 't')),
  key          text NOT NULL,
  PRIMARY KEY (pipeline, source_table, side, key)
);

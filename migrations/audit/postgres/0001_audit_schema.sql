-- Audit trail for synchronisation sessions (SyncKairos task 1.3: initial schema + indexes).
-- Redis is the source of truth; these tables are history for audit, analytics and recovery.
--
-- No foreign keys, on purpose and as specified: rows arrive from an asynchronous write queue,
-- so an event may be written before (or without) its session row.

CREATE TYPE sync_mode AS ENUM (
  'per_participant',
  'per_cycle',
  'per_group',
  'global',
  'count_up'
);

CREATE TYPE sync_status AS ENUM (
  'pending',
  'running',
  'paused',
  'expired',
  'completed',
  'cancelled'
);

CREATE TABLE sync_sessions (
  session_id          UUID PRIMARY KEY,

  sync_mode           sync_mode NOT NULL,
  time_per_cycle_ms   INTEGER,
  increment_ms        INTEGER DEFAULT 0,
  max_time_ms         INTEGER,

  created_at          TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  started_at          TIMESTAMPTZ,
  completed_at        TIMESTAMPTZ,

  final_status        sync_status,
  total_cycles        INTEGER DEFAULT 0,
  total_participants  INTEGER DEFAULT 0,

  metadata            JSONB DEFAULT '{}',

  last_updated_at     TIMESTAMPTZ DEFAULT NOW()
);

COMMENT ON TABLE sync_sessions IS 'Audit trail for synchronization sessions. Redis is PRIMARY source of truth.';
COMMENT ON COLUMN sync_sessions.session_id IS 'Unique session identifier';
COMMENT ON COLUMN sync_sessions.sync_mode IS 'Synchronization mode';
COMMENT ON COLUMN sync_sessions.metadata IS 'Flexible JSONB field for additional session data';

CREATE TABLE sync_events (
  id                 UUID PRIMARY KEY DEFAULT gen_random_uuid(),

  session_id         UUID NOT NULL,

  event_type         VARCHAR(50) NOT NULL,
  participant_id     UUID,
  group_id           UUID,

  time_remaining_ms  INTEGER,
  time_elapsed_ms    INTEGER,
  cycle_number       INTEGER,

  timestamp          TIMESTAMPTZ NOT NULL DEFAULT NOW(),

  state_snapshot     JSONB,

  metadata           JSONB DEFAULT '{}'
);

COMMENT ON TABLE sync_events IS 'Event log for all synchronization state changes. Used for audit, analytics, and recovery.';
COMMENT ON COLUMN sync_events.event_type IS 'Type of event: session_created, session_started, cycle_switched, session_paused, session_completed, etc.';
COMMENT ON COLUMN sync_events.state_snapshot IS 'Full session state at time of event. Used for recovery if Redis data is lost.';

CREATE TABLE sync_participants (
  id                    UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  session_id            UUID NOT NULL,
  participant_id        UUID NOT NULL,

  total_time_ms         INTEGER NOT NULL,
  group_id              UUID,

  total_cycles          INTEGER DEFAULT 0,
  total_time_active_ms  INTEGER DEFAULT 0,

  added_at              TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  first_active_at       TIMESTAMPTZ,
  last_active_at        TIMESTAMPTZ,

  metadata              JSONB DEFAULT '{}'
);

ALTER TABLE sync_participants
  ADD CONSTRAINT unique_session_participant UNIQUE (session_id, participant_id);

-- Indexes (the specification's second step, 002_add_indexes).
CREATE INDEX idx_sync_sessions_created ON sync_sessions (created_at DESC);
CREATE INDEX idx_sync_sessions_status ON sync_sessions (final_status) WHERE final_status IS NOT NULL;
CREATE INDEX idx_sync_sessions_mode ON sync_sessions (sync_mode);

CREATE INDEX idx_sync_events_session ON sync_events (session_id, timestamp DESC);
CREATE INDEX idx_sync_events_type ON sync_events (event_type);
CREATE INDEX idx_sync_events_timestamp ON sync_events (timestamp DESC);
CREATE INDEX idx_sync_events_participant ON sync_events (participant_id) WHERE participant_id IS NOT NULL;

CREATE INDEX idx_sync_participants_session ON sync_participants (session_id);
CREATE INDEX idx_sync_participants_group ON sync_participants (group_id) WHERE group_id IS NOT NULL;

-- Legacy MySQL/MariaDB source for the sync audit trail (migrations/audit/postgres).
-- UUIDs are CHAR(36) text, enums are column ENUMs, JSON is MariaDB's checked LONGTEXT, and
-- DATETIME(6) holds UTC (there is no time zone in the column: the writer always used UTC).
-- Like the Postgres schema there are no foreign keys: the writer is an asynchronous queue.
-- MySQL has no partial indexes; the two WHERE ... IS NOT NULL indexes are plain here.

CREATE TABLE sync_sessions (
  session_id          CHAR(36) NOT NULL COMMENT 'Unique session identifier',
  sync_mode           ENUM('per_participant', 'per_cycle', 'per_group', 'global', 'count_up') NOT NULL COMMENT 'Synchronization mode',
  time_per_cycle_ms   INT NULL,
  increment_ms        INT NULL DEFAULT 0,
  max_time_ms         INT NULL,
  created_at          DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  started_at          DATETIME(6) NULL,
  completed_at        DATETIME(6) NULL,
  final_status        ENUM('pending', 'running', 'paused', 'expired', 'completed', 'cancelled') NULL,
  total_cycles        INT NULL DEFAULT 0,
  total_participants  INT NULL DEFAULT 0,
  metadata            JSON NULL DEFAULT '{}' COMMENT 'Flexible JSON field for additional session data',
  last_updated_at     DATETIME(6) NULL DEFAULT CURRENT_TIMESTAMP(6),
  PRIMARY KEY (session_id),
  KEY idx_sync_sessions_created (created_at DESC),
  KEY idx_sync_sessions_status (final_status),
  KEY idx_sync_sessions_mode (sync_mode)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4
  COMMENT='Audit trail for synchronization sessions. Redis is PRIMARY source of truth.';

CREATE TABLE sync_events (
  id                 CHAR(36) NOT NULL DEFAULT (UUID()),
  session_id         CHAR(36) NOT NULL,
  event_type         VARCHAR(50) NOT NULL COMMENT 'Type of event: session_created, session_started, cycle_switched, session_paused, session_completed, etc.',
  participant_id     CHAR(36) NULL,
  group_id           CHAR(36) NULL,
  time_remaining_ms  INT NULL,
  time_elapsed_ms    INT NULL,
  cycle_number       INT NULL,
  `timestamp`        DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  state_snapshot     JSON NULL COMMENT 'Full session state at time of event. Used for recovery if Redis data is lost.',
  metadata           JSON NULL DEFAULT '{}',
  PRIMARY KEY (id),
  KEY idx_sync_events_session (session_id, `timestamp` DESC),
  KEY idx_sync_events_type (event_type),
  KEY idx_sync_events_timestamp (`timestamp` DESC),
  KEY idx_sync_events_participant (participant_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4
  COMMENT='Event log for all synchronization state changes. Used for audit, analytics, and recovery.';

CREATE TABLE sync_participants (
  id                    CHAR(36) NOT NULL DEFAULT (UUID()),
  session_id            CHAR(36) NOT NULL,
  participant_id        CHAR(36) NOT NULL,
  total_time_ms         INT NOT NULL,
  group_id              CHAR(36) NULL,
  total_cycles          INT NULL DEFAULT 0,
  total_time_active_ms  INT NULL DEFAULT 0,
  added_at              DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  first_active_at       DATETIME(6) NULL,
  last_active_at        DATETIME(6) NULL,
  metadata              JSON NULL DEFAULT '{}',
  PRIMARY KEY (id),
  UNIQUE KEY unique_session_participant (session_id, participant_id),
  KEY idx_sync_participants_session (session_id),
  KEY idx_sync_participants_group (group_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

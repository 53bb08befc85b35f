-- Legacy MySQL/MariaDB source for the ERP/agent data: the shape an application wrote before it
-- moved to Postgres (migrations/erp/postgres). MySQL has no schemas inside a database, so the
-- two Postgres schemas become table-name prefixes: erp_<table> -> erp.<table>,
-- agent_<table> -> agent.<table>.
--
-- Differences a migration must bridge, on purpose:
--   * ids are BIGINT AUTO_INCREMENT, global ids CHAR(36); booleans TINYINT(1); times DATETIME(6)
--     holding UTC; CHECK lists and Postgres enums are MySQL ENUMs;
--   * tags are JSON arrays here and text[] in Postgres; embeddings are JSON arrays of 1536
--     numbers here and real[] there;
--   * erp_execution_runs has no variance_pct: Postgres computes it (generated column);
--   * updated_at is maintained by ON UPDATE CURRENT_TIMESTAMP instead of a trigger;
--   * "one default action per block" is enforced only by the application (MySQL has no
--     partial unique index), and e-mail uniqueness is case-insensitive through the collation.

-- erp ----------------------------------------------------------------------------------------

CREATE TABLE erp_people (
  id          BIGINT NOT NULL AUTO_INCREMENT,
  global_id   CHAR(36) NOT NULL,
  full_name   VARCHAR(200) NOT NULL,
  email       VARCHAR(254) NULL,
  handle      VARCHAR(64) NULL,
  role_label  VARCHAR(120) NULL,
  notes       TEXT NULL,
  is_active   TINYINT(1) NOT NULL DEFAULT 1,
  created_at  DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  updated_at  DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
  PRIMARY KEY (id),
  UNIQUE KEY uq_people_global_id (global_id),
  UNIQUE KEY uq_people_handle (handle),
  UNIQUE KEY uq_people_email (email)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE erp_organizations (
  id          BIGINT NOT NULL AUTO_INCREMENT,
  global_id   CHAR(36) NOT NULL,
  name        VARCHAR(200) NOT NULL,
  website     VARCHAR(500) NULL,
  org_type    ENUM('client', 'partner', 'vendor', 'internal', 'prospect') NOT NULL DEFAULT 'client',
  notes       TEXT NULL,
  is_active   TINYINT(1) NOT NULL DEFAULT 1,
  created_at  DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  updated_at  DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
  PRIMARY KEY (id),
  UNIQUE KEY uq_organizations_global_id (global_id),
  KEY idx_organizations_name (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE erp_projects (
  id               BIGINT NOT NULL AUTO_INCREMENT,
  global_id        CHAR(36) NOT NULL,
  name             VARCHAR(200) NOT NULL,
  description      TEXT NULL,
  owner_person_id  BIGINT NULL,
  organization_id  BIGINT NULL,
  status           ENUM('planned', 'active', 'on_hold', 'completed', 'cancelled') NOT NULL DEFAULT 'planned',
  start_date       DATE NULL,
  end_date         DATE NULL,
  tags             JSON NOT NULL,
  created_at       DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  updated_at       DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
  PRIMARY KEY (id),
  UNIQUE KEY uq_projects_global_id (global_id),
  KEY idx_projects_status (status),
  CONSTRAINT fk_projects_owner FOREIGN KEY (owner_person_id) REFERENCES erp_people (id) ON DELETE SET NULL,
  CONSTRAINT fk_projects_organization FOREIGN KEY (organization_id) REFERENCES erp_organizations (id) ON DELETE SET NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE erp_engagements (
  id                  BIGINT NOT NULL AUTO_INCREMENT,
  global_id           CHAR(36) NOT NULL,
  name                VARCHAR(200) NOT NULL,
  client_org_id       BIGINT NULL,
  primary_contact_id  BIGINT NULL,
  project_id          BIGINT NULL,
  offer_name          VARCHAR(200) NULL,
  status              ENUM('lead', 'proposal', 'active', 'paused', 'completed', 'closed_lost') NOT NULL DEFAULT 'lead',
  start_date          DATE NULL,
  end_date            DATE NULL,
  value_estimate      DECIMAL(12,2) NULL,
  notes               TEXT NULL,
  created_at          DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  updated_at          DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
  PRIMARY KEY (id),
  UNIQUE KEY uq_engagements_global_id (global_id),
  CONSTRAINT fk_engagements_client_org FOREIGN KEY (client_org_id) REFERENCES erp_organizations (id) ON DELETE SET NULL,
  CONSTRAINT fk_engagements_contact FOREIGN KEY (primary_contact_id) REFERENCES erp_people (id) ON DELETE SET NULL,
  CONSTRAINT fk_engagements_project FOREIGN KEY (project_id) REFERENCES erp_projects (id) ON DELETE SET NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE erp_tasks (
  id               BIGINT NOT NULL AUTO_INCREMENT,
  global_id        CHAR(36) NOT NULL,
  title            VARCHAR(300) NOT NULL,
  description      TEXT NULL,
  project_id       BIGINT NULL,
  engagement_id    BIGINT NULL,
  assignee_id      BIGINT NULL,
  status           ENUM('todo', 'in_progress', 'blocked', 'done', 'cancelled') NOT NULL DEFAULT 'todo',
  priority         ENUM('low', 'medium', 'high', 'urgent') NOT NULL DEFAULT 'medium',
  due_date         DATE NULL,
  estimated_hours  DECIMAL(7,2) NULL,
  actual_hours     DECIMAL(7,2) NULL,
  tags             JSON NOT NULL,
  created_at       DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  updated_at       DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
  PRIMARY KEY (id),
  UNIQUE KEY uq_tasks_global_id (global_id),
  KEY idx_tasks_assignee_status (assignee_id, status),
  KEY idx_tasks_due (due_date),
  CONSTRAINT fk_tasks_project FOREIGN KEY (project_id) REFERENCES erp_projects (id) ON DELETE CASCADE,
  CONSTRAINT fk_tasks_engagement FOREIGN KEY (engagement_id) REFERENCES erp_engagements (id) ON DELETE SET NULL,
  CONSTRAINT fk_tasks_assignee FOREIGN KEY (assignee_id) REFERENCES erp_people (id) ON DELETE SET NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE erp_okrs (
  id                  BIGINT NOT NULL AUTO_INCREMENT,
  global_id           CHAR(36) NOT NULL,
  owner_person_id     BIGINT NULL,
  venture_name        VARCHAR(200) NULL,
  objective           TEXT NOT NULL,
  key_results         JSON NOT NULL,
  time_horizon_start  DATE NULL,
  time_horizon_end    DATE NULL,
  status              ENUM('draft', 'active', 'achieved', 'missed', 'archived') NOT NULL DEFAULT 'draft',
  created_at          DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  updated_at          DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
  PRIMARY KEY (id),
  UNIQUE KEY uq_okrs_global_id (global_id),
  CONSTRAINT fk_okrs_owner FOREIGN KEY (owner_person_id) REFERENCES erp_people (id) ON DELETE SET NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE erp_service_blueprints (
  id                 BIGINT NOT NULL AUTO_INCREMENT,
  global_id          CHAR(36) NOT NULL,
  name               VARCHAR(200) NOT NULL,
  description        TEXT NULL,
  customer_actions   TEXT NULL,
  frontstage         TEXT NULL,
  backstage          TEXT NULL,
  support_processes  TEXT NULL,
  evidence           TEXT NULL,
  version            INT NOT NULL DEFAULT 1,
  status             ENUM('draft', 'active', 'deprecated') NOT NULL DEFAULT 'draft',
  tags               JSON NOT NULL,
  created_at         DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  updated_at         DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
  PRIMARY KEY (id),
  UNIQUE KEY uq_service_blueprints_global_id (global_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE erp_workflows (
  id                    BIGINT NOT NULL AUTO_INCREMENT,
  global_id             CHAR(36) NOT NULL,
  service_blueprint_id  BIGINT NULL,
  name                  VARCHAR(200) NOT NULL,
  description           TEXT NULL,
  steps                 JSON NOT NULL,
  estimated_hours       DECIMAL(7,2) NULL,
  automation_status     ENUM('manual', 'partial', 'automated') NOT NULL DEFAULT 'manual',
  version               INT NOT NULL DEFAULT 1,
  status                ENUM('draft', 'active', 'deprecated') NOT NULL DEFAULT 'draft',
  tags                  JSON NOT NULL,
  created_at            DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  updated_at            DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
  PRIMARY KEY (id),
  UNIQUE KEY uq_workflows_global_id (global_id),
  CONSTRAINT fk_workflows_blueprint FOREIGN KEY (service_blueprint_id) REFERENCES erp_service_blueprints (id) ON DELETE SET NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE erp_process_templates (
  id             BIGINT NOT NULL AUTO_INCREMENT,
  global_id      CHAR(36) NOT NULL,
  workflow_id    BIGINT NULL,
  name           VARCHAR(200) NOT NULL,
  checklist      JSON NOT NULL,
  template_type  ENUM('checklist', 'sop', 'runbook') NOT NULL DEFAULT 'checklist',
  version        INT NOT NULL DEFAULT 1,
  status         ENUM('draft', 'active', 'deprecated') NOT NULL DEFAULT 'draft',
  tags           JSON NOT NULL,
  created_at     DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  updated_at     DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
  PRIMARY KEY (id),
  UNIQUE KEY uq_process_templates_global_id (global_id),
  CONSTRAINT fk_process_templates_workflow FOREIGN KEY (workflow_id) REFERENCES erp_workflows (id) ON DELETE SET NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE erp_execution_runs (
  id                   BIGINT NOT NULL AUTO_INCREMENT,
  global_id            CHAR(36) NOT NULL,
  process_template_id  BIGINT NOT NULL,
  run_identifier       VARCHAR(120) NOT NULL,
  status               ENUM('queued', 'running', 'succeeded', 'failed', 'cancelled') NOT NULL DEFAULT 'queued',
  started_at           DATETIME(6) NULL,
  ended_at             DATETIME(6) NULL,
  estimated_hours      DECIMAL(7,2) NULL,
  actual_hours         DECIMAL(7,2) NULL,
  metadata             JSON NOT NULL,
  created_at           DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  updated_at           DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
  PRIMARY KEY (id),
  UNIQUE KEY uq_execution_runs_global_id (global_id),
  UNIQUE KEY uq_execution_runs_run_identifier (run_identifier),
  KEY idx_execution_runs_status_started (status, started_at),
  CONSTRAINT fk_execution_runs_template FOREIGN KEY (process_template_id) REFERENCES erp_process_templates (id) ON DELETE RESTRICT
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE erp_ventures (
  id               BIGINT NOT NULL AUTO_INCREMENT,
  global_id        CHAR(36) NOT NULL,
  name             VARCHAR(200) NOT NULL,
  description      TEXT NULL,
  status           ENUM('idea', 'active', 'paused', 'exited', 'closed') NOT NULL DEFAULT 'idea',
  owner_person_id  BIGINT NULL,
  created_at       DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  updated_at       DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
  PRIMARY KEY (id),
  UNIQUE KEY uq_ventures_global_id (global_id),
  CONSTRAINT fk_ventures_owner FOREIGN KEY (owner_person_id) REFERENCES erp_people (id) ON DELETE SET NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE erp_sprints (
  id              BIGINT NOT NULL AUTO_INCREMENT,
  global_id       CHAR(36) NOT NULL,
  name            VARCHAR(200) NOT NULL,
  start_date      DATE NOT NULL,
  end_date        DATE NOT NULL,
  capacity_hours  DECIMAL(7,2) NULL,
  status          ENUM('planned', 'active', 'closed') NOT NULL DEFAULT 'planned',
  created_at      DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  updated_at      DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
  PRIMARY KEY (id),
  UNIQUE KEY uq_sprints_global_id (global_id),
  KEY idx_sprints_dates (start_date, end_date)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE erp_offers (
  id                    BIGINT NOT NULL AUTO_INCREMENT,
  global_id             CHAR(36) NOT NULL,
  service_blueprint_id  BIGINT NULL,
  name                  VARCHAR(200) NOT NULL,
  description           TEXT NULL,
  pricing_model         ENUM('fixed', 'hourly', 'retainer', 'value_based') NOT NULL DEFAULT 'fixed',
  status                ENUM('draft', 'active', 'retired') NOT NULL DEFAULT 'draft',
  created_at            DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  updated_at            DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
  PRIMARY KEY (id),
  UNIQUE KEY uq_offers_global_id (global_id),
  CONSTRAINT fk_offers_blueprint FOREIGN KEY (service_blueprint_id) REFERENCES erp_service_blueprints (id) ON DELETE SET NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE erp_deliverables (
  id             BIGINT NOT NULL AUTO_INCREMENT,
  global_id      CHAR(36) NOT NULL,
  engagement_id  BIGINT NULL,
  offer_id       BIGINT NULL,
  name           VARCHAR(200) NOT NULL,
  description    TEXT NULL,
  due_date       DATE NULL,
  status         ENUM('planned', 'in_progress', 'delivered', 'accepted', 'rejected') NOT NULL DEFAULT 'planned',
  created_at     DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  updated_at     DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
  PRIMARY KEY (id),
  UNIQUE KEY uq_deliverables_global_id (global_id),
  CONSTRAINT fk_deliverables_engagement FOREIGN KEY (engagement_id) REFERENCES erp_engagements (id) ON DELETE CASCADE,
  CONSTRAINT fk_deliverables_offer FOREIGN KEY (offer_id) REFERENCES erp_offers (id) ON DELETE SET NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- agent: configuration -----------------------------------------------------------------------

CREATE TABLE agent_context_recipes (
  id              BIGINT NOT NULL AUTO_INCREMENT,
  name            VARCHAR(120) NOT NULL,
  description     TEXT NULL,
  retrieval_spec  JSON NOT NULL,
  created_at      DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  PRIMARY KEY (id),
  UNIQUE KEY uq_context_recipes_name (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE agent_profiles (
  id                         BIGINT NOT NULL AUTO_INCREMENT,
  global_id                  CHAR(36) NOT NULL,
  name                       VARCHAR(120) NOT NULL,
  description                TEXT NULL,
  system_prompt_template     MEDIUMTEXT NULL,
  harness_config             JSON NOT NULL,
  default_model              VARCHAR(120) NULL,
  default_context_recipe_id  BIGINT NULL,
  is_active                  TINYINT(1) NOT NULL DEFAULT 1,
  created_at                 DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  updated_at                 DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
  PRIMARY KEY (id),
  UNIQUE KEY uq_profiles_global_id (global_id),
  UNIQUE KEY uq_profiles_name (name),
  CONSTRAINT fk_profiles_context_recipe FOREIGN KEY (default_context_recipe_id) REFERENCES agent_context_recipes (id) ON DELETE SET NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE agent_tools (
  id                 BIGINT NOT NULL AUTO_INCREMENT,
  global_id          CHAR(36) NOT NULL,
  name               VARCHAR(120) NOT NULL,
  description        TEXT NULL,
  schema_definition  JSON NOT NULL,
  is_active          TINYINT(1) NOT NULL DEFAULT 1,
  created_at         DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  updated_at         DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
  PRIMARY KEY (id),
  UNIQUE KEY uq_tools_global_id (global_id),
  UNIQUE KEY uq_tools_name (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE agent_profile_tools (
  profile_id  BIGINT NOT NULL,
  tool_id     BIGINT NOT NULL,
  is_enabled  TINYINT(1) NOT NULL DEFAULT 1,
  PRIMARY KEY (profile_id, tool_id),
  CONSTRAINT fk_profile_tools_profile FOREIGN KEY (profile_id) REFERENCES agent_profiles (id) ON DELETE CASCADE,
  CONSTRAINT fk_profile_tools_tool FOREIGN KEY (tool_id) REFERENCES agent_tools (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- agent: memory ------------------------------------------------------------------------------

CREATE TABLE agent_client_profiles (
  id           BIGINT NOT NULL AUTO_INCREMENT,
  client_id    VARCHAR(120) NOT NULL,
  name         VARCHAR(200) NULL,
  preferences  JSON NOT NULL,
  created_at   DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  updated_at   DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
  PRIMARY KEY (id),
  UNIQUE KEY uq_client_profiles_client_id (client_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE agent_memory_entries (
  id           BIGINT NOT NULL AUTO_INCREMENT,
  client_id    VARCHAR(120) NOT NULL,
  content      MEDIUMTEXT NOT NULL,
  memory_type  ENUM('observation', 'preference', 'instruction', 'summary', 'scratch') NOT NULL DEFAULT 'observation',
  embedding    JSON NULL,
  ttl_minutes  INT NULL,
  expires_at   DATETIME(6) NULL,
  metadata     JSON NOT NULL,
  created_at   DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  PRIMARY KEY (id),
  KEY idx_memory_entries_client_created (client_id, created_at),
  KEY idx_memory_entries_expires (expires_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE agent_memory_facts (
  id                BIGINT NOT NULL AUTO_INCREMENT,
  client_id         VARCHAR(120) NOT NULL,
  fact_key          VARCHAR(191) NOT NULL,
  fact_value        TEXT NULL,
  category          VARCHAR(80) NULL,
  confidence_score  DECIMAL(4,3) NULL,
  metadata          JSON NOT NULL,
  created_at        DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  updated_at        DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
  PRIMARY KEY (id),
  UNIQUE KEY uq_memory_facts_fact_key (fact_key),
  KEY idx_memory_facts_client (client_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE agent_working_state (
  id           BIGINT NOT NULL AUTO_INCREMENT,
  client_id    VARCHAR(120) NOT NULL,
  state_key    VARCHAR(191) NOT NULL,
  state_value  JSON NOT NULL,
  updated_at   DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
  PRIMARY KEY (id),
  UNIQUE KEY uq_working_state_state_key (state_key),
  KEY idx_working_state_client (client_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE agent_episodes (
  id          BIGINT NOT NULL AUTO_INCREMENT,
  client_id   VARCHAR(120) NOT NULL,
  session_id  VARCHAR(120) NULL,
  summary     MEDIUMTEXT NOT NULL,
  embedding   JSON NULL,
  metadata    JSON NOT NULL,
  created_at  DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  PRIMARY KEY (id),
  KEY idx_episodes_client_created (client_id, created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE agent_webhook_executions (
  id           BIGINT NOT NULL AUTO_INCREMENT,
  client_id    VARCHAR(120) NOT NULL,
  webhook_url  VARCHAR(2000) NOT NULL,
  payload      JSON NULL,
  response     JSON NULL,
  status       ENUM('pending', 'success', 'failed', 'timeout') NOT NULL DEFAULT 'pending',
  executed_at  DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  PRIMARY KEY (id),
  KEY idx_webhook_executions_client_time (client_id, executed_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- agent: operations --------------------------------------------------------------------------

CREATE TABLE agent_sessions (
  id                      BIGINT NOT NULL AUTO_INCREMENT,
  global_id               CHAR(36) NOT NULL,
  profile_id              BIGINT NULL,
  session_type            ENUM('chat', 'planning', 'review', 'automation') NOT NULL DEFAULT 'chat',
  client_person_id        BIGINT NULL,
  subject_type            VARCHAR(60) NULL,
  subject_id              BIGINT NULL,
  status                  ENUM('active', 'paused', 'completed', 'failed', 'abandoned') NOT NULL DEFAULT 'active',
  started_at              DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  ended_at                DATETIME(6) NULL,
  trace_id                VARCHAR(64) NULL,
  context_recipe_id       BIGINT NULL,
  applied_harness_config  JSON NULL,
  metadata                JSON NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uq_sessions_global_id (global_id),
  KEY idx_sessions_subject (subject_type, subject_id),
  CONSTRAINT fk_sessions_profile FOREIGN KEY (profile_id) REFERENCES agent_profiles (id) ON DELETE SET NULL,
  CONSTRAINT fk_sessions_client_person FOREIGN KEY (client_person_id) REFERENCES erp_people (id) ON DELETE SET NULL,
  CONSTRAINT fk_sessions_context_recipe FOREIGN KEY (context_recipe_id) REFERENCES agent_context_recipes (id) ON DELETE SET NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE agent_events (
  id                BIGINT NOT NULL AUTO_INCREMENT,
  session_id        BIGINT NULL,
  occurred_at       DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  event_type        VARCHAR(80) NOT NULL,
  event_source      VARCHAR(80) NULL,
  subject_type      VARCHAR(60) NULL,
  subject_id        BIGINT NULL,
  message           MEDIUMTEXT NULL,
  payload           JSON NULL,
  memory_scope      ENUM('session', 'client', 'global') NOT NULL DEFAULT 'session',
  salience_score    DECIMAL(4,3) NULL,
  promoted_fact_id  BIGINT NULL,
  created_at        DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  updated_at        DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
  PRIMARY KEY (id),
  KEY idx_events_session_time (session_id, occurred_at),
  KEY idx_events_type (event_type),
  CONSTRAINT fk_events_session FOREIGN KEY (session_id) REFERENCES agent_sessions (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE agent_facts (
  id               BIGINT NOT NULL AUTO_INCREMENT,
  global_id        CHAR(36) NOT NULL,
  subject_type     VARCHAR(60) NOT NULL,
  subject_id       BIGINT NULL,
  fact_type        VARCHAR(60) NOT NULL,
  category         VARCHAR(80) NULL,
  content          MEDIUMTEXT NOT NULL,
  salience_score   DECIMAL(4,3) NULL,
  valid_from       DATETIME(6) NULL,
  valid_to         DATETIME(6) NULL,
  source_event_id  BIGINT NULL,
  source_ref       VARCHAR(500) NULL,
  metadata         JSON NOT NULL,
  created_at       DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  updated_at       DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
  PRIMARY KEY (id),
  UNIQUE KEY uq_facts_global_id (global_id),
  KEY idx_facts_subject (subject_type, subject_id),
  CONSTRAINT fk_facts_source_event FOREIGN KEY (source_event_id) REFERENCES agent_events (id) ON DELETE SET NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

ALTER TABLE agent_events
  ADD CONSTRAINT fk_events_promoted_fact FOREIGN KEY (promoted_fact_id) REFERENCES agent_facts (id) ON DELETE SET NULL;

CREATE TABLE agent_goals (
  id                  BIGINT NOT NULL AUTO_INCREMENT,
  global_id           CHAR(36) NOT NULL,
  subject_type        VARCHAR(60) NULL,
  subject_id          BIGINT NULL,
  title               VARCHAR(300) NOT NULL,
  description         TEXT NULL,
  success_criteria    JSON NOT NULL,
  status              ENUM('proposed', 'active', 'achieved', 'abandoned') NOT NULL DEFAULT 'proposed',
  priority            TINYINT NOT NULL DEFAULT 3,
  time_horizon_start  DATE NULL,
  time_horizon_end    DATE NULL,
  parent_goal_id      BIGINT NULL,
  created_at          DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  updated_at          DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
  PRIMARY KEY (id),
  UNIQUE KEY uq_goals_global_id (global_id),
  KEY idx_goals_subject (subject_type, subject_id),
  CONSTRAINT fk_goals_parent FOREIGN KEY (parent_goal_id) REFERENCES agent_goals (id) ON DELETE SET NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE agent_reflections (
  id                 BIGINT NOT NULL AUTO_INCREMENT,
  session_id         BIGINT NULL,
  reflection_date    DATE NOT NULL,
  mode               ENUM('daily', 'weekly', 'retro', 'adhoc') NOT NULL DEFAULT 'daily',
  client_person_id   BIGINT NULL,
  scope              VARCHAR(120) NULL,
  focal_entity_type  VARCHAR(60) NULL,
  focal_entity_id    BIGINT NULL,
  goals              TEXT NULL,
  accomplishments    TEXT NULL,
  blockers           TEXT NULL,
  decisions          TEXT NULL,
  metrics            JSON NULL,
  next_actions       TEXT NULL,
  raw_text           MEDIUMTEXT NULL,
  created_at         DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  PRIMARY KEY (id),
  KEY idx_reflections_person_date (client_person_id, reflection_date),
  CONSTRAINT fk_reflections_session FOREIGN KEY (session_id) REFERENCES agent_sessions (id) ON DELETE SET NULL,
  CONSTRAINT fk_reflections_client_person FOREIGN KEY (client_person_id) REFERENCES erp_people (id) ON DELETE SET NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE agent_step_evaluations (
  id                BIGINT NOT NULL AUTO_INCREMENT,
  execution_run_id  BIGINT NOT NULL,
  step_name         VARCHAR(200) NOT NULL,
  step_index        INT NOT NULL,
  validator_type    ENUM('rule', 'llm', 'human', 'test') NOT NULL,
  status            ENUM('pass', 'fail', 'warn', 'skipped') NOT NULL,
  score             DECIMAL(5,4) NULL,
  feedback          TEXT NULL,
  needs_human       TINYINT(1) NOT NULL DEFAULT 0,
  created_at        DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  PRIMARY KEY (id),
  KEY idx_step_evaluations_run_step (execution_run_id, step_index),
  CONSTRAINT fk_step_evaluations_run FOREIGN KEY (execution_run_id) REFERENCES erp_execution_runs (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE agent_artifacts (
  id             BIGINT NOT NULL AUTO_INCREMENT,
  global_id      CHAR(36) NOT NULL,
  artifact_type  VARCHAR(60) NOT NULL,
  external_id    VARCHAR(200) NULL,
  title          VARCHAR(300) NULL,
  summary        TEXT NULL,
  source_system  VARCHAR(60) NULL,
  metadata       JSON NOT NULL,
  created_at     DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  PRIMARY KEY (id),
  UNIQUE KEY uq_artifacts_global_id (global_id),
  KEY idx_artifacts_source (source_system, external_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- agent: graph and blocks --------------------------------------------------------------------

CREATE TABLE agent_graph_nodes (
  id          BIGINT NOT NULL AUTO_INCREMENT,
  node_type   VARCHAR(60) NOT NULL,
  node_id     VARCHAR(191) NOT NULL,
  properties  JSON NOT NULL,
  created_at  DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  updated_at  DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
  PRIMARY KEY (id),
  UNIQUE KEY uq_graph_nodes_node_id (node_id),
  KEY idx_graph_nodes_type (node_type)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE agent_graph_edges (
  id            BIGINT NOT NULL AUTO_INCREMENT,
  from_node_id  BIGINT NOT NULL,
  to_node_id    BIGINT NOT NULL,
  edge_type     VARCHAR(60) NOT NULL,
  properties    JSON NOT NULL,
  created_at    DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  updated_at    DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
  PRIMARY KEY (id),
  UNIQUE KEY uq_graph_edges_edge (from_node_id, to_node_id, edge_type),
  CONSTRAINT fk_graph_edges_from FOREIGN KEY (from_node_id) REFERENCES agent_graph_nodes (id) ON DELETE CASCADE,
  CONSTRAINT fk_graph_edges_to FOREIGN KEY (to_node_id) REFERENCES agent_graph_nodes (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE agent_blocks (
  id            BIGINT NOT NULL AUTO_INCREMENT,
  global_id     CHAR(36) NOT NULL,
  block_type    VARCHAR(60) NOT NULL,
  title         VARCHAR(300) NULL,
  body_md       MEDIUMTEXT NULL,
  source_table  VARCHAR(120) NULL,
  source_id     BIGINT NULL,
  artifact_id   BIGINT NULL,
  vector_key    VARCHAR(200) NULL,
  graph_key     VARCHAR(200) NULL,
  metadata      JSON NOT NULL,
  created_at    DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  updated_at    DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
  PRIMARY KEY (id),
  UNIQUE KEY uq_blocks_global_id (global_id),
  KEY idx_blocks_source (source_table, source_id),
  CONSTRAINT fk_blocks_artifact FOREIGN KEY (artifact_id) REFERENCES agent_artifacts (id) ON DELETE SET NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE agent_block_actions (
  id                    BIGINT NOT NULL AUTO_INCREMENT,
  block_id              BIGINT NOT NULL,
  action_type           VARCHAR(60) NOT NULL,
  tool_name             VARCHAR(120) NULL,
  tool_params_template  JSON NULL,
  is_default            TINYINT(1) NOT NULL DEFAULT 0,
  metadata              JSON NOT NULL,
  PRIMARY KEY (id),
  KEY idx_block_actions_block_default (block_id, is_default),
  CONSTRAINT fk_block_actions_block FOREIGN KEY (block_id) REFERENCES agent_blocks (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- agent: planning ----------------------------------------------------------------------------

CREATE TABLE agent_plans (
  id          BIGINT NOT NULL AUTO_INCREMENT,
  plan_title  VARCHAR(300) NOT NULL,
  intent      TEXT NULL,
  sop         JSON NULL,
  client_id   VARCHAR(120) NULL,
  status      ENUM('draft', 'scheduled', 'active', 'done', 'cancelled') NOT NULL DEFAULT 'draft',
  metadata    JSON NOT NULL,
  created_at  DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  updated_at  DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
  PRIMARY KEY (id),
  KEY idx_plans_client (client_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE agent_scheduler_runs (
  id               BIGINT NOT NULL AUTO_INCREMENT,
  plan_id          BIGINT NULL,
  schedule_blocks  JSON NOT NULL,
  client_id        VARCHAR(120) NULL,
  status           ENUM('pending', 'running', 'completed', 'failed') NOT NULL DEFAULT 'pending',
  calendar_events  JSON NULL,
  metadata         JSON NOT NULL,
  created_at       DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  updated_at       DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
  PRIMARY KEY (id),
  CONSTRAINT fk_scheduler_runs_plan FOREIGN KEY (plan_id) REFERENCES agent_plans (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE agent_prompt_templates (
  id             BIGINT NOT NULL AUTO_INCREMENT,
  template_name  VARCHAR(191) NOT NULL,
  template_type  ENUM('system', 'user', 'tool', 'few_shot') NOT NULL DEFAULT 'system',
  content        MEDIUMTEXT NOT NULL,
  version        INT NOT NULL DEFAULT 1,
  variables      JSON NOT NULL,
  metadata       JSON NOT NULL,
  created_at     DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  updated_at     DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
  PRIMARY KEY (id),
  UNIQUE KEY uq_prompt_templates_template_name (template_name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Ory Kratos v1.3.1 identity schema as MariaDB/MySQL holds it after `kratos migrate sql`:
-- 25 tables, 48 foreign keys. Written from the facts gathered on a real install (column order,
-- nullability and defaults as the MySQL migrations leave them), not copied from Kratos.
-- The version table (schema_migration) is created by the migration runner, not here.
--
-- Deliberate MySQL-side traits the converter must cope with:
--   * ids are CHAR(36) compared under a _ci collation (upper/lower case uuids match);
--   * selfservice_verification_flows.session_id / identity_id are VARCHAR(36) without a FK;
--   * several columns are nullable here but NOT NULL on Postgres (request_url, identifier, ...);
--   * session_devices has no unique (nid, session_id, ip_address, user_agent): a later Kratos
--     migration dropped it on MySQL only, so duplicate device rows exist in real sources.

CREATE TABLE networks (
  id CHAR(36) NOT NULL,
  created_at DATETIME NOT NULL,
  updated_at DATETIME NOT NULL,
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE identities (
  id CHAR(36) NOT NULL,
  schema_id VARCHAR(2048) NOT NULL,
  traits JSON NOT NULL,
  created_at DATETIME NOT NULL,
  updated_at DATETIME NOT NULL,
  nid CHAR(36) DEFAULT NULL,
  state VARCHAR(255) NOT NULL DEFAULT 'active',
  state_changed_at DATETIME DEFAULT NULL,
  metadata_public JSON DEFAULT NULL,
  metadata_admin JSON DEFAULT NULL,
  available_aal VARCHAR(4) DEFAULT NULL,
  organization_id CHAR(36) DEFAULT NULL,
  PRIMARY KEY (id),
  KEY identities_id_nid_idx (id, nid),
  KEY identities_nid_id_idx (nid, id),
  CONSTRAINT identities_nid_fk_idx FOREIGN KEY (nid) REFERENCES networks (id) ON UPDATE RESTRICT ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE identity_credential_types (
  id CHAR(36) NOT NULL,
  name VARCHAR(32) NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY identity_credential_types_name_idx (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE identity_credentials (
  id CHAR(36) NOT NULL,
  config JSON NOT NULL,
  identity_credential_type_id CHAR(36) NOT NULL,
  identity_id CHAR(36) NOT NULL,
  created_at DATETIME NOT NULL,
  updated_at DATETIME NOT NULL,
  nid CHAR(36) DEFAULT NULL,
  version INT NOT NULL DEFAULT 0,
  PRIMARY KEY (id),
  KEY identity_credentials_id_nid_idx (id, nid),
  KEY identity_credentials_nid_identity_id_idx (identity_id, nid),
  CONSTRAINT identity_credentials_identity_credential_type_id_fk FOREIGN KEY (identity_credential_type_id) REFERENCES identity_credential_types (id) ON DELETE CASCADE,
  CONSTRAINT identity_credentials_identity_id_fk FOREIGN KEY (identity_id) REFERENCES identities (id) ON DELETE CASCADE,
  CONSTRAINT identity_credentials_nid_fk_idx FOREIGN KEY (nid) REFERENCES networks (id) ON UPDATE RESTRICT ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE identity_credential_identifiers (
  id CHAR(36) NOT NULL,
  identifier VARCHAR(255) DEFAULT NULL,
  identity_credential_id CHAR(36) NOT NULL,
  created_at DATETIME NOT NULL,
  updated_at DATETIME NOT NULL,
  nid CHAR(36) DEFAULT NULL,
  identity_credential_type_id CHAR(36) NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY identity_credential_identifiers_identifier_nid_type_uq_idx (identifier, identity_credential_type_id, nid),
  KEY identity_credential_identifiers_id_nid_idx (id, nid),
  KEY identity_credential_identifiers_nid_identity_credential_id_idx (identity_credential_id, nid),
  CONSTRAINT identity_credential_identifiers_identity_credential_id_fk FOREIGN KEY (identity_credential_id) REFERENCES identity_credentials (id) ON DELETE CASCADE,
  CONSTRAINT identity_credential_identifiers_nid_fk_idx FOREIGN KEY (nid) REFERENCES networks (id) ON UPDATE RESTRICT ON DELETE CASCADE,
  CONSTRAINT identity_credential_identifiers_type_id_fk_idx FOREIGN KEY (identity_credential_type_id) REFERENCES identity_credential_types (id) ON UPDATE RESTRICT ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE identity_verifiable_addresses (
  id CHAR(36) NOT NULL,
  status VARCHAR(16) NOT NULL,
  via VARCHAR(16) NOT NULL,
  verified TINYINT(1) NOT NULL,
  value VARCHAR(400) NOT NULL,
  verified_at DATETIME DEFAULT NULL,
  identity_id CHAR(36) NOT NULL,
  created_at DATETIME NOT NULL,
  updated_at DATETIME NOT NULL,
  nid CHAR(36) DEFAULT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY identity_verifiable_addresses_status_via_uq_idx (nid, via, value),
  KEY identity_verifiable_addresses_id_nid_idx (id, nid),
  KEY identity_verifiable_addresses_nid_identity_id_idx (identity_id, nid),
  CONSTRAINT identity_verifiable_addresses_identity_id_fk FOREIGN KEY (identity_id) REFERENCES identities (id) ON DELETE CASCADE,
  CONSTRAINT identity_verifiable_addresses_nid_fk_idx FOREIGN KEY (nid) REFERENCES networks (id) ON UPDATE RESTRICT ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE identity_recovery_addresses (
  id CHAR(36) NOT NULL,
  via VARCHAR(16) NOT NULL,
  value VARCHAR(400) NOT NULL,
  identity_id CHAR(36) NOT NULL,
  created_at DATETIME NOT NULL,
  updated_at DATETIME NOT NULL,
  nid CHAR(36) DEFAULT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY identity_recovery_addresses_status_via_uq_idx (nid, via, value),
  KEY identity_recovery_addresses_id_nid_idx (id, nid),
  KEY identity_recovery_addresses_nid_identity_id_idx (identity_id, nid),
  CONSTRAINT identity_recovery_addresses_identity_id_fk FOREIGN KEY (identity_id) REFERENCES identities (id) ON DELETE CASCADE,
  CONSTRAINT identity_recovery_addresses_nid_fk_idx FOREIGN KEY (nid) REFERENCES networks (id) ON UPDATE RESTRICT ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE selfservice_login_flows (
  id CHAR(36) NOT NULL,
  request_url TEXT DEFAULT NULL,
  issued_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  expires_at DATETIME NOT NULL,
  active_method VARCHAR(32) NOT NULL,
  csrf_token VARCHAR(255) NOT NULL,
  created_at DATETIME NOT NULL,
  updated_at DATETIME NOT NULL,
  forced TINYINT(1) NOT NULL DEFAULT 0,
  type VARCHAR(16) NOT NULL DEFAULT 'browser',
  ui JSON DEFAULT NULL,
  nid CHAR(36) DEFAULT NULL,
  requested_aal VARCHAR(4) NOT NULL DEFAULT 'aal1',
  internal_context JSON NOT NULL,
  oauth2_login_challenge CHAR(36) DEFAULT NULL,
  oauth2_login_challenge_data TEXT DEFAULT NULL,
  state VARCHAR(255) DEFAULT NULL,
  submit_count INT NOT NULL DEFAULT 0,
  organization_id CHAR(36) DEFAULT NULL,
  PRIMARY KEY (id),
  KEY selfservice_login_flows_id_nid_idx (id, nid),
  KEY selfservice_login_flows_nid_id_idx (nid, id),
  CONSTRAINT selfservice_login_flows_nid_fk_idx FOREIGN KEY (nid) REFERENCES networks (id) ON UPDATE RESTRICT ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE selfservice_registration_flows (
  id CHAR(36) NOT NULL,
  request_url TEXT DEFAULT NULL,
  issued_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  expires_at DATETIME NOT NULL,
  active_method VARCHAR(32) NOT NULL,
  csrf_token VARCHAR(255) NOT NULL,
  created_at DATETIME NOT NULL,
  updated_at DATETIME NOT NULL,
  type VARCHAR(16) NOT NULL DEFAULT 'browser',
  ui JSON DEFAULT NULL,
  nid CHAR(36) DEFAULT NULL,
  internal_context JSON NOT NULL,
  oauth2_login_challenge CHAR(36) DEFAULT NULL,
  oauth2_login_challenge_data TEXT DEFAULT NULL,
  state VARCHAR(255) DEFAULT NULL,
  submit_count INT NOT NULL DEFAULT 0,
  organization_id CHAR(36) DEFAULT NULL,
  PRIMARY KEY (id),
  KEY selfservice_registration_flows_id_nid_idx (id, nid),
  KEY selfservice_registration_flows_nid_id_idx (nid, id),
  CONSTRAINT selfservice_registration_flows_nid_fk_idx FOREIGN KEY (nid) REFERENCES networks (id) ON UPDATE RESTRICT ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE selfservice_settings_flows (
  id CHAR(36) NOT NULL,
  request_url TEXT DEFAULT NULL,
  issued_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  expires_at DATETIME NOT NULL,
  identity_id CHAR(36) NOT NULL,
  created_at DATETIME NOT NULL,
  updated_at DATETIME NOT NULL,
  active_method VARCHAR(32) DEFAULT NULL,
  state VARCHAR(255) NOT NULL DEFAULT 'show_form',
  type VARCHAR(16) NOT NULL DEFAULT 'browser',
  ui JSON DEFAULT NULL,
  nid CHAR(36) DEFAULT NULL,
  internal_context JSON NOT NULL,
  PRIMARY KEY (id),
  KEY selfservice_settings_flows_id_nid_idx (id, nid),
  KEY selfservice_settings_flows_identity_id_nid_idx (identity_id, nid),
  CONSTRAINT selfservice_settings_flows_identity_id_fk FOREIGN KEY (identity_id) REFERENCES identities (id) ON DELETE CASCADE,
  CONSTRAINT selfservice_settings_flows_nid_fk_idx FOREIGN KEY (nid) REFERENCES networks (id) ON UPDATE RESTRICT ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE selfservice_recovery_flows (
  id CHAR(36) NOT NULL,
  request_url TEXT DEFAULT NULL,
  issued_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  expires_at DATETIME NOT NULL,
  active_method VARCHAR(32) DEFAULT NULL,
  csrf_token VARCHAR(255) NOT NULL,
  state VARCHAR(32) NOT NULL,
  recovered_identity_id CHAR(36) DEFAULT NULL,
  created_at DATETIME NOT NULL,
  updated_at DATETIME NOT NULL,
  type VARCHAR(16) NOT NULL DEFAULT 'browser',
  ui JSON DEFAULT NULL,
  nid CHAR(36) DEFAULT NULL,
  submit_count INT NOT NULL DEFAULT 0,
  skip_csrf_check TINYINT(1) NOT NULL DEFAULT 0,
  PRIMARY KEY (id),
  KEY selfservice_recovery_flows_id_nid_idx (id, nid),
  KEY selfservice_recovery_flows_recovered_identity_id_nid_idx (recovered_identity_id, nid),
  CONSTRAINT selfservice_recovery_flows_recovered_identity_id_fk FOREIGN KEY (recovered_identity_id) REFERENCES identities (id) ON DELETE CASCADE,
  CONSTRAINT selfservice_recovery_flows_nid_fk_idx FOREIGN KEY (nid) REFERENCES networks (id) ON UPDATE RESTRICT ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE selfservice_verification_flows (
  id CHAR(36) NOT NULL,
  request_url TEXT DEFAULT NULL,
  issued_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  expires_at DATETIME NOT NULL,
  csrf_token VARCHAR(255) NOT NULL,
  created_at DATETIME NOT NULL,
  updated_at DATETIME NOT NULL,
  type VARCHAR(16) NOT NULL DEFAULT 'browser',
  state VARCHAR(255) NOT NULL DEFAULT 'show_form',
  active_method VARCHAR(32) DEFAULT NULL,
  ui JSON DEFAULT NULL,
  nid CHAR(36) DEFAULT NULL,
  submit_count INT NOT NULL DEFAULT 0,
  oauth2_login_challenge TEXT DEFAULT NULL,
  session_id VARCHAR(36) DEFAULT NULL,
  identity_id VARCHAR(36) DEFAULT NULL,
  authentication_methods JSON DEFAULT NULL,
  PRIMARY KEY (id),
  KEY selfservice_verification_flows_id_nid_idx (id, nid),
  KEY selfservice_verification_flows_nid_id_idx (nid, id),
  CONSTRAINT selfservice_verification_flows_nid_fk_idx FOREIGN KEY (nid) REFERENCES networks (id) ON UPDATE RESTRICT ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE identity_recovery_tokens (
  id CHAR(36) NOT NULL,
  token VARCHAR(64) DEFAULT NULL,
  used TINYINT(1) NOT NULL DEFAULT 0,
  used_at DATETIME DEFAULT NULL,
  identity_recovery_address_id CHAR(36) DEFAULT NULL,
  selfservice_recovery_flow_id CHAR(36) DEFAULT NULL,
  created_at DATETIME NOT NULL,
  updated_at DATETIME NOT NULL,
  expires_at DATETIME NOT NULL DEFAULT '2000-01-01 00:00:00',
  issued_at DATETIME NOT NULL DEFAULT '2000-01-01 00:00:00',
  nid CHAR(36) DEFAULT NULL,
  identity_id CHAR(36) NOT NULL,
  token_type INT NOT NULL DEFAULT 0,
  PRIMARY KEY (id),
  UNIQUE KEY identity_recovery_addresses_code_uq_idx (token),
  KEY identity_recovery_tokens_id_nid_idx (id, nid),
  KEY identity_recovery_tokens_identity_id_nid_idx (identity_id, nid),
  KEY identity_recovery_tokens_token_nid_used_idx (nid, token, used),
  CONSTRAINT identity_recovery_tokens_token_type_ck CHECK (token_type IN (1, 2)),
  CONSTRAINT identity_recovery_tokens_identity_recovery_address_id_fk FOREIGN KEY (identity_recovery_address_id) REFERENCES identity_recovery_addresses (id) ON DELETE CASCADE,
  CONSTRAINT identity_recovery_tokens_selfservice_recovery_flow_id_fk FOREIGN KEY (selfservice_recovery_flow_id) REFERENCES selfservice_recovery_flows (id) ON DELETE CASCADE,
  CONSTRAINT identity_recovery_tokens_nid_fk_idx FOREIGN KEY (nid) REFERENCES networks (id) ON UPDATE RESTRICT ON DELETE CASCADE,
  CONSTRAINT identity_recovery_tokens_identity_id_fk_idx FOREIGN KEY (identity_id) REFERENCES identities (id) ON UPDATE RESTRICT ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE identity_verification_tokens (
  id CHAR(36) NOT NULL,
  token VARCHAR(64) NOT NULL,
  used TINYINT(1) NOT NULL DEFAULT 0,
  used_at DATETIME DEFAULT NULL,
  expires_at DATETIME NOT NULL,
  issued_at DATETIME NOT NULL,
  identity_verifiable_address_id CHAR(36) NOT NULL,
  selfservice_verification_flow_id CHAR(36) NOT NULL,
  created_at DATETIME NOT NULL,
  updated_at DATETIME NOT NULL,
  nid CHAR(36) DEFAULT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY identity_verification_tokens_token_uq_idx (token),
  KEY identity_verification_tokens_id_nid_idx (id, nid),
  KEY identity_verification_tokens_token_nid_used_flow_id_idx (nid, token, used, selfservice_verification_flow_id),
  CONSTRAINT identity_verification_tokens_verifiable_address_id_fk FOREIGN KEY (identity_verifiable_address_id) REFERENCES identity_verifiable_addresses (id) ON DELETE CASCADE,
  CONSTRAINT identity_verification_tokens_verification_flow_id_fk FOREIGN KEY (selfservice_verification_flow_id) REFERENCES selfservice_verification_flows (id) ON DELETE CASCADE,
  CONSTRAINT identity_verification_tokens_nid_fk_idx FOREIGN KEY (nid) REFERENCES networks (id) ON UPDATE RESTRICT ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE identity_recovery_codes (
  id CHAR(36) NOT NULL,
  code VARCHAR(64) NOT NULL,
  used_at TIMESTAMP NULL DEFAULT NULL,
  identity_recovery_address_id CHAR(36) DEFAULT NULL,
  code_type INT NOT NULL,
  expires_at TIMESTAMP NOT NULL DEFAULT '2000-01-01 00:00:00',
  issued_at TIMESTAMP NOT NULL DEFAULT '2000-01-01 00:00:00',
  selfservice_recovery_flow_id CHAR(36) DEFAULT NULL,
  created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  nid CHAR(36) NOT NULL,
  identity_id CHAR(36) NOT NULL,
  PRIMARY KEY (id),
  KEY identity_recovery_codes_id_nid_idx (id, nid),
  KEY identity_recovery_codes_nid_flow_id_idx (nid, selfservice_recovery_flow_id),
  KEY identity_recovery_codes_identity_id_nid_idx (identity_id, nid),
  CONSTRAINT identity_recovery_codes_identity_recovery_addresses_id_fk FOREIGN KEY (identity_recovery_address_id) REFERENCES identity_recovery_addresses (id) ON DELETE CASCADE,
  CONSTRAINT identity_recovery_codes_selfservice_recovery_flows_id_fk FOREIGN KEY (selfservice_recovery_flow_id) REFERENCES selfservice_recovery_flows (id) ON DELETE CASCADE,
  CONSTRAINT identity_recovery_codes_networks_id_fk FOREIGN KEY (nid) REFERENCES networks (id) ON UPDATE RESTRICT ON DELETE CASCADE,
  CONSTRAINT identity_recovery_codes_identity_id_fk FOREIGN KEY (identity_id) REFERENCES identities (id) ON UPDATE RESTRICT ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE identity_verification_codes (
  id CHAR(36) NOT NULL,
  code_hmac VARCHAR(64) NOT NULL,
  used_at TIMESTAMP NULL DEFAULT NULL,
  identity_verifiable_address_id CHAR(36) DEFAULT NULL,
  expires_at TIMESTAMP NOT NULL DEFAULT '2000-01-01 00:00:00',
  issued_at TIMESTAMP NOT NULL DEFAULT '2000-01-01 00:00:00',
  selfservice_verification_flow_id CHAR(36) NOT NULL,
  created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  nid CHAR(36) NOT NULL,
  PRIMARY KEY (id),
  KEY identity_verification_codes_id_nid_idx (id, nid),
  KEY identity_verification_codes_nid_flow_id_idx (nid, selfservice_verification_flow_id),
  KEY identity_verification_codes_verifiable_address_nid_idx (identity_verifiable_address_id, nid),
  CONSTRAINT identity_verification_codes_identity_verifiable_addresses_id_fk FOREIGN KEY (identity_verifiable_address_id) REFERENCES identity_verifiable_addresses (id) ON DELETE CASCADE,
  CONSTRAINT identity_verification_codes_verification_flows_id_fk FOREIGN KEY (selfservice_verification_flow_id) REFERENCES selfservice_verification_flows (id) ON DELETE CASCADE,
  CONSTRAINT identity_verification_codes_networks_id_fk FOREIGN KEY (nid) REFERENCES networks (id) ON UPDATE RESTRICT ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE identity_login_codes (
  id CHAR(36) NOT NULL,
  code VARCHAR(64) NOT NULL,
  address VARCHAR(255) NOT NULL,
  address_type CHAR(36) NOT NULL,
  used_at TIMESTAMP NULL DEFAULT NULL,
  expires_at TIMESTAMP NOT NULL DEFAULT '2000-01-01 00:00:00',
  issued_at TIMESTAMP NOT NULL DEFAULT '2000-01-01 00:00:00',
  selfservice_login_flow_id CHAR(36) DEFAULT NULL,
  identity_id CHAR(36) NOT NULL,
  created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  nid CHAR(36) NOT NULL,
  PRIMARY KEY (id),
  KEY identity_login_codes_id_nid_idx (id, nid),
  KEY identity_login_codes_nid_flow_id_idx (nid, selfservice_login_flow_id),
  KEY identity_login_codes_identity_id_idx (identity_id),
  CONSTRAINT identity_login_codes_selfservice_login_flows_id_fk FOREIGN KEY (selfservice_login_flow_id) REFERENCES selfservice_login_flows (id) ON DELETE CASCADE,
  CONSTRAINT identity_login_codes_identity_id_fk FOREIGN KEY (identity_id) REFERENCES identities (id) ON UPDATE RESTRICT ON DELETE CASCADE,
  CONSTRAINT identity_login_codes_networks_id_fk FOREIGN KEY (nid) REFERENCES networks (id) ON UPDATE RESTRICT ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE identity_registration_codes (
  id CHAR(36) NOT NULL,
  code VARCHAR(64) NOT NULL,
  address VARCHAR(255) NOT NULL,
  address_type CHAR(36) NOT NULL,
  used_at TIMESTAMP NULL DEFAULT NULL,
  expires_at TIMESTAMP NOT NULL DEFAULT '2000-01-01 00:00:00',
  issued_at TIMESTAMP NOT NULL DEFAULT '2000-01-01 00:00:00',
  selfservice_registration_flow_id CHAR(36) DEFAULT NULL,
  created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  nid CHAR(36) NOT NULL,
  PRIMARY KEY (id),
  KEY identity_registration_codes_id_nid_idx (id, nid),
  KEY identity_registration_codes_nid_flow_id_idx (nid, selfservice_registration_flow_id),
  CONSTRAINT identity_registration_codes_registration_flows_id_fk FOREIGN KEY (selfservice_registration_flow_id) REFERENCES selfservice_registration_flows (id) ON DELETE CASCADE,
  CONSTRAINT identity_registration_codes_networks_id_fk FOREIGN KEY (nid) REFERENCES networks (id) ON UPDATE RESTRICT ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE sessions (
  id CHAR(36) NOT NULL,
  issued_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  expires_at DATETIME NOT NULL,
  authenticated_at DATETIME NOT NULL,
  identity_id CHAR(36) NOT NULL,
  created_at DATETIME NOT NULL,
  updated_at DATETIME NOT NULL,
  token VARCHAR(39) DEFAULT NULL,
  active TINYINT(1) DEFAULT 0,
  nid CHAR(36) DEFAULT NULL,
  logout_token VARCHAR(39) DEFAULT NULL,
  aal VARCHAR(4) NOT NULL DEFAULT 'aal1',
  authentication_methods JSON NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY sessions_token_uq_idx (token),
  UNIQUE KEY sessions_logout_token_uq_idx (logout_token),
  KEY sessions_id_nid_idx (id, nid),
  KEY sessions_token_nid_idx (nid, token),
  KEY sessions_identity_id_nid_sorted_idx (identity_id, nid, authenticated_at),
  CONSTRAINT sessions_identity_id_fk FOREIGN KEY (identity_id) REFERENCES identities (id) ON DELETE CASCADE,
  CONSTRAINT sessions_nid_fk_idx FOREIGN KEY (nid) REFERENCES networks (id) ON UPDATE RESTRICT ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- No unique (nid, session_id, ip_address, user_agent) here: MySQL dropped it, Postgres kept it.
CREATE TABLE session_devices (
  id CHAR(36) NOT NULL,
  ip_address VARCHAR(50) DEFAULT '',
  user_agent VARCHAR(512) DEFAULT '',
  location VARCHAR(512) DEFAULT '',
  session_id CHAR(36) NOT NULL,
  nid CHAR(36) NOT NULL,
  created_at DATETIME NOT NULL,
  updated_at DATETIME NOT NULL,
  PRIMARY KEY (id),
  KEY session_devices_id_nid_idx (id, nid),
  KEY session_devices_session_id_nid_idx (session_id, nid),
  CONSTRAINT session_metadata_sessions_id_fk FOREIGN KEY (session_id) REFERENCES sessions (id) ON DELETE CASCADE,
  CONSTRAINT session_metadata_nid_fk FOREIGN KEY (nid) REFERENCES networks (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE session_token_exchanges (
  id CHAR(36) NOT NULL,
  nid CHAR(36) NOT NULL,
  flow_id CHAR(36) NOT NULL,
  session_id CHAR(36) DEFAULT NULL,
  init_code VARCHAR(64) NOT NULL,
  return_to_code VARCHAR(64) NOT NULL,
  created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY (id),
  KEY session_token_exchanges_nid_code_idx (init_code, nid),
  KEY session_token_exchanges_nid_flow_id_idx (flow_id, nid),
  CONSTRAINT session_token_exchanges_nid_fk FOREIGN KEY (nid) REFERENCES networks (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE selfservice_errors (
  id CHAR(36) NOT NULL,
  errors JSON NOT NULL,
  seen_at DATETIME DEFAULT NULL,
  was_seen TINYINT(1) NOT NULL,
  created_at DATETIME NOT NULL,
  updated_at DATETIME NOT NULL,
  csrf_token VARCHAR(255) NOT NULL DEFAULT '',
  nid CHAR(36) DEFAULT NULL,
  PRIMARY KEY (id),
  KEY selfservice_errors_errors_nid_id_idx (nid, id),
  CONSTRAINT selfservice_errors_nid_fk_idx FOREIGN KEY (nid) REFERENCES networks (id) ON UPDATE RESTRICT ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE continuity_containers (
  id CHAR(36) NOT NULL,
  identity_id CHAR(36) DEFAULT NULL,
  name VARCHAR(255) NOT NULL,
  payload JSON DEFAULT NULL,
  expires_at DATETIME NOT NULL,
  created_at DATETIME NOT NULL,
  updated_at DATETIME NOT NULL,
  nid CHAR(36) DEFAULT NULL,
  PRIMARY KEY (id),
  KEY continuity_containers_id_nid_idx (id, nid),
  KEY continuity_containers_identity_id_nid_idx (identity_id, nid),
  CONSTRAINT continuity_containers_identity_id_fk FOREIGN KEY (identity_id) REFERENCES identities (id) ON DELETE CASCADE,
  CONSTRAINT continuity_containers_nid_fk_idx FOREIGN KEY (nid) REFERENCES networks (id) ON UPDATE RESTRICT ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE courier_messages (
  id CHAR(36) NOT NULL,
  type INT NOT NULL,
  status INT NOT NULL,
  body TEXT NOT NULL,
  subject VARCHAR(255) NOT NULL,
  recipient VARCHAR(255) NOT NULL,
  created_at DATETIME NOT NULL,
  updated_at DATETIME NOT NULL,
  template_type VARCHAR(255) NOT NULL DEFAULT '',
  template_data BLOB DEFAULT NULL,
  nid CHAR(36) DEFAULT NULL,
  send_count INT NOT NULL DEFAULT 0,
  channel VARCHAR(32) DEFAULT NULL,
  PRIMARY KEY (id),
  KEY courier_messages_status_idx (status),
  KEY courier_messages_id_nid_idx (id, nid),
  KEY courier_messages_nid_created_at_id_idx (nid, created_at),
  KEY courier_messages_nid_recipient_created_at_id_idx (nid, recipient, created_at),
  CONSTRAINT courier_messages_nid_fk_idx FOREIGN KEY (nid) REFERENCES networks (id) ON UPDATE RESTRICT ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE courier_message_dispatches (
  id CHAR(36) NOT NULL,
  message_id CHAR(36) NOT NULL,
  status VARCHAR(7) NOT NULL,
  error JSON DEFAULT NULL,
  nid CHAR(36) NOT NULL,
  created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY (id),
  KEY courier_message_dispatches_message_id_idx (message_id, created_at),
  KEY courier_message_dispatches_nid_idx (nid),
  CONSTRAINT courier_message_dispatches_message_id_fk FOREIGN KEY (message_id) REFERENCES courier_messages (id) ON DELETE CASCADE,
  CONSTRAINT courier_message_dispatches_nid_fk FOREIGN KEY (nid) REFERENCES networks (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

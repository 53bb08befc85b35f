-- Ory Kratos v1.3.1 identity schema as Postgres holds it after `kratos migrate sql`:
-- 25 tables, 48 foreign keys, written from the facts gathered on a real install.
-- The version table (schema_migration) is created by the migration runner, not here.
--
-- Differences from the MySQL side that a copy must respect:
--   * uuid instead of CHAR(36)/VARCHAR(36), boolean instead of TINYINT(1), bytea, jsonb
--     (json for courier_message_dispatches.error and verification authentication_methods);
--   * NOT NULL where MySQL allows NULL: identity_credential_identifiers.identifier, request_url
--     on the five flow tables, identity_recovery_tokens.token, the code tables' flow ids;
--   * session_devices keeps the unique (nid, session_id, ip_address, user_agent) and lists
--     nid before session_id.

CREATE TABLE networks (
  id uuid NOT NULL,
  created_at timestamp without time zone NOT NULL,
  updated_at timestamp without time zone NOT NULL,
  CONSTRAINT networks_pkey PRIMARY KEY (id)
);

CREATE TABLE identities (
  id uuid NOT NULL,
  schema_id varchar(2048) NOT NULL,
  traits jsonb NOT NULL,
  created_at timestamp without time zone NOT NULL,
  updated_at timestamp without time zone NOT NULL,
  nid uuid,
  state varchar(255) NOT NULL DEFAULT 'active',
  state_changed_at timestamp without time zone,
  metadata_public jsonb,
  metadata_admin jsonb,
  available_aal varchar(4),
  organization_id uuid,
  CONSTRAINT identities_pkey PRIMARY KEY (id),
  CONSTRAINT identities_nid_fk_idx FOREIGN KEY (nid) REFERENCES networks (id) ON UPDATE RESTRICT ON DELETE CASCADE
);
CREATE INDEX identities_id_nid_idx ON identities (id, nid);
CREATE INDEX identities_nid_id_idx ON identities (nid, id);

CREATE TABLE identity_credential_types (
  id uuid NOT NULL,
  name varchar(32) NOT NULL,
  CONSTRAINT identity_credential_types_pkey PRIMARY KEY (id)
);
CREATE UNIQUE INDEX identity_credential_types_name_idx ON identity_credential_types (name);

CREATE TABLE identity_credentials (
  id uuid NOT NULL,
  config jsonb NOT NULL,
  identity_credential_type_id uuid NOT NULL,
  identity_id uuid NOT NULL,
  created_at timestamp without time zone NOT NULL,
  updated_at timestamp without time zone NOT NULL,
  nid uuid,
  version integer NOT NULL DEFAULT 0,
  CONSTRAINT identity_credentials_pkey PRIMARY KEY (id),
  CONSTRAINT identity_credentials_identity_credential_type_id_fkey FOREIGN KEY (identity_credential_type_id) REFERENCES identity_credential_types (id) ON DELETE CASCADE,
  CONSTRAINT identity_credentials_identity_id_fkey FOREIGN KEY (identity_id) REFERENCES identities (id) ON DELETE CASCADE,
  CONSTRAINT identity_credentials_nid_fk_idx FOREIGN KEY (nid) REFERENCES networks (id) ON UPDATE RESTRICT ON DELETE CASCADE
);
CREATE INDEX identity_credentials_id_nid_idx ON identity_credentials (id, nid);
CREATE INDEX identity_credentials_nid_identity_id_idx ON identity_credentials (identity_id, nid);

CREATE TABLE identity_credential_identifiers (
  id uuid NOT NULL,
  identifier varchar(255) NOT NULL,
  identity_credential_id uuid NOT NULL,
  created_at timestamp without time zone NOT NULL,
  updated_at timestamp without time zone NOT NULL,
  nid uuid,
  identity_credential_type_id uuid NOT NULL,
  CONSTRAINT identity_credential_identifiers_pkey PRIMARY KEY (id),
  CONSTRAINT identity_credential_identifiers_identity_credential_id_fkey FOREIGN KEY (identity_credential_id) REFERENCES identity_credentials (id) ON DELETE CASCADE,
  CONSTRAINT identity_credential_identifiers_nid_fk_idx FOREIGN KEY (nid) REFERENCES networks (id) ON UPDATE RESTRICT ON DELETE CASCADE,
  CONSTRAINT identity_credential_identifiers_type_id_fk_idx FOREIGN KEY (identity_credential_type_id) REFERENCES identity_credential_types (id) ON UPDATE RESTRICT ON DELETE CASCADE
);
CREATE UNIQUE INDEX identity_credential_identifiers_identifier_nid_type_uq_idx ON identity_credential_identifiers (nid, identity_credential_type_id, identifier);
CREATE INDEX identity_credential_identifiers_id_nid_idx ON identity_credential_identifiers (id, nid);
CREATE INDEX identity_credential_identifiers_nid_identity_credential_id_idx ON identity_credential_identifiers (identity_credential_id, nid);

CREATE TABLE identity_verifiable_addresses (
  id uuid NOT NULL,
  status varchar(16) NOT NULL,
  via varchar(16) NOT NULL,
  verified boolean NOT NULL,
  value varchar(400) NOT NULL,
  verified_at timestamp without time zone,
  identity_id uuid NOT NULL,
  created_at timestamp without time zone NOT NULL,
  updated_at timestamp without time zone NOT NULL,
  nid uuid,
  CONSTRAINT identity_verifiable_addresses_pkey PRIMARY KEY (id),
  CONSTRAINT identity_verifiable_addresses_identity_id_fkey FOREIGN KEY (identity_id) REFERENCES identities (id) ON DELETE CASCADE,
  CONSTRAINT identity_verifiable_addresses_nid_fk_idx FOREIGN KEY (nid) REFERENCES networks (id) ON UPDATE RESTRICT ON DELETE CASCADE
);
CREATE UNIQUE INDEX identity_verifiable_addresses_status_via_uq_idx ON identity_verifiable_addresses (nid, via, value);
CREATE INDEX identity_verifiable_addresses_id_nid_idx ON identity_verifiable_addresses (id, nid);
CREATE INDEX identity_verifiable_addresses_nid_identity_id_idx ON identity_verifiable_addresses (identity_id, nid);

CREATE TABLE identity_recovery_addresses (
  id uuid NOT NULL,
  via varchar(16) NOT NULL,
  value varchar(400) NOT NULL,
  identity_id uuid NOT NULL,
  created_at timestamp without time zone NOT NULL,
  updated_at timestamp without time zone NOT NULL,
  nid uuid,
  CONSTRAINT identity_recovery_addresses_pkey PRIMARY KEY (id),
  CONSTRAINT identity_recovery_addresses_identity_id_fkey FOREIGN KEY (identity_id) REFERENCES identities (id) ON DELETE CASCADE,
  CONSTRAINT identity_recovery_addresses_nid_fk_idx FOREIGN KEY (nid) REFERENCES networks (id) ON UPDATE RESTRICT ON DELETE CASCADE
);
CREATE UNIQUE INDEX identity_recovery_addresses_status_via_uq_idx ON identity_recovery_addresses (nid, via, value);
CREATE INDEX identity_recovery_addresses_id_nid_idx ON identity_recovery_addresses (id, nid);
CREATE INDEX identity_recovery_addresses_nid_identity_id_idx ON identity_recovery_addresses (identity_id, nid);

CREATE TABLE selfservice_login_flows (
  id uuid NOT NULL,
  request_url text NOT NULL,
  issued_at timestamp without time zone NOT NULL DEFAULT CURRENT_TIMESTAMP,
  expires_at timestamp without time zone NOT NULL,
  active_method varchar(32) NOT NULL,
  csrf_token varchar(255) NOT NULL,
  created_at timestamp without time zone NOT NULL,
  updated_at timestamp without time zone NOT NULL,
  forced boolean NOT NULL DEFAULT false,
  type varchar(16) NOT NULL DEFAULT 'browser',
  ui jsonb,
  nid uuid,
  requested_aal varchar(4) NOT NULL DEFAULT 'aal1',
  internal_context jsonb NOT NULL,
  oauth2_login_challenge uuid,
  oauth2_login_challenge_data text,
  state varchar(255),
  submit_count integer NOT NULL DEFAULT 0,
  organization_id uuid,
  CONSTRAINT selfservice_login_requests_pkey PRIMARY KEY (id),
  CONSTRAINT selfservice_login_flows_nid_fk_idx FOREIGN KEY (nid) REFERENCES networks (id) ON UPDATE RESTRICT ON DELETE CASCADE
);
CREATE INDEX selfservice_login_flows_id_nid_idx ON selfservice_login_flows (id, nid);
CREATE INDEX selfservice_login_flows_nid_id_idx ON selfservice_login_flows (nid, id);

CREATE TABLE selfservice_registration_flows (
  id uuid NOT NULL,
  request_url text NOT NULL,
  issued_at timestamp without time zone NOT NULL DEFAULT CURRENT_TIMESTAMP,
  expires_at timestamp without time zone NOT NULL,
  active_method varchar(32) NOT NULL,
  csrf_token varchar(255) NOT NULL,
  created_at timestamp without time zone NOT NULL,
  updated_at timestamp without time zone NOT NULL,
  type varchar(16) NOT NULL DEFAULT 'browser',
  ui jsonb,
  nid uuid,
  internal_context jsonb NOT NULL,
  oauth2_login_challenge uuid,
  oauth2_login_challenge_data text,
  state varchar(255),
  submit_count integer NOT NULL DEFAULT 0,
  organization_id uuid,
  CONSTRAINT selfservice_registration_requests_pkey PRIMARY KEY (id),
  CONSTRAINT selfservice_registration_flows_nid_fk_idx FOREIGN KEY (nid) REFERENCES networks (id) ON UPDATE RESTRICT ON DELETE CASCADE
);
CREATE INDEX selfservice_registration_flows_id_nid_idx ON selfservice_registration_flows (id, nid);
CREATE INDEX selfservice_registration_flows_nid_id_idx ON selfservice_registration_flows (nid, id);

CREATE TABLE selfservice_settings_flows (
  id uuid NOT NULL,
  request_url text NOT NULL,
  issued_at timestamp without time zone NOT NULL DEFAULT CURRENT_TIMESTAMP,
  expires_at timestamp without time zone NOT NULL,
  identity_id uuid NOT NULL,
  created_at timestamp without time zone NOT NULL,
  updated_at timestamp without time zone NOT NULL,
  active_method varchar(32),
  state varchar(255) NOT NULL DEFAULT 'show_form',
  type varchar(16) NOT NULL DEFAULT 'browser',
  ui jsonb,
  nid uuid,
  internal_context jsonb NOT NULL,
  CONSTRAINT selfservice_profile_management_requests_pkey PRIMARY KEY (id),
  CONSTRAINT selfservice_profile_management_requests_identity_id_fkey FOREIGN KEY (identity_id) REFERENCES identities (id) ON DELETE CASCADE,
  CONSTRAINT selfservice_settings_flows_nid_fk_idx FOREIGN KEY (nid) REFERENCES networks (id) ON UPDATE RESTRICT ON DELETE CASCADE
);
CREATE INDEX selfservice_settings_flows_id_nid_idx ON selfservice_settings_flows (id, nid);
CREATE INDEX selfservice_settings_flows_identity_id_nid_idx ON selfservice_settings_flows (identity_id, nid);

CREATE TABLE selfservice_recovery_flows (
  id uuid NOT NULL,
  request_url text NOT NULL,
  issued_at timestamp without time zone NOT NULL DEFAULT CURRENT_TIMESTAMP,
  expires_at timestamp without time zone NOT NULL,
  active_method varchar(32),
  csrf_token varchar(255) NOT NULL,
  state varchar(32) NOT NULL,
  recovered_identity_id uuid,
  created_at timestamp without time zone NOT NULL,
  updated_at timestamp without time zone NOT NULL,
  type varchar(16) NOT NULL DEFAULT 'browser',
  ui jsonb,
  nid uuid,
  submit_count integer NOT NULL DEFAULT 0,
  skip_csrf_check boolean NOT NULL DEFAULT false,
  CONSTRAINT selfservice_recovery_requests_pkey PRIMARY KEY (id),
  CONSTRAINT selfservice_recovery_requests_recovered_identity_id_fkey FOREIGN KEY (recovered_identity_id) REFERENCES identities (id) ON DELETE CASCADE,
  CONSTRAINT selfservice_recovery_flows_nid_fk_idx FOREIGN KEY (nid) REFERENCES networks (id) ON UPDATE RESTRICT ON DELETE CASCADE
);
CREATE INDEX selfservice_recovery_flows_id_nid_idx ON selfservice_recovery_flows (id, nid);
CREATE INDEX selfservice_recovery_flows_recovered_identity_id_nid_idx ON selfservice_recovery_flows (recovered_identity_id, nid);

CREATE TABLE selfservice_verification_flows (
  id uuid NOT NULL,
  request_url text NOT NULL,
  issued_at timestamp without time zone NOT NULL DEFAULT CURRENT_TIMESTAMP,
  expires_at timestamp without time zone NOT NULL,
  csrf_token varchar(255) NOT NULL,
  created_at timestamp without time zone NOT NULL,
  updated_at timestamp without time zone NOT NULL,
  type varchar(16) NOT NULL DEFAULT 'browser',
  state varchar(255) NOT NULL DEFAULT 'show_form',
  active_method varchar(32),
  ui jsonb,
  nid uuid,
  submit_count integer NOT NULL DEFAULT 0,
  oauth2_login_challenge text,
  session_id uuid,
  identity_id uuid,
  authentication_methods json,
  CONSTRAINT selfservice_verification_requests_pkey PRIMARY KEY (id),
  CONSTRAINT selfservice_verification_flows_nid_fk_idx FOREIGN KEY (nid) REFERENCES networks (id) ON UPDATE RESTRICT ON DELETE CASCADE
);
CREATE INDEX selfservice_verification_flows_id_nid_idx ON selfservice_verification_flows (id, nid);
CREATE INDEX selfservice_verification_flows_nid_id_idx ON selfservice_verification_flows (nid, id);

CREATE TABLE identity_recovery_tokens (
  id uuid NOT NULL,
  token varchar(64) NOT NULL,
  used boolean NOT NULL DEFAULT false,
  used_at timestamp without time zone,
  identity_recovery_address_id uuid,
  selfservice_recovery_flow_id uuid,
  created_at timestamp without time zone NOT NULL,
  updated_at timestamp without time zone NOT NULL,
  expires_at timestamp without time zone NOT NULL DEFAULT '2000-01-01 00:00:00'::timestamp without time zone,
  issued_at timestamp without time zone NOT NULL DEFAULT '2000-01-01 00:00:00'::timestamp without time zone,
  nid uuid,
  identity_id uuid NOT NULL,
  token_type integer NOT NULL DEFAULT 0,
  CONSTRAINT identity_recovery_tokens_pkey PRIMARY KEY (id),
  CONSTRAINT identity_recovery_tokens_token_type_ck CHECK (token_type IN (1, 2)),
  CONSTRAINT identity_recovery_tokens_identity_recovery_address_id_fkey FOREIGN KEY (identity_recovery_address_id) REFERENCES identity_recovery_addresses (id) ON DELETE CASCADE,
  CONSTRAINT identity_recovery_tokens_selfservice_recovery_request_id_fkey FOREIGN KEY (selfservice_recovery_flow_id) REFERENCES selfservice_recovery_flows (id) ON DELETE CASCADE,
  CONSTRAINT identity_recovery_tokens_nid_fk_idx FOREIGN KEY (nid) REFERENCES networks (id) ON UPDATE RESTRICT ON DELETE CASCADE,
  CONSTRAINT identity_recovery_tokens_identity_id_fk_idx FOREIGN KEY (identity_id) REFERENCES identities (id) ON UPDATE RESTRICT ON DELETE CASCADE
);
CREATE UNIQUE INDEX identity_recovery_addresses_code_uq_idx ON identity_recovery_tokens (token);
CREATE INDEX identity_recovery_tokens_id_nid_idx ON identity_recovery_tokens (id, nid);
CREATE INDEX identity_recovery_tokens_identity_id_nid_idx ON identity_recovery_tokens (identity_id, nid);
CREATE INDEX identity_recovery_tokens_token_nid_used_idx ON identity_recovery_tokens (nid, token, used);

CREATE TABLE identity_verification_tokens (
  id uuid NOT NULL,
  token varchar(64) NOT NULL,
  used boolean NOT NULL DEFAULT false,
  used_at timestamp without time zone,
  expires_at timestamp without time zone NOT NULL,
  issued_at timestamp without time zone NOT NULL,
  identity_verifiable_address_id uuid NOT NULL,
  selfservice_verification_flow_id uuid NOT NULL,
  created_at timestamp without time zone NOT NULL,
  updated_at timestamp without time zone NOT NULL,
  nid uuid,
  CONSTRAINT identity_verification_tokens_pkey PRIMARY KEY (id),
  CONSTRAINT identity_verification_tokens_verifiable_address_id_fkey FOREIGN KEY (identity_verifiable_address_id) REFERENCES identity_verifiable_addresses (id) ON DELETE CASCADE,
  CONSTRAINT identity_verification_tokens_verification_flow_id_fkey FOREIGN KEY (selfservice_verification_flow_id) REFERENCES selfservice_verification_flows (id) ON DELETE CASCADE,
  CONSTRAINT identity_verification_tokens_nid_fk_idx FOREIGN KEY (nid) REFERENCES networks (id) ON UPDATE RESTRICT ON DELETE CASCADE
);
CREATE UNIQUE INDEX identity_verification_tokens_token_uq_idx ON identity_verification_tokens (token);
CREATE INDEX identity_verification_tokens_id_nid_idx ON identity_verification_tokens (id, nid);
CREATE INDEX identity_verification_tokens_token_nid_used_flow_id_idx ON identity_verification_tokens (nid, token, used, selfservice_verification_flow_id);

CREATE TABLE identity_recovery_codes (
  id uuid NOT NULL,
  code varchar(64) NOT NULL,
  used_at timestamp without time zone,
  identity_recovery_address_id uuid,
  code_type integer NOT NULL,
  expires_at timestamp without time zone NOT NULL DEFAULT '2000-01-01 00:00:00'::timestamp without time zone,
  issued_at timestamp without time zone NOT NULL DEFAULT '2000-01-01 00:00:00'::timestamp without time zone,
  selfservice_recovery_flow_id uuid NOT NULL,
  created_at timestamp without time zone NOT NULL,
  updated_at timestamp without time zone NOT NULL,
  nid uuid NOT NULL,
  identity_id uuid NOT NULL,
  CONSTRAINT identity_recovery_codes_pkey PRIMARY KEY (id),
  CONSTRAINT identity_recovery_codes_identity_recovery_addresses_id_fk FOREIGN KEY (identity_recovery_address_id) REFERENCES identity_recovery_addresses (id) ON DELETE CASCADE,
  CONSTRAINT identity_recovery_codes_selfservice_recovery_flows_id_fk FOREIGN KEY (selfservice_recovery_flow_id) REFERENCES selfservice_recovery_flows (id) ON DELETE CASCADE,
  CONSTRAINT identity_recovery_codes_networks_id_fk FOREIGN KEY (nid) REFERENCES networks (id) ON UPDATE RESTRICT ON DELETE CASCADE,
  CONSTRAINT identity_recovery_codes_identity_id_fk FOREIGN KEY (identity_id) REFERENCES identities (id) ON UPDATE RESTRICT ON DELETE CASCADE
);
CREATE INDEX identity_recovery_codes_id_nid_idx ON identity_recovery_codes (id, nid);
CREATE INDEX identity_recovery_codes_nid_flow_id_idx ON identity_recovery_codes (nid, selfservice_recovery_flow_id);
CREATE INDEX identity_recovery_codes_identity_id_nid_idx ON identity_recovery_codes (identity_id, nid);

CREATE TABLE identity_verification_codes (
  id uuid NOT NULL,
  code_hmac varchar(64) NOT NULL,
  used_at timestamp without time zone,
  identity_verifiable_address_id uuid,
  expires_at timestamp without time zone NOT NULL DEFAULT '2000-01-01 00:00:00'::timestamp without time zone,
  issued_at timestamp without time zone NOT NULL DEFAULT '2000-01-01 00:00:00'::timestamp without time zone,
  selfservice_verification_flow_id uuid NOT NULL,
  created_at timestamp without time zone NOT NULL,
  updated_at timestamp without time zone NOT NULL,
  nid uuid NOT NULL,
  CONSTRAINT identity_verification_codes_pkey PRIMARY KEY (id),
  CONSTRAINT identity_verification_codes_identity_verifiable_addresses_id_fk FOREIGN KEY (identity_verifiable_address_id) REFERENCES identity_verifiable_addresses (id) ON DELETE CASCADE,
  CONSTRAINT identity_verification_codes_verification_flows_id_fk FOREIGN KEY (selfservice_verification_flow_id) REFERENCES selfservice_verification_flows (id) ON DELETE CASCADE,
  CONSTRAINT identity_verification_codes_networks_id_fk FOREIGN KEY (nid) REFERENCES networks (id) ON UPDATE RESTRICT ON DELETE CASCADE
);
CREATE INDEX identity_verification_codes_id_nid_idx ON identity_verification_codes (id, nid);
CREATE INDEX identity_verification_codes_nid_flow_id_idx ON identity_verification_codes (nid, selfservice_verification_flow_id);
CREATE INDEX identity_verification_codes_verifiable_address_nid_idx ON identity_verification_codes (identity_verifiable_address_id, nid);

CREATE TABLE identity_login_codes (
  id uuid NOT NULL,
  code varchar(64) NOT NULL,
  address varchar(255) NOT NULL,
  address_type char(36) NOT NULL,
  used_at timestamp without time zone,
  expires_at timestamp without time zone NOT NULL DEFAULT '2000-01-01 00:00:00'::timestamp without time zone,
  issued_at timestamp without time zone NOT NULL DEFAULT '2000-01-01 00:00:00'::timestamp without time zone,
  selfservice_login_flow_id uuid NOT NULL,
  identity_id uuid NOT NULL,
  created_at timestamp without time zone NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at timestamp without time zone NOT NULL DEFAULT CURRENT_TIMESTAMP,
  nid uuid NOT NULL,
  CONSTRAINT identity_login_codes_pkey PRIMARY KEY (id),
  CONSTRAINT identity_login_codes_selfservice_login_flows_id_fk FOREIGN KEY (selfservice_login_flow_id) REFERENCES selfservice_login_flows (id) ON DELETE CASCADE,
  CONSTRAINT identity_login_codes_identity_id_fk FOREIGN KEY (identity_id) REFERENCES identities (id) ON UPDATE RESTRICT ON DELETE CASCADE,
  CONSTRAINT identity_login_codes_networks_id_fk FOREIGN KEY (nid) REFERENCES networks (id) ON UPDATE RESTRICT ON DELETE CASCADE
);
CREATE INDEX identity_login_codes_id_nid_idx ON identity_login_codes (id, nid);
CREATE INDEX identity_login_codes_nid_flow_id_idx ON identity_login_codes (nid, selfservice_login_flow_id);
CREATE INDEX identity_login_codes_identity_id_idx ON identity_login_codes (identity_id);

CREATE TABLE identity_registration_codes (
  id uuid NOT NULL,
  code varchar(64) NOT NULL,
  address varchar(255) NOT NULL,
  address_type char(36) NOT NULL,
  used_at timestamp without time zone,
  expires_at timestamp without time zone NOT NULL DEFAULT '2000-01-01 00:00:00'::timestamp without time zone,
  issued_at timestamp without time zone NOT NULL DEFAULT '2000-01-01 00:00:00'::timestamp without time zone,
  selfservice_registration_flow_id uuid NOT NULL,
  created_at timestamp without time zone NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at timestamp without time zone NOT NULL DEFAULT CURRENT_TIMESTAMP,
  nid uuid NOT NULL,
  CONSTRAINT identity_registration_codes_pkey PRIMARY KEY (id),
  CONSTRAINT identity_registration_codes_registration_flows_id_fk FOREIGN KEY (selfservice_registration_flow_id) REFERENCES selfservice_registration_flows (id) ON DELETE CASCADE,
  CONSTRAINT identity_registration_codes_networks_id_fk FOREIGN KEY (nid) REFERENCES networks (id) ON UPDATE RESTRICT ON DELETE CASCADE
);
CREATE INDEX identity_registration_codes_id_nid_idx ON identity_registration_codes (id, nid);
CREATE INDEX identity_registration_codes_nid_flow_id_idx ON identity_registration_codes (nid, selfservice_registration_flow_id);

CREATE TABLE sessions (
  id uuid NOT NULL,
  issued_at timestamp without time zone NOT NULL DEFAULT CURRENT_TIMESTAMP,
  expires_at timestamp without time zone NOT NULL,
  authenticated_at timestamp without time zone NOT NULL,
  identity_id uuid NOT NULL,
  created_at timestamp without time zone NOT NULL,
  updated_at timestamp without time zone NOT NULL,
  token varchar(39),
  active boolean DEFAULT false,
  nid uuid,
  logout_token varchar(39),
  aal varchar(4) NOT NULL DEFAULT 'aal1',
  authentication_methods jsonb NOT NULL,
  CONSTRAINT sessions_pkey PRIMARY KEY (id),
  CONSTRAINT sessions_identity_id_fkey FOREIGN KEY (identity_id) REFERENCES identities (id) ON DELETE CASCADE,
  CONSTRAINT sessions_nid_fk_idx FOREIGN KEY (nid) REFERENCES networks (id) ON UPDATE RESTRICT ON DELETE CASCADE
);
CREATE UNIQUE INDEX sessions_token_uq_idx ON sessions (token);
CREATE UNIQUE INDEX sessions_logout_token_uq_idx ON sessions (logout_token);
CREATE INDEX sessions_id_nid_idx ON sessions (id, nid);
CREATE INDEX sessions_token_nid_idx ON sessions (nid, token);
CREATE INDEX sessions_identity_id_nid_sorted_idx ON sessions (identity_id, nid, authenticated_at DESC);

-- The unique device key exists only here; MySQL sources may hold duplicates of it.
CREATE TABLE session_devices (
  id uuid NOT NULL,
  ip_address varchar(50) DEFAULT '',
  user_agent varchar(512) DEFAULT '',
  location varchar(512) DEFAULT '',
  nid uuid NOT NULL,
  session_id uuid NOT NULL,
  created_at timestamp without time zone NOT NULL,
  updated_at timestamp without time zone NOT NULL,
  CONSTRAINT session_devices_pkey PRIMARY KEY (id),
  CONSTRAINT session_metadata_sessions_id_fk FOREIGN KEY (session_id) REFERENCES sessions (id) ON DELETE CASCADE,
  CONSTRAINT session_metadata_nid_fk FOREIGN KEY (nid) REFERENCES networks (id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX unique_session_device ON session_devices (nid, session_id, ip_address, user_agent);
CREATE INDEX session_devices_id_nid_idx ON session_devices (id, nid);
CREATE INDEX session_devices_session_id_nid_idx ON session_devices (session_id, nid);

CREATE TABLE session_token_exchanges (
  id uuid NOT NULL,
  nid uuid NOT NULL,
  flow_id uuid NOT NULL,
  session_id uuid,
  init_code varchar(64) NOT NULL,
  return_to_code varchar(64) NOT NULL,
  created_at timestamp without time zone NOT NULL,
  updated_at timestamp without time zone NOT NULL,
  CONSTRAINT session_token_exchanges_pkey PRIMARY KEY (id),
  CONSTRAINT session_token_exchanges_nid_fk FOREIGN KEY (nid) REFERENCES networks (id) ON DELETE CASCADE
);
CREATE INDEX session_token_exchanges_nid_code_idx ON session_token_exchanges (init_code, nid);
CREATE INDEX session_token_exchanges_nid_flow_id_idx ON session_token_exchanges (flow_id, nid);

CREATE TABLE selfservice_errors (
  id uuid NOT NULL,
  errors jsonb NOT NULL,
  seen_at timestamp without time zone,
  was_seen boolean NOT NULL,
  created_at timestamp without time zone NOT NULL,
  updated_at timestamp without time zone NOT NULL,
  csrf_token varchar(255) NOT NULL DEFAULT '',
  nid uuid,
  CONSTRAINT selfservice_errors_pkey PRIMARY KEY (id),
  CONSTRAINT selfservice_errors_nid_fk_idx FOREIGN KEY (nid) REFERENCES networks (id) ON UPDATE RESTRICT ON DELETE CASCADE
);
CREATE INDEX selfservice_errors_errors_nid_id_idx ON selfservice_errors (nid, id);

CREATE TABLE continuity_containers (
  id uuid NOT NULL,
  identity_id uuid,
  name varchar(255) NOT NULL,
  payload jsonb,
  expires_at timestamp without time zone NOT NULL,
  created_at timestamp without time zone NOT NULL,
  updated_at timestamp without time zone NOT NULL,
  nid uuid,
  CONSTRAINT continuity_containers_pkey PRIMARY KEY (id),
  CONSTRAINT continuity_containers_identity_id_fkey FOREIGN KEY (identity_id) REFERENCES identities (id) ON DELETE CASCADE,
  CONSTRAINT continuity_containers_nid_fk_idx FOREIGN KEY (nid) REFERENCES networks (id) ON UPDATE RESTRICT ON DELETE CASCADE
);
CREATE INDEX continuity_containers_id_nid_idx ON continuity_containers (id, nid);
CREATE INDEX continuity_containers_identity_id_nid_idx ON continuity_containers (identity_id, nid);

CREATE TABLE courier_messages (
  id uuid NOT NULL,
  type integer NOT NULL,
  status integer NOT NULL,
  body text NOT NULL,
  subject varchar(255) NOT NULL,
  recipient varchar(255) NOT NULL,
  created_at timestamp without time zone NOT NULL,
  updated_at timestamp without time zone NOT NULL,
  template_type varchar(255) NOT NULL DEFAULT '',
  template_data bytea,
  nid uuid,
  send_count integer NOT NULL DEFAULT 0,
  channel varchar(32),
  CONSTRAINT courier_messages_pkey PRIMARY KEY (id),
  CONSTRAINT courier_messages_nid_fk_idx FOREIGN KEY (nid) REFERENCES networks (id) ON UPDATE RESTRICT ON DELETE CASCADE
);
CREATE INDEX courier_messages_status_idx ON courier_messages (status);
CREATE INDEX courier_messages_id_nid_idx ON courier_messages (id, nid);
CREATE INDEX courier_messages_nid_created_at_id_idx ON courier_messages (nid, created_at DESC);
CREATE INDEX courier_messages_nid_recipient_created_at_id_idx ON courier_messages (nid, recipient, created_at DESC);

CREATE TABLE courier_message_dispatches (
  id uuid NOT NULL,
  message_id uuid NOT NULL,
  status varchar(7) NOT NULL,
  error json,
  nid uuid NOT NULL,
  created_at timestamp without time zone NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at timestamp without time zone NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT courier_message_dispatches_pkey PRIMARY KEY (id),
  CONSTRAINT courier_message_dispatches_message_id_fk FOREIGN KEY (message_id) REFERENCES courier_messages (id) ON DELETE CASCADE,
  CONSTRAINT courier_message_dispatches_nid_fk FOREIGN KEY (nid) REFERENCES networks (id) ON DELETE CASCADE
);
CREATE INDEX courier_message_dispatches_message_id_idx ON courier_message_dispatches (message_id, created_at DESC);
CREATE INDEX courier_message_dispatches_nid_idx ON courier_message_dispatches (nid);

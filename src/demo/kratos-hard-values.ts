import { DUPLICATE_DEVICE_SPACE, KratosSeedContext, MIN_ROWS } from './kratos-seed-context';
import {
  BLOB_SPECIAL,
  DISPATCH_ERROR_SPECIAL,
  IDENTIFIER_SPECIAL,
  KRATOS_SOURCE_CREDENTIAL_TYPE_IDS,
  RECOVERY_VALUE_MAX,
  STATE_MAX,
  SUBJECT_MAX,
  TEXT_BACKSLASH_N,
  TEXT_EMPTY,
  TEXT_LITERAL_NULL,
  TEXT_SPECIAL,
  TRAITS_SPECIAL,
  USER_AGENT_SPECIAL,
} from './kratos-hard-strings';

/** Default seed of seedKratos; KRATOS_HARD_VALUES is computed for it. */
export const DEFAULT_KRATOS_SEED = 20240601;

/**
 * One value the seeder guarantees, and where: `id` is the row's id exactly as stored in MySQL.
 * `value` is what MySQL holds (JSON columns: the parsed value, compare by value, not text).
 * Rows 0..7 of each table do not depend on the scale, so this list holds for any scale.
 */
export interface KratosHardValue {
  key: string;
  table: string;
  column: string;
  id: string;
  value: string | number | null | Buffer | object;
  json?: boolean;
  /** For duplicate device rows: the id of the row it duplicates. */
  duplicateOf?: string;
  note: string;
}

/** Where each hard value sits for a given seed. */
export function kratosHardValues(seed: number = DEFAULT_KRATOS_SEED): KratosHardValue[] {
  const c = new KratosSeedContext(seed, MIN_ROWS, { ...KRATOS_SOURCE_CREDENTIAL_TYPE_IDS });
  const out: KratosHardValue[] = [];
  const add = (v: KratosHardValue): void => void out.push(v);
  const login = (k: number): string => c.storedId('selfservice_login_flows', k);
  const msg = (k: number): string => c.storedId('courier_messages', k);

  const quartet: Array<[string, string | null]> = [
    ['text-special', TEXT_SPECIAL],
    ['text-null', null],
    ['text-empty', TEXT_EMPTY],
    ['text-literal-null', TEXT_LITERAL_NULL],
    ['text-backslash-n', TEXT_BACKSLASH_N],
  ];
  quartet.forEach(([key, value], k) =>
    add({
      key,
      table: 'selfservice_login_flows',
      column: 'oauth2_login_challenge_data',
      id: login(k),
      value,
      note: 'same text column holds special text, NULL, empty, literal NULL and \\N',
    }),
  );
  const bodies: Array<[string, string]> = [
    ['body-special', TEXT_SPECIAL],
    ['body-empty', TEXT_EMPTY],
    ['body-literal-null', TEXT_LITERAL_NULL],
    ['body-backslash-n', TEXT_BACKSLASH_N],
  ];
  bodies.forEach(([key, value], k) =>
    add({ key, table: 'courier_messages', column: 'body', id: msg(k), value, note: 'NOT NULL text column' }),
  );

  add({
    key: 'traits-unicode',
    table: 'identities',
    column: 'traits',
    id: c.storedId('identities', 0),
    value: TRAITS_SPECIAL,
    json: true,
    note: 'nested objects/arrays, emoji, accents, escaped quotes',
  });
  add({
    key: 'metadata-public-json',
    table: 'identities',
    column: 'metadata_public',
    id: c.storedId('identities', 0),
    value: { note: 'émoji 🦄 "quoted"', badges: [] },
    json: true,
    note: 'non-NULL metadata_public',
  });
  add({
    key: 'metadata-public-null',
    table: 'identities',
    column: 'metadata_public',
    id: c.storedId('identities', 1),
    value: null,
    note: 'NULL metadata_public',
  });
  add({
    key: 'state-max-length',
    table: 'identities',
    column: 'state',
    id: c.storedId('identities', 2),
    value: STATE_MAX,
    note: 'varchar(255) filled to 255 characters, multibyte',
  });

  add({
    key: 'uuid-upper-id',
    table: 'identities',
    column: 'id',
    id: c.storedId('identities', 1),
    value: c.uuid('identities', 1).toUpperCase(),
    note: 'primary key stored in upper case',
  });
  add({
    key: 'uuid-upper-fk',
    table: 'identity_credentials',
    column: 'identity_id',
    id: c.storedId('identity_credentials', 0),
    value: c.uuid('identities', 0).toUpperCase(),
    note: 'FK in upper case, parent stored lower case',
  });
  add({
    key: 'uuid-lower-fk-upper-parent',
    table: 'identity_credentials',
    column: 'identity_id',
    id: c.storedId('identity_credentials', 1),
    value: c.uuid('identities', 1),
    note: 'FK in lower case, parent stored upper case',
  });
  add({
    key: 'uuid-upper-fk-session',
    table: 'sessions',
    column: 'identity_id',
    id: c.storedId('sessions', 0),
    value: c.uuid('identities', 0).toUpperCase(),
    note: 'FK in upper case',
  });
  add({
    key: 'uuid-upper-fk-credential',
    table: 'identity_credential_identifiers',
    column: 'identity_credential_id',
    id: c.uuid('identity_credential_identifiers', 0),
    value: c.uuid('identity_credentials', 0).toUpperCase(),
    note: 'FK in upper case',
  });
  add({
    key: 'uuid-upper-fk-message',
    table: 'courier_message_dispatches',
    column: 'message_id',
    id: c.uuid('courier_message_dispatches', 0),
    value: c.uuid('courier_messages', 0).toUpperCase(),
    note: 'FK in upper case',
  });

  const vf = (k: number): string => c.uuid('selfservice_verification_flows', k);
  add({
    key: 'verification-empty-session',
    table: 'selfservice_verification_flows',
    column: 'session_id',
    id: vf(0),
    value: '',
    note: "'' in a VARCHAR(36) uuid column: must become NULL",
  });
  add({
    key: 'verification-empty-identity',
    table: 'selfservice_verification_flows',
    column: 'identity_id',
    id: vf(0),
    value: '',
    note: "'' in a VARCHAR(36) uuid column: must become NULL",
  });
  add({
    key: 'verification-upper-session',
    table: 'selfservice_verification_flows',
    column: 'session_id',
    id: vf(4),
    value: c.uuid('sessions', 4).toUpperCase(),
    note: 'upper-case uuid in VARCHAR(36)',
  });

  add({
    key: 'recovery-value-max-length',
    table: 'identity_recovery_addresses',
    column: 'value',
    id: c.uuid('identity_recovery_addresses', 2),
    value: RECOVERY_VALUE_MAX,
    note: 'varchar(400) filled to 400 characters',
  });
  add({
    key: 'subject-max-length',
    table: 'courier_messages',
    column: 'subject',
    id: msg(4),
    value: SUBJECT_MAX,
    note: 'varchar(255) filled, 4-byte characters',
  });
  add({
    key: 'blob-special',
    table: 'courier_messages',
    column: 'template_data',
    id: msg(0),
    value: BLOB_SPECIAL,
    note: 'bytes 0x00, 0xFF, invalid UTF-8',
  });
  add({
    key: 'dispatch-error-json',
    table: 'courier_message_dispatches',
    column: 'error',
    id: c.uuid('courier_message_dispatches', 0),
    value: DISPATCH_ERROR_SPECIAL,
    json: true,
    note: 'JSON (not jsonb) on Postgres',
  });
  add({
    key: 'session-active-null',
    table: 'sessions',
    column: 'active',
    id: c.storedId('sessions', 1),
    value: null,
    note: 'nullable boolean',
  });
  add({
    key: 'timestamp-max',
    table: 'identity_login_codes',
    column: 'expires_at',
    id: c.uuid('identity_login_codes', 2),
    value: '2038-01-19 03:14:07',
    note: 'last second a MySQL TIMESTAMP holds (UTC)',
  });

  (['oidc', 'totp', 'lookup_secret'] as const).forEach((type, k) => {
    add({
      key: `credential-type-${type}`,
      table: 'identity_credentials',
      column: 'identity_credential_type_id',
      id: c.storedId('identity_credentials', k),
      value: KRATOS_SOURCE_CREDENTIAL_TYPE_IDS[type],
      note: `source id of "${type}", differs from the target's`,
    });
    add({
      key: `identifier-type-${type}`,
      table: 'identity_credential_identifiers',
      column: 'identity_credential_type_id',
      id: c.uuid('identity_credential_identifiers', k),
      value: KRATOS_SOURCE_CREDENTIAL_TYPE_IDS[type],
      note: `source id of "${type}", differs from the target's`,
    });
  });
  add({
    key: 'identifier-special',
    table: 'identity_credential_identifiers',
    column: 'identifier',
    id: c.uuid('identity_credential_identifiers', 1),
    value: IDENTIFIER_SPECIAL,
    note: 'accents and emoji',
  });
  [2, 3].forEach((k) =>
    add({
      key: `identifier-null-${k}`,
      table: 'identity_credential_identifiers',
      column: 'identifier',
      id: c.uuid('identity_credential_identifiers', k),
      value: null,
      note: 'nullable on MySQL, NOT NULL on Postgres',
    }),
  );

  const flows = [
    'selfservice_login_flows',
    'selfservice_registration_flows',
    'selfservice_settings_flows',
    'selfservice_recovery_flows',
    'selfservice_verification_flows',
  ] as const;
  for (const t of flows)
    add({
      key: `request-url-null-${t}`,
      table: t,
      column: 'request_url',
      id: c.storedId(t, 1),
      value: null,
      note: 'nullable on MySQL, NOT NULL on Postgres',
    });
  [1, 2].forEach((k) =>
    add({
      key: `recovery-token-null-${k}`,
      table: 'identity_recovery_tokens',
      column: 'token',
      id: c.uuid('identity_recovery_tokens', k),
      value: null,
      note: 'nullable on MySQL, NOT NULL on Postgres',
    }),
  );
  const codes = [
    ['identity_login_codes', 'selfservice_login_flow_id'],
    ['identity_registration_codes', 'selfservice_registration_flow_id'],
    ['identity_recovery_codes', 'selfservice_recovery_flow_id'],
  ] as const;
  for (const [t, col] of codes)
    add({
      key: `code-flow-null-${t}`,
      table: t,
      column: col,
      id: c.uuid(t, 1),
      value: null,
      note: 'nullable on MySQL, NOT NULL on Postgres',
    });

  // Duplicate device groups 0 and 1 exist at every scale (more every 400 sessions).
  [0, 1].forEach((s) => {
    add({
      key: `device-duplicate-${s}`,
      table: 'session_devices',
      column: 'session_id',
      id: c.freeUuid(DUPLICATE_DEVICE_SPACE, s),
      value: c.ref('sessions', s),
      duplicateOf: c.uuid('session_devices', s),
      note: 'same nid, session_id, ip_address, user_agent; other id and updated_at: violates the Postgres-only unique index',
    });
  });
  add({
    key: 'device-user-agent-special',
    table: 'session_devices',
    column: 'user_agent',
    id: c.uuid('session_devices', 0),
    value: USER_AGENT_SPECIAL,
    note: 'quotes, comma, tab, backslash, emoji',
  });
  for (let n = 0; n < 3; n++)
    add({
      key: `network-${n}`,
      table: 'networks',
      column: 'id',
      id: c.uuid('networks', n),
      value: c.uuid('networks', n),
      note: 'rows are spread over three networks',
    });
  return out;
}

export const KRATOS_HARD_VALUES: readonly KratosHardValue[] = kratosHardValues(DEFAULT_KRATOS_SEED);

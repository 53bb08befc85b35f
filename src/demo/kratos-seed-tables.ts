import { Prng } from './prng';
import { DUPLICATE_DEVICE_SPACE, email, KratosSeedContext, KratosSeedTable, sqlTime } from './kratos-seed-context';
import {
  BLOB_SPECIAL,
  DISPATCH_ERROR_SPECIAL,
  EXTRA_CREDENTIAL_TYPES,
  IDENTIFIER_SPECIAL,
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

/**
 * Row generators for the Kratos fixture, one per table, columns in the MySQL order.
 * Row k of every table is a pure function of (seed, k) plus the table's own random stream
 * consumed in row order; the hard values sit in rows 0..7 so they exist at any scale.
 * This file is long on purpose: it is the one place that says what each table holds.
 */
export interface SeedTableSpec {
  table: KratosSeedTable;
  columns: readonly string[];
  row(k: number, c: KratosSeedContext, r: Prng): unknown[];
}

const HOUR = 3600;
const DAY = 24 * HOUR;
const AALS = [null, 'aal1', 'aal1', 'aal2'] as const;
const FIRST = ['Ana', 'Björn', 'Chloé', 'Dmitri', 'Eve', 'Fatima', 'Gonzalo', 'Hiroshi', 'Ingrid', 'José'];
const AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/124.0',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) Safari/605.1.15',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4) Mobile/15E148',
  'okhttp/4.12.0',
];
const LOCATIONS = ['Amsterdam, NL', 'São Paulo, BR', 'Zürich, CH', '', 'Kraków, PL'];

const bool = (v: boolean): number => (v ? 1 : 0);

function ui(action: string, csrf: string): string {
  return `{"action":"https://auth.example.org/self-service/${action}","method":"POST","nodes":[{"type":"input","group":"default","attributes":{"name":"csrf_token","type":"hidden","value":"${csrf}","required":true},"messages":[],"meta":{}}],"messages":[]}`;
}

function requestUrl(flow: string, k: number): string {
  return `https://auth.example.org/self-service/${flow}/browser?return_to=https%3A%2F%2Fapp.example.org%2Fhome&n=${k}`;
}

/** request_url is NULL in row 1 of each flow table: nullable on MySQL, NOT NULL on Postgres. */
function flowRequestUrl(flow: string, k: number): string | null {
  if (k === 1) return null;
  if (k === 0) return `https://auth.example.org/self-service/${flow}?q="a,b"&name=zoë🦄&x=\\y`;
  return requestUrl(flow, k);
}

/** Identity behind row k of a table that hangs off identities (spread, deterministic). */
const identityOf = (c: KratosSeedContext, k: number): number => k % c.identities;

/** The text column holding the NULL / '' / 'NULL' / '\N' quartet: selfservice_login_flows.oauth2_login_challenge_data. */
function challengeData(k: number): string | null {
  switch (k) {
    case 0:
      return TEXT_SPECIAL;
    case 1:
      return null;
    case 2:
      return TEXT_EMPTY;
    case 3:
      return TEXT_LITERAL_NULL;
    case 4:
      return TEXT_BACKSLASH_N;
    default:
      return k % 5 === 0 ? `{"client_id":"app-${k}","scope":["openid","offline"]}` : null;
  }
}

/** Device fields depend on the session alone, so a duplicate row can repeat them exactly. */
function deviceOf(c: KratosSeedContext, s: number): { ip: string; ua: string; location: string | null; at: number } {
  const r = c.prng('session_devices', s + 1);
  const ip =
    s % 4 === 3 ? `2001:db8::${(s % 65535).toString(16)}` : `10.${(s >>> 16) & 255}.${(s >>> 8) & 255}.${s & 255}`;
  const ua = s === 0 ? USER_AGENT_SPECIAL : r.pick(AGENTS);
  const location = s % 11 === 10 ? null : r.pick(LOCATIONS);
  return { ip, ua, location, at: c.time(r) };
}

export const KRATOS_SEED_TABLES: readonly SeedTableSpec[] = [
  {
    table: 'networks',
    columns: ['id', 'created_at', 'updated_at'],
    row: (k, c) => [c.storedId('networks', k), sqlTime(1672531200 + k * DAY), sqlTime(1672531200 + k * DAY)],
  },
  {
    table: 'identities',
    columns: [
      'id',
      'schema_id',
      'traits',
      'created_at',
      'updated_at',
      'nid',
      'state',
      'state_changed_at',
      'metadata_public',
      'metadata_admin',
      'available_aal',
      'organization_id',
    ],
    row: (k, c, r) => {
      const created = c.time(r);
      const traits =
        k === 0
          ? JSON.stringify(TRAITS_SPECIAL)
          : `{"email":"${email(k)}","name":{"first":"${r.pick(FIRST)}","last":"Tester ${k}"},"newsletter":${r.chance(0.3)}}`;
      const state = k === 2 ? STATE_MAX : r.chance(0.05) ? 'inactive' : 'active';
      const metaPublic =
        k % 2 === 1
          ? null
          : k === 0
            ? '{"note":"émoji 🦄 \\"quoted\\"","badges":[]}'
            : `{"plan":"free","score":${k % 97}}`;
      const metaAdmin = k % 7 === 3 ? `{"reviewed_by":"admin-${k % 13}","flags":{"vip":${k % 2 === 0}}}` : null;
      return [
        c.storedId('identities', k),
        k % 10 === 9 ? 'customer' : 'default',
        traits,
        sqlTime(created),
        sqlTime(created + r.int(30 * DAY)),
        c.identityNetwork(k),
        state,
        r.chance(0.5) ? sqlTime(created + HOUR) : null,
        metaPublic,
        metaAdmin,
        AALS[k % AALS.length],
        k % 50 === 7 ? c.freeUuid(1, k) : null,
      ];
    },
  },
  {
    table: 'identity_credentials',
    columns: [
      'id',
      'config',
      'identity_credential_type_id',
      'identity_id',
      'created_at',
      'updated_at',
      'nid',
      'version',
    ],
    row: (k, c, r) => {
      const extra = k < c.extraCredentials;
      const i = extra ? k % c.identities : k - c.extraCredentials;
      const type = extra ? EXTRA_CREDENTIAL_TYPES[k % EXTRA_CREDENTIAL_TYPES.length] : 'password';
      const config = extra
        ? `{"providers":[{"subject":"sub-${k}","provider":"${r.pick(['google', 'github', 'microsoft'])}","initial_id_token":""}]}`
        : `{"hashed_password":"$2a$12$${r.hex(22)}/${r.hex(30)}"}`;
      const created = c.time(r);
      // Row 0 names its identity in upper case (parent stored lower); row 1's parent is stored upper.
      return [
        c.storedId('identity_credentials', k),
        config,
        c.credentialTypes[type],
        c.ref('identities', i, k === 0),
        sqlTime(created),
        sqlTime(created),
        c.identityNetwork(i),
        0,
      ];
    },
  },
  {
    table: 'identity_credential_identifiers',
    columns: [
      'id',
      'identifier',
      'identity_credential_id',
      'created_at',
      'updated_at',
      'nid',
      'identity_credential_type_id',
    ],
    row: (k, c, r) => {
      const extra = k < c.extraCredentials;
      const i = extra ? k % c.identities : k - c.extraCredentials;
      const type = extra ? EXTRA_CREDENTIAL_TYPES[k % EXTRA_CREDENTIAL_TYPES.length] : 'password';
      // Rows 2 and 3: NULL identifier (Postgres requires one).
      const identifier =
        k === 1 ? IDENTIFIER_SPECIAL : k === 2 || k === 3 ? null : extra ? `${type}:sub-${k}` : email(i);
      const created = c.time(r);
      return [
        c.uuid('identity_credential_identifiers', k),
        identifier,
        c.ref('identity_credentials', k, k === 0),
        sqlTime(created),
        sqlTime(created),
        c.identityNetwork(i),
        c.credentialTypes[type],
      ];
    },
  },
  {
    table: 'identity_verifiable_addresses',
    columns: [
      'id',
      'status',
      'via',
      'verified',
      'value',
      'verified_at',
      'identity_id',
      'created_at',
      'updated_at',
      'nid',
    ],
    row: (k, c, r) => {
      const verified = r.chance(0.7);
      const created = c.time(r);
      const value = k === 0 ? 'User0.Mixed@Example.ORG' : email(k);
      return [
        c.uuid('identity_verifiable_addresses', k),
        verified ? 'completed' : 'pending',
        'email',
        bool(verified),
        value,
        verified ? sqlTime(created + 600) : null,
        c.ref('identities', k),
        sqlTime(created),
        sqlTime(created + 600),
        c.identityNetwork(k),
      ];
    },
  },
  {
    table: 'identity_recovery_addresses',
    columns: ['id', 'via', 'value', 'identity_id', 'created_at', 'updated_at', 'nid'],
    row: (k, c, r) => {
      const created = c.time(r);
      return [
        c.uuid('identity_recovery_addresses', k),
        'email',
        k === 2 ? RECOVERY_VALUE_MAX : email(k),
        c.ref('identities', k),
        sqlTime(created),
        sqlTime(created),
        c.identityNetwork(k),
      ];
    },
  },
  {
    table: 'selfservice_login_flows',
    columns: [
      'id',
      'request_url',
      'issued_at',
      'expires_at',
      'active_method',
      'csrf_token',
      'created_at',
      'updated_at',
      'forced',
      'type',
      'ui',
      'nid',
      'requested_aal',
      'internal_context',
      'oauth2_login_challenge',
      'oauth2_login_challenge_data',
      'state',
      'submit_count',
      'organization_id',
    ],
    row: (k, c, r) => {
      const at = c.time(r);
      const csrf = r.hex(64);
      return [
        c.uuid('selfservice_login_flows', k),
        flowRequestUrl('login', k),
        sqlTime(at),
        sqlTime(at + HOUR),
        r.pick(['password', 'oidc', 'code', '']),
        csrf,
        sqlTime(at),
        sqlTime(at + r.int(HOUR)),
        bool(k % 9 === 4),
        k % 6 === 5 ? 'api' : 'browser',
        k % 8 === 6 ? null : ui('login', csrf),
        c.network(k),
        k % 10 === 3 ? 'aal2' : 'aal1',
        '{}',
        k % 5 === 0 ? c.freeUuid(2, k) : null,
        challengeData(k),
        r.chance(0.5) ? 'choose_method' : null,
        r.int(4),
        null,
      ];
    },
  },
  {
    table: 'selfservice_registration_flows',
    columns: [
      'id',
      'request_url',
      'issued_at',
      'expires_at',
      'active_method',
      'csrf_token',
      'created_at',
      'updated_at',
      'type',
      'ui',
      'nid',
      'internal_context',
      'oauth2_login_challenge',
      'oauth2_login_challenge_data',
      'state',
      'submit_count',
      'organization_id',
    ],
    row: (k, c, r) => {
      const at = c.time(r);
      const csrf = r.hex(64);
      return [
        c.uuid('selfservice_registration_flows', k),
        flowRequestUrl('registration', k),
        sqlTime(at),
        sqlTime(at + HOUR),
        r.pick(['password', 'oidc', 'profile']),
        csrf,
        sqlTime(at),
        sqlTime(at),
        'browser',
        ui('registration', csrf),
        c.network(k),
        '{"foo":"bar"}',
        null,
        null,
        r.chance(0.5) ? 'choose_method' : 'sent_email',
        r.int(3),
        null,
      ];
    },
  },
  {
    table: 'selfservice_settings_flows',
    columns: [
      'id',
      'request_url',
      'issued_at',
      'expires_at',
      'identity_id',
      'created_at',
      'updated_at',
      'active_method',
      'state',
      'type',
      'ui',
      'nid',
      'internal_context',
    ],
    row: (k, c, r) => {
      const at = c.time(r);
      const i = identityOf(c, k * 3);
      return [
        c.uuid('selfservice_settings_flows', k),
        flowRequestUrl('settings', k),
        sqlTime(at),
        sqlTime(at + HOUR),
        c.ref('identities', i),
        sqlTime(at),
        sqlTime(at),
        r.chance(0.5) ? 'profile' : null,
        r.chance(0.3) ? 'success' : 'show_form',
        'browser',
        ui('settings', r.hex(64)),
        c.identityNetwork(i),
        '{}',
      ];
    },
  },
  {
    table: 'selfservice_recovery_flows',
    columns: [
      'id',
      'request_url',
      'issued_at',
      'expires_at',
      'active_method',
      'csrf_token',
      'state',
      'recovered_identity_id',
      'created_at',
      'updated_at',
      'type',
      'ui',
      'nid',
      'submit_count',
      'skip_csrf_check',
    ],
    row: (k, c, r) => {
      const at = c.time(r);
      const csrf = r.hex(64);
      const recovered = k % 2 === 0 ? c.ref('identities', identityOf(c, k * 5)) : null;
      return [
        c.storedId('selfservice_recovery_flows', k),
        flowRequestUrl('recovery', k),
        sqlTime(at),
        sqlTime(at + HOUR),
        r.chance(0.6) ? 'code' : null,
        csrf,
        r.pick(['choose_method', 'sent_email', 'passed_challenge']),
        recovered,
        sqlTime(at),
        sqlTime(at),
        'browser',
        ui('recovery', csrf),
        c.network(k),
        r.int(3),
        bool(k % 7 === 3),
      ];
    },
  },
  {
    table: 'selfservice_verification_flows',
    columns: [
      'id',
      'request_url',
      'issued_at',
      'expires_at',
      'csrf_token',
      'created_at',
      'updated_at',
      'type',
      'state',
      'active_method',
      'ui',
      'nid',
      'submit_count',
      'oauth2_login_challenge',
      'session_id',
      'identity_id',
      'authentication_methods',
    ],
    row: (k, c, r) => {
      const at = c.time(r);
      const csrf = r.hex(64);
      // session_id / identity_id are VARCHAR(36) without FK: '' (rows 0 and every 10th), NULL, lower, UPPER.
      let sid: string | null = null;
      let iid: string | null = null;
      if (k === 0 || k % 10 === 5) sid = iid = '';
      else if (k === 2 || k % 3 === 0)
        [sid, iid] = [c.ref('sessions', k % c.counts.sessions), c.ref('identities', identityOf(c, k))];
      else if (k === 4) [sid, iid] = [c.ref('sessions', k, true), c.ref('identities', identityOf(c, k), true)];
      const methods =
        k % 4 === 1 ? null : `[{"method":"password","aal":"aal1","completed_at":"${sqlTime(at).replace(' ', 'T')}Z"}]`;
      return [
        c.uuid('selfservice_verification_flows', k),
        flowRequestUrl('verification', k),
        sqlTime(at),
        sqlTime(at + HOUR),
        csrf,
        sqlTime(at),
        sqlTime(at),
        'browser',
        r.pick(['choose_method', 'sent_email', 'passed_challenge']),
        r.chance(0.7) ? 'code' : null,
        ui('verification', csrf),
        c.network(k),
        r.int(3),
        null,
        sid,
        iid,
        methods,
      ];
    },
  },
  {
    table: 'sessions',
    columns: [
      'id',
      'issued_at',
      'expires_at',
      'authenticated_at',
      'identity_id',
      'created_at',
      'updated_at',
      'token',
      'active',
      'nid',
      'logout_token',
      'aal',
      'authentication_methods',
    ],
    row: (k, c, r) => {
      const i = identityOf(c, k);
      const at = c.time(r);
      const noToken = k === 3;
      // active: NULL in row 1 and every 37th, otherwise mostly 1.
      const active = k === 1 || k % 37 === 36 ? null : bool(r.chance(0.85));
      const methods = `[{"method":"${k % 5 === 2 ? 'oidc' : 'password'}","aal":"aal1","completed_at":"${sqlTime(at).replace(' ', 'T')}Z"}]`;
      return [
        c.storedId('sessions', k),
        sqlTime(at),
        sqlTime(at + 30 * DAY),
        sqlTime(at),
        c.ref('identities', i, k === 0),
        sqlTime(at),
        sqlTime(at + r.int(DAY)),
        noToken ? null : `ory_st_${c.freeUuid(3, k).replace(/-/g, '')}`,
        active,
        c.identityNetwork(i),
        noToken ? null : `ory_lo_${c.freeUuid(4, k).replace(/-/g, '')}`,
        k % 10 === 4 ? 'aal2' : 'aal1',
        methods,
      ];
    },
  },
  {
    table: 'session_devices',
    columns: ['id', 'ip_address', 'user_agent', 'location', 'session_id', 'nid', 'created_at', 'updated_at'],
    row: (k, c) => {
      const sessions = c.counts.sessions;
      const s = k < sessions ? k : c.duplicateDeviceSessions[k - sessions];
      const d = deviceOf(c, s);
      const later = k < sessions ? 0 : DAY + (k - sessions) * 61;
      // The duplicate repeats (nid, session_id, ip_address, user_agent) exactly; only id, location and updated_at change.
      // Duplicates take ids from their own key space so they do not move with the scale.
      const id = k < sessions ? c.uuid('session_devices', k) : c.freeUuid(DUPLICATE_DEVICE_SPACE, k - sessions);
      return [
        id,
        d.ip,
        d.ua,
        k < sessions ? d.location : 'Elsewhere',
        c.ref('sessions', s),
        c.identityNetwork(identityOf(c, s)),
        sqlTime(d.at),
        sqlTime(d.at + later),
      ];
    },
  },
  {
    table: 'session_token_exchanges',
    columns: ['id', 'nid', 'flow_id', 'session_id', 'init_code', 'return_to_code', 'created_at', 'updated_at'],
    row: (k, c, r) => {
      const at = c.time(r);
      return [
        c.uuid('session_token_exchanges', k),
        c.network(k),
        c.freeUuid(5, k),
        k % 3 === 1 ? null : c.ref('sessions', k % c.counts.sessions),
        r.hex(64),
        r.hex(64),
        sqlTime(at),
        sqlTime(at + 60),
      ];
    },
  },
  {
    table: 'identity_recovery_tokens',
    columns: [
      'id',
      'token',
      'used',
      'used_at',
      'identity_recovery_address_id',
      'selfservice_recovery_flow_id',
      'created_at',
      'updated_at',
      'expires_at',
      'issued_at',
      'nid',
      'identity_id',
      'token_type',
    ],
    row: (k, c, r) => {
      const i = identityOf(c, k * 7);
      const at = c.time(r);
      const used = r.chance(0.4);
      // Rows 1 and 2: NULL token (Postgres requires one).
      const token = k === 1 || k === 2 ? null : c.freeUuid(6, k).replace(/-/g, '');
      return [
        c.uuid('identity_recovery_tokens', k),
        token,
        bool(used),
        used ? sqlTime(at + 300) : null,
        c.ref('identity_recovery_addresses', i),
        k % 4 === 3 ? null : c.ref('selfservice_recovery_flows', k % c.counts.selfservice_recovery_flows),
        sqlTime(at),
        sqlTime(at),
        sqlTime(at + HOUR),
        sqlTime(at),
        c.identityNetwork(i),
        c.ref('identities', i),
        1 + (k % 2),
      ];
    },
  },
  {
    table: 'identity_verification_tokens',
    columns: [
      'id',
      'token',
      'used',
      'used_at',
      'expires_at',
      'issued_at',
      'identity_verifiable_address_id',
      'selfservice_verification_flow_id',
      'created_at',
      'updated_at',
      'nid',
    ],
    row: (k, c, r) => {
      const i = identityOf(c, k * 3);
      const at = c.time(r);
      const used = r.chance(0.5);
      return [
        c.uuid('identity_verification_tokens', k),
        c.freeUuid(7, k).replace(/-/g, ''),
        bool(used),
        used ? sqlTime(at + 120) : null,
        sqlTime(at + HOUR),
        sqlTime(at),
        c.ref('identity_verifiable_addresses', i),
        c.ref('selfservice_verification_flows', k % c.counts.selfservice_verification_flows),
        sqlTime(at),
        sqlTime(at),
        c.identityNetwork(i),
      ];
    },
  },
  {
    table: 'identity_recovery_codes',
    columns: [
      'id',
      'code',
      'used_at',
      'identity_recovery_address_id',
      'code_type',
      'expires_at',
      'issued_at',
      'selfservice_recovery_flow_id',
      'created_at',
      'updated_at',
      'nid',
      'identity_id',
    ],
    row: (k, c, r) => {
      const i = identityOf(c, k * 11);
      const at = c.time(r);
      const flow = k === 1 ? null : c.ref('selfservice_recovery_flows', k % c.counts.selfservice_recovery_flows);
      return [
        c.uuid('identity_recovery_codes', k),
        r.hex(64),
        r.chance(0.3) ? sqlTime(at + 200) : null,
        k % 3 === 2 ? null : c.ref('identity_recovery_addresses', i),
        1 + (k % 2),
        sqlTime(at + HOUR),
        sqlTime(at),
        flow,
        sqlTime(at),
        sqlTime(at),
        c.identityNetwork(i),
        c.ref('identities', i),
      ];
    },
  },
  {
    table: 'identity_verification_codes',
    columns: [
      'id',
      'code_hmac',
      'used_at',
      'identity_verifiable_address_id',
      'expires_at',
      'issued_at',
      'selfservice_verification_flow_id',
      'created_at',
      'updated_at',
      'nid',
    ],
    row: (k, c, r) => {
      const i = identityOf(c, k * 13);
      const at = c.time(r);
      return [
        c.uuid('identity_verification_codes', k),
        r.hex(64),
        r.chance(0.3) ? sqlTime(at + 200) : null,
        k % 5 === 4 ? null : c.ref('identity_verifiable_addresses', i),
        sqlTime(at + HOUR),
        sqlTime(at),
        c.ref('selfservice_verification_flows', k % c.counts.selfservice_verification_flows),
        sqlTime(at),
        sqlTime(at),
        c.identityNetwork(i),
      ];
    },
  },
  {
    table: 'identity_login_codes',
    columns: [
      'id',
      'code',
      'address',
      'address_type',
      'used_at',
      'expires_at',
      'issued_at',
      'selfservice_login_flow_id',
      'identity_id',
      'created_at',
      'updated_at',
      'nid',
    ],
    row: (k, c, r) => {
      const i = identityOf(c, k * 5);
      // TIMESTAMP columns: include the last second a TIMESTAMP can hold in row 2.
      const at = k === 2 ? 2147483647 - HOUR : c.time(r);
      const flow = k === 1 ? null : c.ref('selfservice_login_flows', k % c.counts.selfservice_login_flows);
      return [
        c.uuid('identity_login_codes', k),
        r.hex(64),
        email(i),
        'email',
        r.chance(0.3) ? sqlTime(at + 100) : null,
        sqlTime(at + HOUR),
        sqlTime(at),
        flow,
        c.ref('identities', i),
        sqlTime(at),
        sqlTime(at),
        c.identityNetwork(i),
      ];
    },
  },
  {
    table: 'identity_registration_codes',
    columns: [
      'id',
      'code',
      'address',
      'address_type',
      'used_at',
      'expires_at',
      'issued_at',
      'selfservice_registration_flow_id',
      'created_at',
      'updated_at',
      'nid',
    ],
    row: (k, c, r) => {
      const at = c.time(r);
      const flow =
        k === 1 ? null : c.ref('selfservice_registration_flows', k % c.counts.selfservice_registration_flows);
      return [
        c.uuid('identity_registration_codes', k),
        r.hex(64),
        `new${k}@example.org`,
        'email',
        r.chance(0.3) ? sqlTime(at + 100) : null,
        sqlTime(at + HOUR),
        sqlTime(at),
        flow,
        sqlTime(at),
        sqlTime(at),
        c.network(k),
      ];
    },
  },
  {
    table: 'courier_messages',
    columns: [
      'id',
      'type',
      'status',
      'body',
      'subject',
      'recipient',
      'created_at',
      'updated_at',
      'template_type',
      'template_data',
      'nid',
      'send_count',
      'channel',
    ],
    row: (k, c, r) => {
      const i = identityOf(c, k * 2);
      const at = c.time(r);
      const bodies = [TEXT_SPECIAL, TEXT_EMPTY, TEXT_LITERAL_NULL, TEXT_BACKSLASH_N];
      const body =
        k < bodies.length
          ? bodies[k]
          : `Hi,\n\nplease verify your account by entering the following code: ${r.hex(6)}\n\nThanks!\n`;
      const data =
        k === 0
          ? BLOB_SPECIAL
          : k % 6 === 1
            ? null
            : k % 2 === 0
              ? r.bytes(16 + r.int(48))
              : Buffer.from(`{"to":"${email(i)}","code":"${r.hex(6)}"}`);
      return [
        c.storedId('courier_messages', k),
        k % 2,
        r.int(4) + 1,
        body,
        k === 4 ? SUBJECT_MAX : 'Please verify your email address',
        email(i),
        sqlTime(at),
        sqlTime(at + r.int(HOUR)),
        r.pick(['verification_code', 'recovery_code_valid', 'login_code_valid']),
        data,
        c.identityNetwork(i),
        r.int(3),
        k % 9 === 8 ? null : k % 10 === 3 ? 'sms' : 'email',
      ];
    },
  },
  {
    table: 'courier_message_dispatches',
    columns: ['id', 'message_id', 'status', 'error', 'nid', 'created_at', 'updated_at'],
    row: (k, c, r) => {
      const m = k % c.counts.courier_messages;
      const failed = k === 0 || r.chance(0.3);
      const error =
        k === 0
          ? JSON.stringify(DISPATCH_ERROR_SPECIAL)
          : failed
            ? `{"reason":"dial tcp: i/o timeout","attempt":${1 + (k % 3)}}`
            : null;
      const at = c.time(r);
      // Row 0 names its message in upper case; message 1 is stored upper and named lower by row 1.
      return [
        c.uuid('courier_message_dispatches', k),
        c.ref('courier_messages', m, k === 0),
        failed ? 'failed' : 'success',
        error,
        c.identityNetwork(identityOf(c, m * 2)),
        sqlTime(at),
        sqlTime(at + 5),
      ];
    },
  },
  {
    table: 'continuity_containers',
    columns: ['id', 'identity_id', 'name', 'payload', 'expires_at', 'created_at', 'updated_at', 'nid'],
    row: (k, c, r) => {
      const i = identityOf(c, k * 17);
      const at = c.time(r);
      return [
        c.uuid('continuity_containers', k),
        k % 2 === 0 ? c.ref('identities', i) : null,
        'ory_kratos_oidc_auth_code_session',
        k % 4 === 3
          ? null
          : `{"flow_id":"${c.freeUuid(8, k)}","state":"${r.hex(16)}","return_to":"https://app.example.org/ünïcode?x=1&y=2"}`,
        sqlTime(at + HOUR),
        sqlTime(at),
        sqlTime(at),
        c.identityNetwork(i),
      ];
    },
  },
  {
    table: 'selfservice_errors',
    columns: ['id', 'errors', 'seen_at', 'was_seen', 'created_at', 'updated_at', 'csrf_token', 'nid'],
    row: (k, c, r) => {
      const at = c.time(r);
      const seen = r.chance(0.5);
      const errors =
        k === 0
          ? '{"code":500,"status":"Internal Server Error","reason":"naïve \\"quote\\" 🦄\\nnext line","message":"An internal server error occurred"}'
          : `{"code":${r.pick([400, 403, 410, 500])},"message":"error ${k}"}`;
      return [
        c.uuid('selfservice_errors', k),
        errors,
        seen ? sqlTime(at + 60) : null,
        bool(seen),
        sqlTime(at),
        sqlTime(at),
        k % 3 === 0 ? '' : r.hex(64),
        c.network(k),
      ];
    },
  },
];

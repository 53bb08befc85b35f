import { mix32, Prng, uuidFromKey } from './prng';

/** Insert order: every parent before its children, so foreign_key_checks can stay on. */
export const KRATOS_SEED_ORDER = [
  'networks',
  'identities',
  'identity_credentials',
  'identity_credential_identifiers',
  'identity_verifiable_addresses',
  'identity_recovery_addresses',
  'selfservice_login_flows',
  'selfservice_registration_flows',
  'selfservice_settings_flows',
  'selfservice_recovery_flows',
  'selfservice_verification_flows',
  'sessions',
  'session_devices',
  'session_token_exchanges',
  'identity_recovery_tokens',
  'identity_verification_tokens',
  'identity_recovery_codes',
  'identity_verification_codes',
  'identity_login_codes',
  'identity_registration_codes',
  'courier_messages',
  'courier_message_dispatches',
  'continuity_containers',
  'selfservice_errors',
] as const;

export type KratosSeedTable = (typeof KRATOS_SEED_ORDER)[number];

/** Rows per identity; the sum is about 10, so scale 100 000 gives about a million rows. */
const RATIO: Record<KratosSeedTable, number> = {
  networks: 0,
  identities: 1,
  identity_credentials: 1.2, // fixed below: one password per identity plus extras
  identity_credential_identifiers: 1.2,
  identity_verifiable_addresses: 1,
  identity_recovery_addresses: 1,
  selfservice_login_flows: 0.6,
  selfservice_registration_flows: 0.3,
  selfservice_settings_flows: 0.2,
  selfservice_recovery_flows: 0.15,
  selfservice_verification_flows: 0.3,
  sessions: 1,
  session_devices: 1,
  session_token_exchanges: 0.05,
  identity_recovery_tokens: 0.05,
  identity_verification_tokens: 0.1,
  identity_recovery_codes: 0.05,
  identity_verification_codes: 0.1,
  identity_login_codes: 0.2,
  identity_registration_codes: 0.1,
  courier_messages: 0.35,
  courier_message_dispatches: 0.35,
  continuity_containers: 0.1,
  selfservice_errors: 0.05,
};

/** Every table gets at least this many rows: the hard values sit in rows 0..7. */
export const MIN_ROWS = 8;
export const NETWORK_COUNT = 3;
/** One duplicate device row per this many sessions, plus sessions 0 and 1 always. */
export const DUPLICATE_DEVICE_EVERY = 400;
/** freeUuid key space of duplicate session_devices rows, so their ids do not move with the scale. */
export const DUPLICATE_DEVICE_SPACE = 9;

/** Rows whose own id is stored in upper case (children reference them in lower case). */
export const UPPER_STORED: Partial<Record<KratosSeedTable, readonly number[]>> = {
  identities: [1],
  identity_credentials: [1],
  sessions: [1],
  selfservice_recovery_flows: [1],
  courier_messages: [1],
};

const BASE_EPOCH = Date.UTC(2023, 0, 1) / 1000;
const SPAN_SECONDS = 2 * 365 * 24 * 3600;

/**
 * Everything a row generator needs: counts, ids by position, a per-table random stream.
 * Ids are functions of (seed, table, row), so a child can name any parent without a lookup.
 */
export class KratosSeedContext {
  readonly identities: number;
  readonly counts: Record<KratosSeedTable, number>;
  readonly duplicateDeviceSessions: number[];
  /** Non-password credentials: rows 0..extraCredentials-1 of identity_credentials. */
  readonly extraCredentials: number;
  private readonly tableIndex = new Map<KratosSeedTable, number>(KRATOS_SEED_ORDER.map((t, i) => [t, i]));
  private readonly upper = new Map<KratosSeedTable, Set<number>>();

  constructor(
    readonly seed: number,
    scale: number,
    /** Credential type name → id exactly as stored in the source (case included). */
    readonly credentialTypes: Record<string, string>,
  ) {
    this.identities = Math.max(MIN_ROWS, Math.floor(scale));
    const counts = {} as Record<KratosSeedTable, number>;
    for (const t of KRATOS_SEED_ORDER) counts[t] = Math.max(MIN_ROWS, Math.ceil(RATIO[t] * this.identities));
    counts.networks = NETWORK_COUNT;
    counts.identities = this.identities;
    // Extra (oidc, totp, ...) credentials come first so the differing source type ids sit in rows 0..2 at any scale.
    this.extraCredentials = Math.max(3, Math.ceil(0.2 * this.identities));
    counts.identity_credentials = this.identities + this.extraCredentials;
    counts.identity_credential_identifiers = counts.identity_credentials;
    this.duplicateDeviceSessions = [0, 1];
    for (let s = DUPLICATE_DEVICE_EVERY / 2; s < counts.sessions; s += DUPLICATE_DEVICE_EVERY)
      this.duplicateDeviceSessions.push(s);
    counts.session_devices = counts.sessions + this.duplicateDeviceSessions.length;
    this.counts = counts;
    for (const [t, rows] of Object.entries(UPPER_STORED)) this.upper.set(t as KratosSeedTable, new Set(rows));
  }

  /** The uuid of row k of a table, lower case (the canonical value). */
  uuid(table: KratosSeedTable, k: number): string {
    return uuidFromKey(this.seed, this.tableIndex.get(table)!, k);
  }

  /** The id as row k stores it in its own id column. */
  storedId(table: KratosSeedTable, k: number): string {
    const id = this.uuid(table, k);
    return this.upper.get(table)?.has(k) ? id.toUpperCase() : id;
  }

  /** A reference to row k of a parent table; `upper` writes it in upper case on purpose. */
  ref(table: KratosSeedTable, k: number, upper = false): string {
    const id = this.uuid(table, k);
    return upper ? id.toUpperCase() : id;
  }

  /** A uuid that is no row's id (organisation ids, oauth2 challenges, exchange flow ids). */
  freeUuid(space: number, k: number): string {
    return uuidFromKey(this.seed, 1000 + space, k);
  }

  network(k: number): string {
    return this.uuid('networks', k % NETWORK_COUNT);
  }

  /** The network of identity i: children of an identity live in the same network. */
  identityNetwork(i: number): string {
    return this.network(i);
  }

  prng(table: KratosSeedTable, salt = 0): Prng {
    return new Prng(mix32(this.seed, this.tableIndex.get(table)!, salt, 0x5eed));
  }

  /** A point in 2023–2024, in whole seconds since the epoch. */
  time(rng: Prng): number {
    return BASE_EPOCH + rng.int(SPAN_SECONDS);
  }
}

/** 'YYYY-MM-DD HH:MM:SS' in UTC: the literal form both DATETIME and TIMESTAMP accept. */
export function sqlTime(epochSeconds: number): string {
  const iso = new Date(epochSeconds * 1000).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
}

export function email(i: number): string {
  return `user${i}@example.org`;
}

import path from 'node:path';
import { ConnectionInfo, describeConnection, parseConnectionUrl } from './connection-url';
import { DOTENV_KEYS } from './dotenv';
import { ConvergeError } from './errors';
import { tlsPlan } from './tls';

/** Where a setting's value came from, for `converge env` and doctor. */
export type Provenance = 'flag' | 'env' | 'dotenv' | 'default';

export interface Resolved<T> {
  value: T;
  from: Provenance;
  name: string;
  /** Set when the value was read inside a connection URL: the URL's variable or flag. */
  via?: string;
}

/** Flag beats environment beats .env beats default. */
export function resolveSetting(
  flag: string | undefined,
  envName: string,
  fallback?: string,
): Resolved<string> | undefined {
  if (flag !== undefined && flag !== '') return { value: flag, from: 'flag', name: envName };
  const env = process.env[envName];
  if (env !== undefined && env !== '')
    return { value: env, from: DOTENV_KEYS.has(envName) ? 'dotenv' : 'env', name: envName };
  if (fallback !== undefined) return { value: fallback, from: 'default', name: envName };
  return undefined;
}

export const DEFAULT_SOURCE_URL = 'mysql://root@127.0.0.1:3306';
export const DEFAULT_TARGET_URL = 'postgres://postgres@127.0.0.1:5432';
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
export const DEFAULT_LOCK_WAIT_TIMEOUT_S = 60;
/**
 * A COPY or a source read that moves no data for this long is given up on: a network path that
 * froze (a proxy that stops forwarding but keeps the sockets open) must not hold the target's
 * transaction and table lock for ever.
 */
export const DEFAULT_STALL_TIMEOUT_MS = 300_000;
/** TCP keepalive probes start after this much idle time on both drivers' sockets. */
export const KEEPALIVE_DELAY_MS = 30_000;
/** How long closing a session waits for the server's goodbye before it cuts the socket (both drivers). */
export const SESSION_END_WAIT_MS = 5_000;
/** Tables (and export chunks) moved at once, for every command with --jobs. */
export const DEFAULT_JOBS = 2;
export const DEFAULT_WORK_DIR = 'converge-work';
/** Each pipeline works in its own folder under converge-work unless a work directory is set. */
export const DEFAULT_PIPELINE_WORK_DIR = `${DEFAULT_WORK_DIR}/<pipeline>`;

/**
 * Every setting converge reads, in the order `converge env` prints them. `param` names the
 * connection-URL parameter the setting writes into (and which the URL itself may already carry).
 */
export interface SettingSpec {
  key: string;
  env: string;
  flag: string;
  describe: string;
  fallback?: string;
  side?: 'source' | 'target';
  param?: string;
  /** 'url': the password inside is masked; 'secret': the whole value is. */
  secret?: 'url' | 'secret';
  /** Read with resolveSetting but not printed when unset (per-side overrides, files). */
  optional?: boolean;
}

export const SETTINGS: readonly SettingSpec[] = [
  {
    key: 'source',
    env: 'CONVERGE_SOURCE_URL',
    flag: '--source',
    describe: 'MySQL/MariaDB source URL',
    fallback: DEFAULT_SOURCE_URL,
    secret: 'url',
  },
  {
    key: 'target',
    env: 'CONVERGE_TARGET_URL',
    flag: '--target',
    describe: 'PostgreSQL target URL',
    fallback: DEFAULT_TARGET_URL,
    secret: 'url',
  },
  {
    key: 'connectTimeoutMs',
    env: 'CONVERGE_CONNECT_TIMEOUT_MS',
    flag: '--connect-timeout-ms',
    describe: 'give up connecting after this many ms',
    fallback: String(DEFAULT_CONNECT_TIMEOUT_MS),
    param: 'connect_timeout_ms',
  },
  {
    key: 'statementTimeoutMs',
    env: 'CONVERGE_STATEMENT_TIMEOUT_MS',
    flag: '--statement-timeout-ms',
    describe: 'cancel any statement running longer (0 = no limit)',
    fallback: '0',
    param: 'statement_timeout_ms',
  },
  {
    key: 'stallTimeoutMs',
    env: 'CONVERGE_STALL_TIMEOUT_MS',
    flag: '--stall-timeout-ms',
    describe: 'give up when a COPY or a source read makes no progress for this many ms',
    fallback: String(DEFAULT_STALL_TIMEOUT_MS),
    param: 'stall_timeout_ms',
  },
  {
    key: 'lockWaitTimeoutS',
    env: 'CONVERGE_LOCK_WAIT_TIMEOUT_S',
    flag: '--lock-wait-timeout-s',
    describe: 'seconds to wait for the source snapshot lock',
    fallback: String(DEFAULT_LOCK_WAIT_TIMEOUT_S),
    side: 'source',
    param: 'lock_wait_timeout',
  },
  {
    key: 'workDir',
    env: 'CONVERGE_WORK_DIR',
    flag: '--work-dir',
    describe: 'directory for exported files, manifests and the run log',
    fallback: DEFAULT_PIPELINE_WORK_DIR,
  },
  {
    key: 'jobs',
    env: 'CONVERGE_JOBS',
    flag: '--jobs',
    describe: 'tables (and export chunks) moved at once, every command with --jobs',
    fallback: String(DEFAULT_JOBS),
  },
  {
    key: 'sourceSslMode',
    env: 'CONVERGE_SOURCE_SSL_MODE',
    flag: '--source-ssl-mode',
    describe: 'DISABLED|PREFERRED|REQUIRED|VERIFY_CA|VERIFY_IDENTITY',
    side: 'source',
    param: 'ssl-mode',
  },
  {
    key: 'sourceSslCa',
    env: 'CONVERGE_SOURCE_SSL_CA',
    flag: '--source-ssl-ca',
    describe: 'CA file that signed the source certificate',
    side: 'source',
    param: 'ssl-ca',
    optional: true,
  },
  {
    key: 'sourceSslCert',
    env: 'CONVERGE_SOURCE_SSL_CERT',
    flag: '--source-ssl-cert',
    describe: 'client certificate file for the source',
    side: 'source',
    param: 'ssl-cert',
    optional: true,
  },
  {
    key: 'sourceSslKey',
    env: 'CONVERGE_SOURCE_SSL_KEY',
    flag: '--source-ssl-key',
    describe: 'client key file for the source',
    side: 'source',
    param: 'ssl-key',
    optional: true,
  },
  {
    key: 'sourceServerPublicKey',
    env: 'CONVERGE_SOURCE_SERVER_PUBLIC_KEY',
    flag: '--source-server-public-key',
    describe: "MySQL 8 server's RSA public key file (caching_sha2_password without TLS)",
    side: 'source',
    param: 'server-public-key',
    optional: true,
  },
  {
    key: 'targetSslmode',
    env: 'CONVERGE_TARGET_SSLMODE',
    flag: '--target-sslmode',
    describe: 'disable|allow|prefer|require|verify-ca|verify-full',
    side: 'target',
    param: 'sslmode',
  },
  {
    key: 'targetSslrootcert',
    env: 'CONVERGE_TARGET_SSLROOTCERT',
    flag: '--target-sslrootcert',
    describe: 'CA file that signed the target certificate',
    side: 'target',
    param: 'sslrootcert',
    optional: true,
  },
  {
    key: 'targetSslcert',
    env: 'CONVERGE_TARGET_SSLCERT',
    flag: '--target-sslcert',
    describe: 'client certificate file for the target',
    side: 'target',
    param: 'sslcert',
    optional: true,
  },
  {
    key: 'targetSslkey',
    env: 'CONVERGE_TARGET_SSLKEY',
    flag: '--target-sslkey',
    describe: 'client key file for the target',
    side: 'target',
    param: 'sslkey',
    optional: true,
  },
];

/** Command-line values by commander key ("connectTimeoutMs") or spelling ("--connect-timeout-ms"). */
export type FlagValues = object;

/**
 * The connection settings every connecting command accepts as flags (time-outs, TLS), so the
 * words in an error message ("--connect-timeout-ms") work wherever the error can appear.
 */
export function connectionFlagSpecs(): ReadonlyArray<{ flag: string; env: string; describe: string }> {
  return SETTINGS.filter((s) => s.param);
}

/** Shared time-outs apply to both URLs; side-specific ones to theirs. */
const CONNECTION_PARAMS = SETTINGS.filter((s) => s.param);

export interface ResolvedEntry extends Resolved<string> {
  key: string;
  flag: string;
  describe: string;
  secret?: 'url' | 'secret';
}

export interface ResolvedSettings {
  /** Every setting that has a value, in SETTINGS order, with where it came from. */
  entries: ResolvedEntry[];
  /** Connection details with TLS and time-out settings folded into params. */
  source: ConnectionInfo;
  target: ConnectionInfo;
  connectTimeoutMs: number;
  /** 0: no limit. */
  statementTimeoutMs: number;
  lockWaitTimeoutS: number;
  workDir: string;
  jobs: number;
}

const RANK: Record<Provenance, number> = { default: 0, dotenv: 1, env: 2, flag: 3 };

/** Looks a flag up by key ("targetSslmode", as commander names it) or by its spelling ("--target-sslmode"). */
function flagValue(flags: FlagValues, spec: SettingSpec): string | undefined {
  const f = flags as Readonly<Record<string, unknown>>;
  const v = f[spec.key] ?? f[spec.flag] ?? f[spec.flag.replace(/^--/, '')];
  // Commander gives strings; anything else (a boolean switch of another command) is not this setting.
  return typeof v === 'string' ? v : undefined;
}

/**
 * Resolves every setting: flag > environment > .env > default. A value inside a connection URL
 * (…?sslmode=verify-full) counts with the URL's own provenance; on a tie the dedicated setting
 * wins, so CONVERGE_TARGET_SSLMODE overrides a CONVERGE_TARGET_URL parameter but not a --target flag's.
 */
export function resolveConnectionSettings(flags: FlagValues): ResolvedSettings {
  const byKey = resolveEntries(flags);
  const entries: ResolvedEntry[] = [];
  const source = parseSide('source', byKey.get('source')!, byKey);
  const target = parseSide('target', byKey.get('target')!, byKey);
  for (const spec of SETTINGS) {
    for (const key of [spec.key, `${spec.key}@source`, `${spec.key}@target`]) {
      const e = byKey.get(key);
      if (e) entries.push(e);
    }
  }
  return {
    entries,
    source: source.info,
    target: target.info,
    connectTimeoutMs: shared(byKey.get('connectTimeoutMs')!, false),
    statementTimeoutMs: shared(byKey.get('statementTimeoutMs')!, true),
    lockWaitTimeoutS: lockWaitTimeoutS(source.info) ?? DEFAULT_LOCK_WAIT_TIMEOUT_S,
    workDir: byKey.get('workDir')!.value,
    jobs: positiveInt(byKey.get('jobs')!),
  };
}

function resolveEntries(flags: FlagValues): Map<string, ResolvedEntry> {
  const byKey = new Map<string, ResolvedEntry>();
  for (const spec of SETTINGS) {
    const r = resolveSetting(flagValue(flags, spec), spec.env, spec.fallback);
    if (r) byKey.set(spec.key, { ...r, key: spec.key, flag: spec.flag, describe: spec.describe, secret: spec.secret });
  }
  return byKey;
}

/** Parses one side's URL and folds the dedicated settings into its params, by rank. */
function parseSide(
  side: 'source' | 'target',
  url: ResolvedEntry,
  byKey: Map<string, ResolvedEntry>,
): { info: ConnectionInfo } {
  const label = url.from === 'flag' ? url.flag : url.name;
  const info = parseConnectionUrl(url.value, side === 'source' ? 'mysql' : 'postgres', label);
  for (const spec of CONNECTION_PARAMS) {
    if (spec.side && spec.side !== side) continue;
    const param = spec.param!;
    const setting = byKey.get(spec.key);
    const inUrl =
      info.params[param] ??
      (param === 'connect_timeout_ms' && info.params['connect_timeout'] !== undefined
        ? String(Number(info.params['connect_timeout']) * 1000)
        : undefined);
    if (inUrl !== undefined && (!setting || setting.from === 'default' || RANK[url.from] > RANK[setting.from])) {
      info.params[param] = inUrl;
      // A shared setting (time-outs) keeps its entry; the side whose URL overrides it gets its own.
      const key = spec.side ? spec.key : `${spec.key}@${side}`;
      byKey.set(key, {
        value: inUrl,
        from: url.from,
        name: spec.env,
        via: label,
        key,
        flag: spec.flag,
        describe: `${spec.describe} (${side}, from its URL)`,
      });
      continue;
    }
    if (setting) info.params[param] = setting.value;
  }
  // Every value is checked here, before any connection opens: a bad one is a configuration error
  // naming it, never a connection failure (or a setting left unread until a later stage).
  connectTimeoutMs(info);
  stallTimeoutMs(info);
  statementTimeoutMs(info);
  if (side === 'source') lockWaitTimeoutS(info);
  tlsPlan(info);
  return { info };
}

/**
 * The source connection alone, with its TLS and time-out settings: --source, else
 * CONVERGE_SOURCE_URL, else the default `converge env` shows. No command has a default of its own.
 */
export function resolveSource(flags: FlagValues | string | undefined): ConnectionInfo {
  const byKey = resolveEntries(typeof flags === 'object' ? flags : { source: flags });
  return parseSide('source', byKey.get('source')!, byKey).info;
}

/** The target connection alone, as resolveSource: --target, else CONVERGE_TARGET_URL, else the default. */
export function resolveTarget(flags: FlagValues | string | undefined): ConnectionInfo {
  const byKey = resolveEntries(typeof flags === 'object' ? flags : { target: flags });
  return parseSide('target', byKey.get('target')!, byKey).info;
}

const spec = (key: string): SettingSpec => SETTINGS.find((s) => s.key === key)!;

/** --jobs, else CONVERGE_JOBS, else DEFAULT_JOBS: what every command with --jobs runs with. */
export function resolveJobs(flags: FlagValues): number {
  return positiveInt(resolveEntries(flags).get('jobs')!);
}

/**
 * The work directory, absolute: --work-dir, else CONVERGE_WORK_DIR, else converge-work/<pipeline>
 * (under the current folder), so two pipelines never share a manifest.
 */
export function resolveWorkDir(flags: FlagValues, pipeline: string): string {
  const e = resolveSetting(flagValue(flags, spec('workDir')), spec('workDir').env, spec('workDir').fallback)!;
  return path.resolve(e.from === 'default' ? e.value.replace('<pipeline>', pipeline) : e.value);
}

/** Connect time-out for one connection: connect_timeout_ms, else libpq-style connect_timeout seconds, else 10 s. */
export function connectTimeoutMs(info: ConnectionInfo): number {
  const ms = info.params['connect_timeout_ms'];
  if (ms !== undefined && ms !== '') return positive(ms, 'connect_timeout_ms', info);
  const s = info.params['connect_timeout'];
  if (s !== undefined && s !== '') return positive(s, 'connect_timeout', info) * 1000;
  return DEFAULT_CONNECT_TIMEOUT_MS;
}

/** The progress watchdog's limit for COPY and source reads, in ms. */
export function stallTimeoutMs(info: ConnectionInfo): number {
  const ms = info.params['stall_timeout_ms'];
  if (ms === undefined || ms === '') return DEFAULT_STALL_TIMEOUT_MS;
  return positive(ms, 'stall_timeout_ms', info);
}

/** Statement time-out in ms, or undefined for none. */
export function statementTimeoutMs(info: ConnectionInfo): number | undefined {
  const ms = info.params['statement_timeout_ms'];
  if (ms === undefined || ms === '' || ms === '0') return undefined;
  return positive(ms, 'statement_timeout_ms', info);
}

/** Source session lock_wait_timeout in seconds, or undefined to leave the server's. */
export function lockWaitTimeoutS(info: ConnectionInfo): number | undefined {
  const s = info.params['lock_wait_timeout'];
  if (s === undefined || s === '') return undefined;
  return positive(s, 'lock_wait_timeout', info);
}

function positive(raw: string, name: string, info: ConnectionInfo): number {
  const n = Number(raw);
  // Zero would mean "wait for ever": converge promises a bounded failure, never a hang.
  if (!Number.isFinite(n) || n <= 0) {
    const spec = SETTINGS.find((s) => s.param === name);
    throw new ConvergeError(
      'CONFIG_INVALID',
      `${name}="${raw}" for ${describeConnection(info)} must be a positive number${spec ? ` (from ${spec.flag}, ${spec.env} or the URL's ${name})` : ''}`,
      { stage: 'config', key: name },
    );
  }
  return n;
}

/** A shared time-out as its own setting says (each URL may still override it for its side). */
function shared(e: Resolved<string>, zeroAllowed: boolean): number {
  const n = Number(e.value);
  if (!Number.isFinite(n) || n < 0 || (n === 0 && !zeroAllowed)) {
    throw new ConvergeError(
      'CONFIG_INVALID',
      `${e.name}="${e.value}" (from ${e.from}) must be a ${zeroAllowed ? 'number of at least 0' : 'positive number'}`,
      { stage: 'config', key: e.name },
    );
  }
  return n;
}

function positiveInt(e: Resolved<string> & { flag?: string }): number {
  const n = Number(e.value);
  if (!Number.isInteger(n) || n < 1) {
    // A mistyped flag is a usage error naming the flag; a bad variable is configuration.
    if (e.from === 'flag' && e.flag)
      throw new ConvergeError('USAGE', `${e.flag} takes a whole number >= 1, not "${e.value}"`, { key: e.flag });
    throw new ConvergeError(
      'CONFIG_INVALID',
      `${e.name}="${e.value}" (from ${e.from}) must be a whole number of at least 1`,
      { stage: 'config', key: e.name },
    );
  }
  return n;
}

/** A plain-language reason for an unreachable server, or undefined when the error is something else. */
export function unreachableMessage(e: unknown, info: ConnectionInfo, engine: string): string | undefined {
  const code = (e as { code?: string }).code;
  const msg = e instanceof Error ? e.message : String(e);
  const where = `${engine} at ${describeConnection(info)}`;
  if (code === 'ECONNREFUSED')
    return `cannot connect to ${where}: connection refused; check the host and port, and that the server is running and listening there`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return `cannot connect to ${where}: host name "${info.host}" not found`;
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return `cannot connect to ${where}: no route to host`;
  if (code === 'ETIMEDOUT' || /connection timeout|timeout expired|timed out/i.test(msg)) {
    return `cannot connect to ${where}: no answer within ${connectTimeoutMs(info)} ms (connect time-out: CONVERGE_CONNECT_TIMEOUT_MS, --connect-timeout-ms or connect_timeout in the URL)`;
  }
  return undefined;
}

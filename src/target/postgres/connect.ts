import { Client, ClientConfig } from 'pg';
import { ConnectionInfo, describeConnection } from '../../core/connection-url';
import { ConvergeError, isConvergeError, messageOf } from '../../core/errors';
import { noTlsOnServer, TlsPlan, tlsFailure, tlsOptions, tlsPlan } from '../../core/tls';
import {
  connectTimeoutMs,
  DEFAULT_STALL_TIMEOUT_MS,
  KEEPALIVE_DELAY_MS,
  SESSION_END_WAIT_MS,
  stallTimeoutMs,
  statementTimeoutMs,
  unreachableMessage,
} from '../../core/settings';

/**
 * An open Postgres session as the engine hands it out (openPg). Other folders hold it, pass it
 * to this engine's functions and end it; the SQL it runs stays in src/target/postgres.
 */
export type PgSession = Client;

const stallLimits = new WeakMap<Client, number>();

/** The progress watchdog's limit for a session's COPY (stall_timeout_ms of its URL). */
export function stallLimitOf(client: Client): number {
  return stallLimits.get(client) ?? DEFAULT_STALL_TIMEOUT_MS;
}

/**
 * end() waits for the server to acknowledge; on a frozen path that is for ever, and every
 * finally block that closes a session would hang the command. Bounded here, once for all callers.
 */
function boundEnd(client: Client): void {
  const end = client.end.bind(client) as () => Promise<void>;
  (client as unknown as { end: () => Promise<void> }).end = () =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        severPg(client);
        resolve();
      }, SESSION_END_WAIT_MS);
      timer.unref();
      end().then(
        () => (clearTimeout(timer), resolve()),
        (e) => (clearTimeout(timer), reject(e)),
      );
    });
}

/** Cuts a session's socket: every pending query fails at once (used when its stream froze). */
export function severPg(client: Client): void {
  (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
}

export interface PgConnectOptions {
  connectTimeoutMs?: number;
  applicationName?: string;
  /** Session statement_timeout; 0 or absent leaves the server's own. */
  statementTimeoutMs?: number;
}

/**
 * The client configuration for one attempt. For pools it never guesses: under sslmode prefer/allow
 * it is clear text (libpq's fallback needs a second attempt, which only openPg makes); under
 * require and stronger it is TLS with the verification the mode asks for.
 */
export function pgConfig(info: ConnectionInfo, opts: PgConnectOptions = {}): ClientConfig {
  const plan = tlsPlan(info);
  return pgAttemptConfig(info, opts, plan, plan.required);
}

function pgAttemptConfig(
  info: ConnectionInfo,
  opts: PgConnectOptions,
  plan: TlsPlan,
  encrypted: boolean,
): ClientConfig {
  const statement = opts.statementTimeoutMs ?? statementTimeoutMs(info);
  const config: ClientConfig = {
    host: info.host,
    port: info.port,
    user: info.user,
    password: info.password,
    database: info.database ?? 'postgres',
    connectionTimeoutMillis: opts.connectTimeoutMs ?? connectTimeoutMs(info),
    application_name: opts.applicationName ?? 'converge',
    ssl: encrypted ? tlsOptions(info, plan) : false,
    // A peer that vanished (host down, cable cut) is noticed by the kernel instead of never.
    keepAlive: true,
    keepAliveInitialDelayMillis: KEEPALIVE_DELAY_MS,
  };
  if (statement) config.statement_timeout = statement;
  return config;
}

/**
 * Opens one dedicated client (COPY needs its own). The caller ends it in `finally`.
 * sslmode prefer tries TLS first and falls back to clear text only when the server says it has no
 * TLS; allow does the reverse when the server refuses clear text. require and stronger never fall back.
 */
export async function openPg(info: ConnectionInfo, opts: PgConnectOptions = {}): Promise<Client> {
  const plan = tlsPlan(info);
  const attempts =
    plan.level === 'disable'
      ? [false]
      : plan.level === 'allow'
        ? [false, true]
        : plan.level === 'prefer'
          ? [true, false]
          : [true];
  for (let i = 0; ; i++) {
    const encrypted = attempts[i];
    const client = new Client(pgAttemptConfig(info, opts, plan, encrypted));
    // An idle client whose server goes away emits 'error'; without a listener that kills the process.
    client.on('error', () => undefined);
    try {
      await client.connect();
      stallLimits.set(client, stallTimeoutMs(info));
      boundEnd(client);
      return client;
    } catch (e) {
      // Closing after use or after a failure: a close error would only hide the real outcome.
      await client.end().catch(() => undefined);
      const last = i + 1 >= attempts.length;
      if (!last && (encrypted ? noTlsOnServer(e) : refusedWithoutTls(e))) continue;
      throw pgConnectError(e, info, plan);
    }
  }
}

/** pg_hba.conf turned a clear-text connection away (hostssl-only, or a hostnossl reject line). */
function refusedWithoutTls(e: unknown): boolean {
  const code = (e as { code?: string }).code;
  return (code === '28000' || code === '28P01') && /no encryption/i.test(messageOf(e));
}

export function pgConnectError(e: unknown, info: ConnectionInfo, plan?: TlsPlan): ConvergeError {
  // converge's own refusal before the driver ran (a CA file it cannot read, a bad setting) keeps
  // its code and message: its code is no driver error code.
  if (isConvergeError(e)) return e;
  const code = (e as { code?: string }).code;
  const where = describeConnection(info);
  const tls = plan && plan.level !== 'disable' ? tlsFailure(e, info, plan) : undefined;
  if (tls) return tls;
  if (refusedWithoutTls(e)) {
    return new ConvergeError(
      'TLS_FAILED',
      `Postgres at ${where} refuses connections without TLS; set sslmode=verify-full (with sslrootcert) or at least sslmode=require`,
      { stage: 'config', host: info.host, port: info.port },
      { cause: e },
    );
  }
  if (code === '28P01' || code === '28000') {
    return new ConvergeError(
      'AUTH_FAILED',
      `Postgres refused the credentials for ${where} (${code}); check the user and password`,
      { stage: 'config' },
      { cause: e },
    );
  }
  if (code === '3D000') {
    return new ConvergeError(
      'CONNECT_FAILED',
      `Postgres database "${info.database}" does not exist on ${where}`,
      { stage: 'config' },
      { cause: e },
    );
  }
  const unreachable = unreachableMessage(e, info, 'Postgres');
  if (unreachable)
    return new ConvergeError(
      'CONNECT_FAILED',
      unreachable,
      { stage: 'config', host: info.host, port: info.port },
      { cause: e },
    );
  const msg = messageOf(e)
    .split(info.password ?? '\u0000')
    .join('****');
  return new ConvergeError(
    'CONNECT_FAILED',
    `cannot connect to Postgres at ${where}: ${code ?? msg}`,
    { stage: 'config' },
    { cause: e },
  );
}

/** The rows of a query the user wrote (a checklist item's), as column → value objects. */
export async function queryPgRows(pg: Client, sql: string): Promise<Array<Record<string, unknown>>> {
  return (await pg.query(sql)).rows;
}

/** Quotes an identifier for Postgres: mapping files name tables, never trusted as SQL. */
export function quotePg(ident: string): string {
  return `"${ident.replace(/"/g, '""')}"`;
}

/** schema.table or table, each part quoted. */
export function qualifiedPg(schema: string | undefined, table: string): string {
  return schema ? `${quotePg(schema)}.${quotePg(table)}` : quotePg(table);
}

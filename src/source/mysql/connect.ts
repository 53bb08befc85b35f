import { readFileSync } from 'node:fs';
import net from 'node:net';
import { checkServerIdentity, TLSSocket } from 'node:tls';
import mysql, { Connection, ConnectionOptions } from 'mysql2/promise';
import { authPlugins } from 'mysql2';
import { ConnectionInfo, describeConnection } from '../../core/connection-url';
import { ConvergeError, isConvergeError, messageOf } from '../../core/errors';
import {
  connectTimeoutMs,
  DEFAULT_STALL_TIMEOUT_MS,
  KEEPALIVE_DELAY_MS,
  lockWaitTimeoutS,
  SESSION_END_WAIT_MS,
  stallTimeoutMs,
  statementTimeoutMs,
  unreachableMessage,
} from '../../core/settings';
import { noTlsOnServer, TlsPlan, tlsFailure, tlsOptions, tlsPlan } from '../../core/tls';

export type MysqlConnection = Connection;

export interface MysqlConnectOptions {
  connectTimeoutMs?: number;
  multipleStatements?: boolean;
  /** Session statement limit (max_statement_time on MariaDB, max_execution_time on MySQL); 0 or absent: none. */
  statementTimeoutMs?: number;
  /** Session lock_wait_timeout and innodb_lock_wait_timeout, bounding the wait for the snapshot lock. */
  lockWaitTimeoutS?: number;
}

/**
 * Driver options for one attempt. For pools it never guesses: ssl-mode PREFERRED is clear text here
 * (the TLS-first attempt with fallback is openMysql's); REQUIRED and stronger are TLS, and mysql2
 * then refuses a server without TLS instead of downgrading.
 */
export function mysqlOptions(info: ConnectionInfo, opts: MysqlConnectOptions = {}): ConnectionOptions {
  const plan = tlsPlan(info);
  return mysqlAttemptOptions(info, opts, plan, plan.required);
}

function mysqlAttemptOptions(
  info: ConnectionInfo,
  opts: MysqlConnectOptions,
  plan: TlsPlan,
  encrypted: boolean,
): ConnectionOptions {
  const o: ConnectionOptions = {
    host: info.host,
    port: info.port,
    user: info.user,
    password: info.password,
    database: info.database,
    charset: 'utf8mb4_general_ci',
    connectTimeout: opts.connectTimeoutMs ?? connectTimeoutMs(info),
    supportBigNumbers: true,
    bigNumberStrings: true,
    dateStrings: true,
    decimalNumbers: false,
    multipleStatements: opts.multipleStatements ?? false,
    timezone: 'Z',
    // A peer that vanished (host down, cable cut) is noticed by the kernel instead of never.
    enableKeepAlive: true,
    keepAliveInitialDelay: KEEPALIVE_DELAY_MS,
  };
  if (encrypted) {
    const t = tlsOptions(info, plan);
    o.ssl = {
      ca: t.ca as Buffer | undefined,
      cert: t.cert as Buffer | undefined,
      key: t.key as Buffer | undefined,
      rejectUnauthorized: plan.verifyChain,
      verifyIdentity: plan.verifyHost,
    };
    if (plan.verifyHost && net.isIP(info.host)) o.stream = () => socketNamedFor(info.host, info.port);
  }
  const keyFile = info.params['server-public-key'];
  if (keyFile) {
    // MySQL 8 caching_sha2_password without TLS: encrypt the password with a key we trust
    // instead of one fetched from the server over the same unauthenticated channel.
    const serverPublicKey = readPublicKey(keyFile);
    o.authPlugins = {
      caching_sha2_password: authPlugins.caching_sha2_password({ serverPublicKey }),
      sha256_password: authPlugins.sha256_password({ serverPublicKey }),
    };
  }
  return o;
}

/**
 * mysql2 gives Node no server name for an IP address, and Node then checks the certificate
 * against "localhost": a certificate for 127.0.0.1 is refused and one for "localhost" accepted
 * for any address. Node falls back to the socket's _host before "localhost", so the socket
 * carries the address the operator asked for; verifiedPeer() re-checks it after connecting.
 */
function socketNamedFor(host: string, port: number): net.Socket {
  const socket = net.connect(port, host);
  socket.setNoDelay(true);
  (socket as net.Socket & { _host?: string })._host = host;
  return socket;
}

function readPublicKey(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConvergeError(
      'CONFIG_INVALID',
      `cannot read server-public-key file ${file}: ${messageOf(e)}`,
      { stage: 'config', key: 'server-public-key', file },
      { cause: e },
    );
  }
}

const stallLimits = new WeakMap<object, number>();

/** The progress watchdog's limit for a connection's reads (stall_timeout_ms of its URL). */
export function stallLimitOf(conn: MysqlConnection): number {
  return stallLimits.get(conn) ?? DEFAULT_STALL_TIMEOUT_MS;
}

/**
 * Opens one connection; failures name the server (never the password) and say what to check.
 * ssl-mode PREFERRED (the default) tries TLS first and falls back to clear text only when the
 * server offers no TLS; REQUIRED and stronger never fall back.
 */
export async function openMysql(info: ConnectionInfo, opts: MysqlConnectOptions = {}): Promise<MysqlConnection> {
  const plan = tlsPlan(info);
  const attempts =
    plan.level === 'disable' || plan.level === 'allow' ? [false] : plan.level === 'prefer' ? [true, false] : [true];
  let conn: MysqlConnection | undefined;
  for (let i = 0; !conn; i++) {
    try {
      conn = await mysql.createConnection(mysqlAttemptOptions(info, opts, plan, attempts[i]));
    } catch (e) {
      if (i + 1 < attempts.length && noTlsOnServer(e)) continue;
      throw mysqlConnectError(e, info, plan);
    }
  }
  boundEnd(conn);
  try {
    if (plan.verifyHost) verifiedPeer(conn, info, plan);
    await applyMysqlSession(conn, info, opts);
    stallLimits.set(conn, stallTimeoutMs(info));
    return conn;
  } catch (e) {
    // Closing after use or after a failure: a close error would only hide the real outcome.
    await conn.end().catch(() => undefined);
    throw e;
  }
}

/**
 * end() only writes COM_QUIT: the socket stays open until the server closes it, which over a
 * frozen path (a proxy that stops forwarding) is never, and one open socket keeps the command
 * from exiting after it reported its error. Bounded here, once for all callers, as Postgres
 * sessions' end() is: the socket is cut when the server has not closed it in time.
 */
function boundEnd(conn: MysqlConnection): void {
  const end = conn.end.bind(conn);
  conn.end = () =>
    new Promise<void>((resolve, reject) => {
      const stream = (conn as unknown as { connection: { stream?: net.Socket } }).connection.stream;
      const cut = setTimeout(() => {
        severMysql(conn);
        resolve();
      }, SESSION_END_WAIT_MS);
      cut.unref();
      stream?.once('close', () => clearTimeout(cut));
      end().then(resolve, (e) => (clearTimeout(cut), reject(e)));
    });
}

/**
 * Cuts a connection's socket at once (a read that stalled or was left half-way). mysql2's
 * destroy() only marks the connection closing and half-closes the socket: a frozen path never
 * answers that, and the open socket would keep the command alive after its error.
 */
export function severMysql(conn: MysqlConnection): void {
  conn.destroy();
  (conn as unknown as { connection: { stream?: net.Socket } }).connection.stream?.destroy();
}

/** Belt and braces for VERIFY_IDENTITY: the certificate must name the host we were given. */
function verifiedPeer(conn: MysqlConnection, info: ConnectionInfo, plan: TlsPlan): void {
  const stream = (conn as unknown as { connection: { stream: unknown } }).connection.stream;
  const socket = stream instanceof TLSSocket ? stream : undefined;
  const problem = socket
    ? checkServerIdentity(info.host, socket.getPeerCertificate())
    : new Error('the connection is not encrypted');
  if (problem)
    throw (
      tlsFailure(problem, info, plan) ??
      new ConvergeError('TLS_FAILED', `${describeConnection(info)}: ${problem.message}`, { stage: 'config' })
    );
}

/** The rows of a query the user wrote (a checklist item's), as column → value objects. */
export async function queryMysqlRows(conn: MysqlConnection, sql: string): Promise<Array<Record<string, unknown>>> {
  return (await conn.query(sql))[0] as Array<Record<string, unknown>>;
}

/** The server's VERSION() text ("10.11.6-MariaDB", "8.0.36"). */
export async function mysqlServerVersion(conn: MysqlConnection): Promise<string> {
  const [rows] = await conn.query('SELECT VERSION() AS v');
  return String((rows as Array<{ v: string }>)[0].v);
}

/** Reads TIMESTAMP columns in UTC for the rest of the session. */
export async function useMysqlUtc(conn: MysqlConnection): Promise<void> {
  await conn.query("SET SESSION time_zone = '+00:00'");
}

/** Session time-outs from the options or the URL; pools call this for each new connection. */
export async function applyMysqlSession(
  conn: MysqlConnection,
  info: ConnectionInfo,
  opts: MysqlConnectOptions = {},
): Promise<void> {
  const lockWait = opts.lockWaitTimeoutS ?? lockWaitTimeoutS(info);
  const statement = opts.statementTimeoutMs ?? statementTimeoutMs(info);
  try {
    if (lockWait) {
      const s = Math.max(1, Math.round(lockWait));
      await conn.query('SET SESSION lock_wait_timeout = ?, SESSION innodb_lock_wait_timeout = ?', [s, s]);
    }
    if (statement) {
      const [rows] = await conn.query('SELECT VERSION() AS v');
      const mariadb = /mariadb/i.test(String((rows as Array<{ v: string }>)[0]?.v));
      // MariaDB limits every statement (seconds, fractional); MySQL only limits SELECTs (ms).
      if (mariadb) await conn.query('SET SESSION max_statement_time = ?', [statement / 1000]);
      else await conn.query('SET SESSION max_execution_time = ?', [Math.round(statement)]);
    }
  } catch (e) {
    throw new ConvergeError(
      'CONNECT_FAILED',
      `cannot set session time-outs on ${describeConnection(info)}: ${messageOf(e)}`,
      { stage: 'config' },
      { cause: e },
    );
  }
}

export function mysqlConnectError(e: unknown, info: ConnectionInfo, plan?: TlsPlan): ConvergeError {
  // converge's own refusal before the driver ran (a CA file it cannot read, a bad setting) keeps
  // its code and message: its code is no driver error code.
  if (isConvergeError(e)) return e;
  const code = (e as { code?: string }).code;
  const where = describeConnection(info);
  const tls = plan && plan.level !== 'disable' ? tlsFailure(e, info, plan) : undefined;
  if (tls) return tls;
  if (code === 'ER_SECURE_TRANSPORT_REQUIRED' || /insecure transport are prohibited/i.test(messageOf(e))) {
    return new ConvergeError(
      'TLS_FAILED',
      `MySQL at ${where} refuses connections without TLS; set ssl-mode=VERIFY_IDENTITY (with ssl-ca) or at least ssl-mode=REQUIRED`,
      { stage: 'config', host: info.host, port: info.port },
      { cause: e },
    );
  }
  // 1698 (ER_ACCESS_DENIED_NO_PASSWORD_ERROR): MariaDB's root over unix_socket auth, asked with a password or over TCP.
  if (
    code === 'ER_ACCESS_DENIED_ERROR' ||
    code === 'ER_DBACCESS_DENIED_ERROR' ||
    (e as { errno?: number }).errno === 1698
  ) {
    // MariaDB answers require_secure_transport and REQUIRE SSL users with a plain "access denied".
    const hint =
      (e as { errno?: number }).errno === 1698
        ? ": this user signs in through the server's socket (unix_socket), which a network connection cannot use; give converge a user with a password"
        : plan && !plan.required
          ? ', and since this connection was not encrypted, whether the server or user requires TLS (then set ssl-mode=VERIFY_IDENTITY with ssl-ca, or at least ssl-mode=REQUIRED)'
          : '';
    return new ConvergeError(
      'AUTH_FAILED',
      `MySQL refused the credentials for ${where} (${code}); check the user and password${hint}`,
      { stage: 'config' },
      { cause: e },
    );
  }
  if (code === 'ER_BAD_DB_ERROR') {
    return new ConvergeError(
      'CONNECT_FAILED',
      `MySQL database "${info.database}" does not exist on ${where}`,
      { stage: 'config' },
      { cause: e },
    );
  }
  const unreachable = unreachableMessage(e, info, 'MySQL');
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
    `cannot connect to MySQL at ${where}: ${code ?? msg}`,
    { stage: 'config' },
    { cause: e },
  );
}

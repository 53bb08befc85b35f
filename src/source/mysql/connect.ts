import mysql, { Connection, ConnectionOptions } from 'mysql2/promise';
import { ConnectionInfo, describeConnection } from '../../core/connection-url';
import { ConvergeError, messageOf } from '../../core/errors';

export type MysqlConnection = Connection;

export interface MysqlConnectOptions {
  connectTimeoutMs?: number;
  /** Return every value as the server's text (or bytes for binary columns): no lossy JS numbers or dates. */
  rawValues?: boolean;
  multipleStatements?: boolean;
}

export function mysqlOptions(info: ConnectionInfo, opts: MysqlConnectOptions = {}): ConnectionOptions {
  const o: ConnectionOptions = {
    host: info.host,
    port: info.port,
    user: info.user,
    password: info.password,
    database: info.database,
    charset: 'utf8mb4_general_ci',
    connectTimeout: opts.connectTimeoutMs ?? Number(info.params['connect_timeout'] ?? 10) * 1000,
    supportBigNumbers: true,
    bigNumberStrings: true,
    dateStrings: true,
    decimalNumbers: false,
    multipleStatements: opts.multipleStatements ?? false,
    timezone: 'Z',
  };
  return o;
}

/** Opens one connection; failures name the server (never the password) and say what to check. */
export async function openMysql(info: ConnectionInfo, opts: MysqlConnectOptions = {}): Promise<MysqlConnection> {
  try {
    return await mysql.createConnection(mysqlOptions(info, opts));
  } catch (e) {
    throw mysqlConnectError(e, info);
  }
}

export function mysqlConnectError(e: unknown, info: ConnectionInfo): ConvergeError {
  const code = (e as { code?: string }).code;
  const where = describeConnection(info);
  if (code === 'ER_ACCESS_DENIED_ERROR' || code === 'ER_DBACCESS_DENIED_ERROR') {
    return new ConvergeError('AUTH_FAILED', `MySQL refused the credentials for ${where} (${code}); check the user and password`, { stage: 'config' }, { cause: e });
  }
  if (code === 'ER_BAD_DB_ERROR') {
    return new ConvergeError('CONNECT_FAILED', `MySQL database "${info.database}" does not exist on ${where}`, { stage: 'config' }, { cause: e });
  }
  const msg = messageOf(e).split(info.password ?? '\u0000').join('****');
  return new ConvergeError('CONNECT_FAILED', `cannot connect to MySQL at ${where}: ${code ?? msg}`, { stage: 'config' }, { cause: e });
}

import { Client, ClientConfig } from 'pg';
import { ConnectionInfo, describeConnection } from '../../core/connection-url';
import { ConvergeError, messageOf } from '../../core/errors';

export interface PgConnectOptions {
  connectTimeoutMs?: number;
  applicationName?: string;
}

export function pgConfig(info: ConnectionInfo, opts: PgConnectOptions = {}): ClientConfig {
  return {
    host: info.host,
    port: info.port,
    user: info.user,
    password: info.password,
    database: info.database ?? 'postgres',
    connectionTimeoutMillis: opts.connectTimeoutMs ?? Number(info.params['connect_timeout'] ?? 10) * 1000,
    application_name: opts.applicationName ?? 'converge',
  };
}

/** Opens one dedicated client (COPY needs its own). The caller ends it in `finally`. */
export async function openPg(info: ConnectionInfo, opts: PgConnectOptions = {}): Promise<Client> {
  const client = new Client(pgConfig(info, opts));
  // An idle client whose server goes away emits 'error'; without a listener that kills the process.
  client.on('error', () => undefined);
  try {
    await client.connect();
    return client;
  } catch (e) {
    await client.end().catch(() => undefined);
    throw pgConnectError(e, info);
  }
}

export function pgConnectError(e: unknown, info: ConnectionInfo): ConvergeError {
  const code = (e as { code?: string }).code;
  const where = describeConnection(info);
  if (code === '28P01' || code === '28000') {
    return new ConvergeError('AUTH_FAILED', `Postgres refused the credentials for ${where} (${code}); check the user and password`, { stage: 'config' }, { cause: e });
  }
  if (code === '3D000') {
    return new ConvergeError('CONNECT_FAILED', `Postgres database "${info.database}" does not exist on ${where}`, { stage: 'config' }, { cause: e });
  }
  const msg = messageOf(e).split(info.password ?? '\u0000').join('****');
  return new ConvergeError('CONNECT_FAILED', `cannot connect to Postgres at ${where}: ${code ?? msg}`, { stage: 'config' }, { cause: e });
}

/** Quotes an identifier for Postgres: mapping files name tables, never trusted as SQL. */
export function quotePg(ident: string): string {
  return `"${ident.replace(/"/g, '""')}"`;
}

/** schema.table or table, each part quoted. */
export function qualifiedPg(schema: string | undefined, table: string): string {
  return schema ? `${quotePg(schema)}.${quotePg(table)}` : quotePg(table);
}

import { ConnectionInfo, withDatabase } from '../../core/connection-url';
import { openMysql } from './connect';
import { quoteMysql } from './quote';
import { mysqlDataBytes } from './server-facts';

/**
 * Scratch MySQL databases (rehearsals, baseline generation and the demo: never a real source)
 * and the measurements a rehearsal takes of one.
 */

async function onServer<T>(server: ConnectionInfo, work: (c: Awaited<ReturnType<typeof openMysql>>) => Promise<T>) {
  const c = await openMysql(withDatabase(server, undefined));
  try {
    return await work(c);
  } finally {
    // Closing after use or after a failure: a close error would only hide the real outcome.
    await c.end().catch(() => undefined);
  }
}

const CREATE = (name: string) => `CREATE DATABASE ${quoteMysql(name)} CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci`;

export async function createMysqlDatabase(server: ConnectionInfo, name: string): Promise<void> {
  await onServer(server, (c) => c.query(CREATE(name)));
}

export async function dropMysqlDatabase(server: ConnectionInfo, name: string): Promise<void> {
  await onServer(server, (c) => c.query(`DROP DATABASE IF EXISTS ${quoteMysql(name)}`));
}

/** Drops and re-creates a scratch database. */
export async function recreateMysqlDatabase(server: ConnectionInfo, name: string): Promise<void> {
  await onServer(server, async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${quoteMysql(name)}`);
    await c.query(CREATE(name));
  });
}

/** Up to `limit` base tables of the database `info` names (a scratch database must have none). */
export async function someMysqlTables(info: ConnectionInfo, limit = 5): Promise<string[]> {
  return onServer(info, async (c) => {
    const [rows] = await c.query(
      "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = ? AND table_type = 'BASE TABLE' ORDER BY 1 LIMIT ?",
      [info.database, limit],
    );
    return (rows as Array<{ name: string }>).map((r) => r.name);
  });
}

/**
 * The data bytes (DATA_LENGTH) of a database's base tables except `exclude`: the size a
 * rehearsal's prediction is measured in. `analyze` refreshes InnoDB's statistics first (a source
 * seeded a moment ago); a staging copy is only read.
 */
export async function measureDataBytes(
  source: ConnectionInfo,
  exclude: string[] = [],
  analyze = false,
): Promise<number> {
  return onServer(source, async (conn) => {
    const before = await mysqlDataBytes(conn, source.database!);
    const names = [...before.keys()].filter((n) => !exclude.includes(n));
    if (!analyze) return names.reduce((n, t) => n + before.get(t)!, 0);
    for (const name of names) await conn.query(`ANALYZE TABLE ${quoteMysql(source.database!)}.${quoteMysql(name)}`);
    const after = await mysqlDataBytes(conn, source.database!);
    return names.reduce((n, t) => n + (after.get(t) ?? 0), 0);
  });
}

/** innodb_buffer_pool_size: how much data the server reads from memory rather than disk. */
export async function mysqlCacheBytes(server: ConnectionInfo): Promise<number> {
  return onServer(server, async (conn) => {
    const [rows] = await conn.query('SELECT @@innodb_buffer_pool_size AS bytes');
    return Number((rows as Array<{ bytes: number | string }>)[0].bytes);
  });
}

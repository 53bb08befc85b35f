import { ConnectionInfo, withDatabase } from '../../core/connection-url';
import { openPg, PgSession, quotePg } from './connect';

/** Scratch Postgres databases (rehearsals, baseline generation and the demo: never a real target). */

async function on<T>(info: ConnectionInfo, appName: string, work: (c: PgSession) => Promise<T>): Promise<T> {
  const c = await openPg(info, { applicationName: appName });
  try {
    return await work(c);
  } finally {
    // Closing after use or after a failure: a close error would only hide the real outcome.
    await c.end().catch(() => undefined);
  }
}

const admin = (server: ConnectionInfo) => withDatabase(server, 'postgres');

export async function createPgDatabase(server: ConnectionInfo, name: string, appName = 'converge'): Promise<void> {
  await on(admin(server), appName, (c) => c.query(`CREATE DATABASE ${quotePg(name)}`));
}

export async function dropPgDatabase(server: ConnectionInfo, name: string, appName = 'converge'): Promise<void> {
  await on(admin(server), appName, (c) => c.query(`DROP DATABASE IF EXISTS ${quotePg(name)} WITH (FORCE)`));
}

/** Drops and re-creates a scratch database. */
export async function recreatePgDatabase(server: ConnectionInfo, name: string): Promise<void> {
  await on(admin(server), 'converge', async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${quotePg(name)} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${quotePg(name)}`);
  });
}

/** Up to `limit` user tables of the database `info` names (a scratch database must have none). */
export async function somePgTables(info: ConnectionInfo, limit = 5): Promise<string[]> {
  return on(info, 'converge', async (c) => {
    const { rows } = await c.query(
      `SELECT table_schema || '.' || table_name AS name FROM information_schema.tables
       WHERE table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1 LIMIT $1`,
      [limit],
    );
    return rows.map((r: { name: string }) => r.name);
  });
}

/**
 * Empties a scratch target: every schema is dropped except `keep` (converge's own, whose run
 * history later rehearsals compare with); public is re-created empty. The database is created
 * when missing. Scratch databases only: never point this at a real target.
 */
export async function resetScratchPg(server: ConnectionInfo, database: string, keep: string): Promise<void> {
  await on(admin(server), 'converge rehearse', async (c) => {
    const { rowCount } = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (!rowCount) await c.query(`CREATE DATABASE ${quotePg(database)}`);
  });
  await on(withDatabase(server, database), 'converge rehearse', async (c) => {
    const { rows } = await c.query(
      "SELECT nspname FROM pg_namespace WHERE nspname <> $1 AND nspname <> 'information_schema' AND nspname NOT LIKE 'pg\\_%' ORDER BY 1",
      [keep],
    );
    for (const r of rows) await c.query(`DROP SCHEMA ${quotePg(r.nspname)} CASCADE`);
    await c.query('CREATE SCHEMA public');
  });
}

import { ConnectionInfo, withDatabase } from '../core/connection-url';
import { openMysql } from '../source/mysql/connect';
import { quoteMysql } from '../source/mysql/quote';
import { openPg, quotePg } from '../target/postgres/connect';
import { RUN_SCHEMA } from '../run/run-recorder';

/**
 * Empties a scratch target for a rehearsal: every schema is dropped except converge's own, whose
 * run history is what later rehearsals compare with; public is re-created empty. The database is
 * created when missing. Scratch databases only: never point this at a real target.
 */
export async function resetScratchTarget(server: ConnectionInfo, database: string): Promise<void> {
  const admin = await openPg(withDatabase(server, 'postgres'), { applicationName: 'converge rehearse' });
  try {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (!rowCount) await admin.query(`CREATE DATABASE ${quotePg(database)}`);
  } finally {
    // Closing after use or after a failure: a close error would only hide the real outcome.
    await admin.end().catch(() => undefined);
  }
  const c = await openPg(withDatabase(server, database), { applicationName: 'converge rehearse' });
  try {
    const { rows } = await c.query(
      "SELECT nspname FROM pg_namespace WHERE nspname <> $1 AND nspname <> 'information_schema' AND nspname NOT LIKE 'pg\\_%' ORDER BY 1",
      [RUN_SCHEMA],
    );
    for (const r of rows) await c.query(`DROP SCHEMA ${quotePg(r.nspname)} CASCADE`);
    await c.query('CREATE SCHEMA public');
  } finally {
    // Closing after use or after a failure: a close error would only hide the real outcome.
    await c.end().catch(() => undefined);
  }
}

/**
 * Rows (counted exactly; information_schema only estimates) and data bytes (DATA_LENGTH, after
 * ANALYZE TABLE so the statistics reflect the seeded rows) of a scratch MySQL database's tables;
 * undefined when the database does not exist.
 */
export async function measureSource(
  source: ConnectionInfo,
  exclude: string[] = [],
): Promise<{ rows: number; bytes: number } | undefined> {
  const conn = await openMysql(withDatabase(source, undefined));
  try {
    const [dbs] = await conn.query('SELECT 1 FROM information_schema.schemata WHERE schema_name = ?', [
      source.database,
    ]);
    if ((dbs as unknown[]).length === 0) return undefined;
    const [tables] = await conn.query(
      "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = ? AND table_type = 'BASE TABLE'",
      [source.database],
    );
    const names = (tables as Array<{ name: string }>).map((t) => t.name).filter((n) => !exclude.includes(n));
    let rows = 0;
    for (const name of names) {
      const table = `${quoteMysql(source.database!)}.${quoteMysql(name)}`;
      const [counted] = await conn.query(`SELECT COUNT(*) AS n FROM ${table}`);
      rows += Number((counted as Array<{ n: number }>)[0].n);
      await conn.query(`ANALYZE TABLE ${table}`);
    }
    const [sizes] = await conn.query(
      'SELECT table_name AS name, COALESCE(data_length, 0) AS bytes FROM information_schema.tables WHERE table_schema = ?',
      [source.database],
    );
    const bytes = (sizes as Array<{ name: string; bytes: number | string }>)
      .filter((t) => names.includes(t.name))
      .reduce((n, t) => n + Number(t.bytes), 0);
    return { rows, bytes };
  } finally {
    // Closing after use or after a failure: a close error would only hide the real outcome.
    await conn.end().catch(() => undefined);
  }
}

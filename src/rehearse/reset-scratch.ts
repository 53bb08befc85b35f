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

/** Rows per table of a MySQL database, counted exactly (information_schema only estimates). */
export async function countSourceRows(source: ConnectionInfo, exclude: string[] = []): Promise<number | undefined> {
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
    let n = 0;
    for (const t of tables as Array<{ name: string }>) {
      if (exclude.includes(t.name)) continue;
      const [rows] = await conn.query(
        `SELECT COUNT(*) AS n FROM ${quoteMysql(source.database!)}.${quoteMysql(t.name)}`,
      );
      n += Number((rows as Array<{ n: number }>)[0].n);
    }
    return n;
  } finally {
    // Closing after use or after a failure: a close error would only hide the real outcome.
    await conn.end().catch(() => undefined);
  }
}

import { ConnectionInfo, withDatabase } from '../../core/connection-url';
import { openPg, PgSession, quotePg } from './connect';
import { missingTables, truncateTables } from './run-tables';

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

/** What a rehearsal must know of a target before it may reset it. */
export interface TargetBeforeReset {
  exists: boolean;
  /** Base tables outside converge's own schema. */
  tables: number;
  /** Every run of converge's history there (any pipeline), with what its events say it was. */
  runs: Array<{
    id: string;
    pipeline: string;
    status: string;
    endedAt: string | null;
    /** A rehearsal recorded itself in the run (rehearsal.completed or rehearsal.sample). */
    rehearsal: boolean;
    /** An online switch completed (converge cutover). */
    cutover: boolean;
    /** The run loaded tables. */
    loaded: boolean;
  }>;
}

/** Reads, without changing anything, whether the database exists, holds tables and which runs it records. */
export async function inspectTargetBeforeReset(info: ConnectionInfo, runSchema: string): Promise<TargetBeforeReset> {
  const exists = await on(admin(info), 'converge rehearse', async (c) => {
    const { rowCount } = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [info.database]);
    return !!rowCount;
  });
  if (!exists) return { exists, tables: 0, runs: [] };
  return on(info, 'converge rehearse', async (c) => {
    const { rows: counted } = await c.query(
      `SELECT count(*)::int AS n FROM pg_class k JOIN pg_namespace n ON n.oid = k.relnamespace
        WHERE k.relkind IN ('r', 'p') AND n.nspname <> $1 AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%'`,
      [runSchema],
    );
    const { rows: has } = await c.query('SELECT to_regclass($1) IS NOT NULL AS ok', [
      `${quotePg(runSchema)}.run_events`,
    ]);
    if (!has[0].ok) return { exists, tables: counted[0].n as number, runs: [] };
    const s = quotePg(runSchema);
    const { rows } = await c.query(
      `SELECT r.id::text AS id, r.pipeline, r.status::text AS status, r.ended_at,
              coalesce(bool_or(e.kind IN ('rehearsal.completed', 'rehearsal.sample')), false) AS rehearsal,
              coalesce(bool_or(e.kind = 'cutover.completed'), false) AS cutover,
              coalesce(bool_or(e.kind = 'table.loaded'), false) AS loaded
         FROM ${s}.runs r LEFT JOIN ${s}.run_events e ON e.run_id = r.id
        GROUP BY r.id ORDER BY r.started_at`,
    );
    return {
      exists,
      tables: counted[0].n as number,
      runs: rows.map((r) => ({
        id: r.id as string,
        pipeline: r.pipeline as string,
        status: r.status as string,
        endedAt: r.ended_at ? new Date(r.ended_at).toISOString() : null,
        rehearsal: r.rehearsal === true,
        cutover: r.cutover === true,
        loaded: r.loaded === true,
      })),
    };
  });
}

/**
 * Empties the tables a load writes ("schema.table" keys; those that do not exist are left to the
 * load to report), in one TRUNCATE so foreign keys between them hold: the reset of a scratch
 * target whose schema the application applied (the pipeline has no migrations to re-apply).
 * Returns the tables emptied.
 */
export async function emptyScratchTables(info: ConnectionInfo, keys: string[]): Promise<string[]> {
  return on(info, 'converge rehearse', async (c) => {
    const missing = new Set(await missingTables(c, keys));
    const present = keys.filter((k) => !missing.has(k));
    if (present.length) await truncateTables(c, present);
    return present;
  });
}

/** Empties a scratch target named by `info` (creating it when missing): see resetScratchPg. */
export async function resetScratchTarget(info: ConnectionInfo, keep: string): Promise<void> {
  await resetScratchPg(withDatabase(info, undefined), info.database!, keep);
}

/** shared_buffers: how much data the server keeps in its own cache. */
export async function pgCacheBytes(info: ConnectionInfo): Promise<number> {
  return on(info, 'converge rehearse', async (c) => {
    const { rows } = await c.query("SELECT pg_size_bytes(current_setting('shared_buffers'))::bigint AS bytes");
    return Number(rows[0].bytes);
  });
}

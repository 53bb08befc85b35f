import type { Logger } from 'pino';
import { ConnectionInfo, withDatabase } from '../src/core/connection-url';
import { openMysql } from '../src/source/mysql/connect';
import { quoteMysql } from '../src/source/mysql/quote';
import { applyMigrations } from '../src/schema/apply-migrations';
import { Pipeline, pipelinePath } from '../src/pipeline/load-pipeline';
import {
  addKeysSql,
  BenchTable,
  BENCH_TABLES,
  chunkInsert,
  DEFERRED_KEYS,
  dropKeysSql,
  DROP_NUMBERS_SQL,
  generationPlan,
  NUMBERS_TABLE_SQL,
} from './dataset';

/** Row counts of the bench tables in the source, or undefined when the database or a table is missing. */
export async function sourceRowCounts(
  server: ConnectionInfo,
  database: string,
): Promise<Record<BenchTable, number> | undefined> {
  const conn = await openMysql(withDatabase(server, undefined));
  try {
    const out: Partial<Record<BenchTable, number>> = {};
    for (const t of BENCH_TABLES) {
      const [rows] = await conn
        .query(`SELECT COUNT(*) AS n FROM ${quoteMysql(database)}.${quoteMysql(t)}`)
        .catch(() => [undefined]);
      if (!rows) return undefined;
      out[t] = Number((rows as Array<{ n: number }>)[0].n);
    }
    return out as Record<BenchTable, number>;
  } finally {
    await conn.end().catch(() => undefined);
  }
}

/**
 * Recreates the source database from the pipeline's MySQL migrations and fills it on the server
 * with INSERT … SELECT, `jobs` chunks at a time (parents first). Returns the seconds it took.
 */
export async function generateSource(o: {
  server: ConnectionInfo;
  pipeline: Pipeline;
  rows: Record<BenchTable, number>;
  jobs: number;
  log: Logger;
}): Promise<number> {
  const started = Date.now();
  const db = o.pipeline.source.database;
  const admin = await openMysql(withDatabase(o.server, undefined));
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${quoteMysql(db)}`);
    await admin.query(`CREATE DATABASE ${quoteMysql(db)} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  } finally {
    await admin.end().catch(() => undefined);
  }
  const source = withDatabase(o.server, db);
  await applyMigrations({
    dialect: 'mysql',
    connection: source,
    dir: pipelinePath(o.pipeline, o.pipeline.source.migrations!),
    tracking: o.pipeline.source.tracking!,
  });
  const conns = await Promise.all(Array.from({ length: Math.max(1, o.jobs) }, () => openMysql(source)));
  try {
    for (const c of conns) {
      // Zero dates are part of the data; the rows are consistent by construction, so skip FK checks.
      // INSERT … SELECT holds the table's AUTO_INCREMENT lock for the whole statement, so the
      // other connection may wait for a chunk of the same table: longer than converge's default.
      await c.query(
        "SET SESSION sql_mode = 'NO_ENGINE_SUBSTITUTION', foreign_key_checks = 0, unique_checks = 0, innodb_lock_wait_timeout = 3600, lock_wait_timeout = 3600",
      );
    }
    for (const sql of NUMBERS_TABLE_SQL) await conns[0].query(sql);
    for (const k of DEFERRED_KEYS) await conns[0].query(dropKeysSql(k));
    const plan = generationPlan(o.rows);
    // Parents complete before any child chunk starts, so a reader never sees a dangling reference.
    for (const phase of [plan.filter((c) => c.table === 'accounts'), plan.filter((c) => c.table !== 'accounts')]) {
      const queue = [...phase];
      await Promise.all(
        conns.map(async (c) => {
          for (let job = queue.shift(); job; job = queue.shift()) {
            await retryDeadlock(() => c.query(chunkInsert(job.table, job.first, job.count, o.rows.accounts)));
            o.log.debug({ table: job.table, first: job.first, rows: job.count }, 'generated');
          }
        }),
      );
    }
    await conns[0].query(DROP_NUMBERS_SQL);
    // Built by sorting, one table per connection; foreign_key_checks = 0 skips re-checking rows
    // that reference accounts by construction.
    await Promise.all(DEFERRED_KEYS.map((k, i) => conns[i % conns.length].query(addKeysSql(k))));
    for (const t of BENCH_TABLES) await conns[0].query(`ANALYZE TABLE ${quoteMysql(t)}`);
  } finally {
    for (const c of conns) await c.end().catch(() => undefined);
  }
  return (Date.now() - started) / 1000;
}

/**
 * Two INSERT … SELECT chunks of one table can deadlock in InnoDB (gap and AUTO_INCREMENT locks);
 * the loser's statement is rolled back whole, so running it again is safe and is the remedy
 * InnoDB's error message itself prescribes.
 */
async function retryDeadlock<T>(run: () => Promise<T>, attempts = 5): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await run();
    } catch (e) {
      if ((e as { errno?: number }).errno !== 1213 || i >= attempts) throw e;
      await new Promise((r) => setTimeout(r, 100 * i));
    }
  }
}

import { ConvergeError, messageOf } from '../core/errors';
import { MysqlConnection } from '../source/mysql/connect';
import { quoteMysql } from '../source/mysql/quote';
import { DEFAULT_KRATOS_SEED } from './kratos-hard-values';
import { EXTRA_CREDENTIAL_TYPES } from './kratos-hard-strings';
import { KratosSeedContext } from './kratos-seed-context';
import { KRATOS_SEED_TABLES, SeedTableSpec } from './kratos-seed-tables';

export { DEFAULT_KRATOS_SEED, KRATOS_HARD_VALUES, kratosHardValues } from './kratos-hard-values';
export type { KratosHardValue } from './kratos-hard-values';

export interface SeedKratosOptions {
  /** Number of identities (at least 8 are written so every hard value has its row); ~10 rows each in all. */
  scale: number;
  /** Same seed, same rows, byte for byte. */
  seed?: number;
  /** Called after every batch with the rows written so far to that table. */
  onProgress?: (table: string, rows: number) => void;
}

/** About 24 000 values per statement: large enough to amortise round trips, far below max_allowed_packet. */
const VALUES_PER_STATEMENT = 24000;

/**
 * Fills an empty Kratos MySQL schema (migrations/kratos/mysql applied) with deterministic rows
 * that exercise every trap of a MySQL → Postgres copy. Foreign keys stay checked; every INSERT
 * is a multi-row statement with bound values committed on its own.
 * Returns the rows inserted per table (identity_credential_types: 0, the migration seeds it).
 */
export async function seedKratos(conn: MysqlConnection, opts: SeedKratosOptions): Promise<Record<string, number>> {
  if (!Number.isInteger(opts.scale) || opts.scale < 1) {
    throw new ConvergeError('USAGE', `seed scale must be a positive integer, got ${opts.scale}`, {
      stage: 'demo',
      key: 'scale',
    });
  }
  const ctx = new KratosSeedContext(opts.seed ?? DEFAULT_KRATOS_SEED, opts.scale, await readCredentialTypes(conn));
  const [tzRows] = await conn.query('SELECT @@session.time_zone AS tz');
  const previousTz = String((tzRows as Array<{ tz: string }>)[0].tz);
  // TIMESTAMP columns store what the session zone says: pin it so the same seed gives the same instants.
  await conn.query("SET time_zone = '+00:00'");
  const inserted: Record<string, number> = { identity_credential_types: 0 };
  try {
    for (const spec of KRATOS_SEED_TABLES) inserted[spec.table] = await insertTable(conn, spec, ctx, opts.onProgress);
  } finally {
    await conn.query('SET time_zone = ?', [previousTz]).catch(() => undefined);
  }
  return inserted;
}

async function readCredentialTypes(conn: MysqlConnection): Promise<Record<string, string>> {
  let rows: Array<{ id: string; name: string }>;
  try {
    rows = (await conn.query('SELECT id, name FROM identity_credential_types'))[0] as Array<{
      id: string;
      name: string;
    }>;
  } catch (e) {
    throw new ConvergeError(
      'CONFIG_INVALID',
      `cannot read identity_credential_types (${messageOf(e)}); apply migrations/kratos/mysql first`,
      { stage: 'demo', table: 'identity_credential_types' },
      { cause: e },
    );
  }
  const byName: Record<string, string> = {};
  for (const r of rows) byName[r.name] = r.id;
  const missing = ['password', ...EXTRA_CREDENTIAL_TYPES].filter((n) => !byName[n]);
  if (missing.length) {
    throw new ConvergeError(
      'CONFIG_INVALID',
      `identity_credential_types lacks ${missing.join(', ')}; apply migrations/kratos/mysql first`,
      { stage: 'demo', table: 'identity_credential_types' },
    );
  }
  return byName;
}

async function insertTable(
  conn: MysqlConnection,
  spec: SeedTableSpec,
  ctx: KratosSeedContext,
  onProgress?: (table: string, rows: number) => void,
): Promise<number> {
  const total = ctx.counts[spec.table];
  const perStatement = Math.max(100, Math.min(2000, Math.floor(VALUES_PER_STATEMENT / spec.columns.length)));
  const head = `INSERT INTO ${quoteMysql(spec.table)} (${spec.columns.map((c) => quoteMysql(c)).join(', ')}) VALUES `;
  const tuple = `(${spec.columns.map(() => '?').join(',')})`;
  const fullSql = head + Array(perStatement).fill(tuple).join(',');
  const rng = ctx.prng(spec.table);

  const build = (from: number): { sql: string; values: unknown[]; rows: number } => {
    const to = Math.min(total, from + perStatement);
    const values: unknown[] = [];
    for (let k = from; k < to; k++) {
      const row = spec.row(k, ctx, rng);
      for (let i = 0; i < row.length; i++) values.push(row[i]);
    }
    const rows = to - from;
    return { sql: rows === perStatement ? fullSql : head + Array(rows).fill(tuple).join(','), values, rows };
  };

  let done = 0;
  let next = build(0);
  while (next.rows > 0) {
    const batch = next;
    const pending = conn.query(batch.sql, batch.values);
    // Build the following batch while the server works on this one.
    next = done + batch.rows < total ? build(done + batch.rows) : { sql: '', values: [], rows: 0 };
    try {
      await pending;
    } catch (e) {
      const err = e as { code?: string; sqlMessage?: string };
      throw new ConvergeError(
        'LOAD_REJECTED',
        `seeding ${spec.table} rows ${done + 1}..${done + batch.rows} failed: ${err.sqlMessage ?? messageOf(e)}`,
        { stage: 'demo', table: spec.table, detail: err.code },
        { cause: e },
      );
    }
    done += batch.rows;
    onProgress?.(spec.table, done);
  }
  return done;
}

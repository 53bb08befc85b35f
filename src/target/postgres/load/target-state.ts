import type { Client } from 'pg';
import { ConvergeError } from '../../../core/errors';
import type { PgCatalog } from '../catalog';
import { qualifiedPg, quotePg } from '../connect';
import { statementTimedOut } from './load-error';

/** Rows a target table holds now; an unreadable table is a clear error with the grant to add. */
export async function countRows(client: Client, schema: string, table: string): Promise<number> {
  try {
    const { rows } = await client.query(`SELECT count(*)::bigint AS n FROM ${qualifiedPg(schema, table)}`);
    return Number(rows[0].n);
  } catch (e) {
    const timedOut = statementTimedOut(e, { stage: 'import', table: `${schema}.${table}` });
    if (timedOut) throw timedOut;
    const code = (e as { code?: string }).code;
    const hint =
      code === '42501'
        ? '; grant the import user SELECT, INSERT (and TRUNCATE with --truncate) on the target tables'
        : '';
    throw new ConvergeError(
      'TARGET_SCHEMA',
      `cannot read ${schema}.${table}: ${(e as Error).message}${hint}`,
      { stage: 'import', table: `${schema}.${table}`, sqlstate: code },
      { cause: e },
    );
  }
}

/** Moves every serial/identity sequence of the loaded tables past the highest loaded value. */
export async function resetSequences(
  client: Client,
  catalog: PgCatalog,
  keys: string[],
): Promise<Array<{ sequence: string; value: string | null }>> {
  const out: Array<{ sequence: string; value: string | null }> = [];
  for (const k of keys) {
    const t = catalog.tables.get(k)!;
    for (const c of t.columns) {
      if (!c.sequence) continue;
      const max = `(SELECT max(${quotePg(c.name)}) FROM ${qualifiedPg(t.schema, t.name)})`;
      const { rows } = await client.query(
        `SELECT setval($1::regclass, COALESCE(${max}, 1), ${max} IS NOT NULL)::text AS v`,
        [c.sequence],
      );
      out.push({ sequence: c.sequence, value: rows[0].v });
    }
  }
  return out;
}

/**
 * Gives the planner statistics for the loaded tables at once: after a bulk load they have none
 * until autovacuum gets to them, and the first queries after a cut-over (and verify's range
 * scans) would be planned blind. A role that does not own a table gets Postgres's warning, not
 * an error: the load stands either way.
 */
export async function analyzeTables(client: Client, catalog: PgCatalog, keys: string[]): Promise<void> {
  for (const k of keys) {
    const t = catalog.tables.get(k)!;
    await client.query(`ANALYZE ${qualifiedPg(t.schema, t.name)}`);
  }
}

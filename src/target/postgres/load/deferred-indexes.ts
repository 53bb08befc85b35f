import type { Client } from 'pg';
import { ConvergeError, messageOf } from '../../../core/errors';
import { qualifiedPg, quotePg } from '../connect';
import { savepoint, rollbackToSavepoint } from '../transaction';
import { classifyLoadError } from './load-error';

/** A plain index of the table, dropped before its COPY and built again from `definition` after. */
export interface DeferredIndex {
  name: string;
  definition: string;
  columns: string[];
}

/**
 * Indexes that only speed up reads, so building them once after the rows changes nothing but
 * the time: not unique (a duplicate is then still refused by COPY, at its row), not backing a
 * constraint, on columns only (no expression that could fail on a value), not partial, valid,
 * in the table's own tablespace, not the clustering index, without a comment: what `definition`
 * re-creates is then the whole index. Partitioned tables and partitions keep theirs.
 */
const CANDIDATES_SQL = `
SELECT i.relname AS name, pg_get_indexdef(x.indexrelid) AS definition,
       ARRAY(SELECT a.attname::text FROM pg_attribute a
              WHERE a.attrelid = x.indrelid AND a.attnum = ANY (x.indkey::int2[])) AS columns
  FROM pg_index x
  JOIN pg_class i ON i.oid = x.indexrelid
  JOIN pg_class c ON c.oid = x.indrelid
 WHERE x.indrelid = $1::regclass
   AND c.relkind = 'r' AND NOT c.relispartition AND i.relkind = 'i'
   AND NOT x.indisunique AND NOT x.indisprimary AND NOT x.indisexclusion AND NOT x.indisclustered
   AND x.indisvalid AND x.indisready AND x.indexprs IS NULL AND x.indpred IS NULL
   AND i.reltablespace = c.reltablespace
   AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid)
   AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.refobjid = x.indexrelid AND d.refclassid = 'pg_class'::regclass)
   AND obj_description(x.indexrelid, 'pg_class') IS NULL
 ORDER BY i.relname`;

/**
 * Inside the table's transaction, before its COPY: drops the table's plain indexes when the
 * table is empty, so the rows go in without one random index insertion each and every index is
 * built once, sorted, after them (rebuildIndexes). Both are statements of the same transaction:
 * a failure anywhere rolls the drop back with the rows, leaving the table and its indexes as
 * they were. A table that already holds rows keeps its indexes (a rebuild would redo them all).
 * The drop locks the table against readers until the commit; nothing reads a table converge
 * is still loading.
 */
export async function dropIndexesForLoad(client: Client, schema: string, table: string): Promise<DeferredIndex[]> {
  const rel = qualifiedPg(schema, table);
  const { rows: any } = await client.query(`SELECT EXISTS (SELECT 1 FROM ${rel}) AS filled`);
  if (any[0].filled) return [];
  const { rows } = await client.query(CANDIDATES_SQL, [rel]);
  const out = rows.map((r) => ({
    name: String(r.name),
    definition: String(r.definition),
    columns: r.columns as string[],
  }));
  for (const ix of out) await client.query(`DROP INDEX ${qualifiedPg(schema, ix.name)}`);
  return out;
}

/**
 * After the COPY, in the same transaction: builds the dropped indexes again from their own
 * definitions (same name, columns, method and options). An index entry too large for its
 * method (the only way a plain column index refuses data) is reported like a rejected row:
 * the table, the index, and the key of the largest row.
 */
export async function rebuildIndexes(
  client: Client,
  t: { schema: string; table: string; primaryKey: string[]; label: string },
  indexes: DeferredIndex[],
): Promise<void> {
  for (const ix of indexes) {
    await savepoint(client, 'converge_index');
    try {
      await client.query(ix.definition);
    } catch (e) {
      const sqlstate = (e as { code?: string }).code;
      if (sqlstate !== '54000') throw classifyLoadError(e, { stage: 'import', table: t.label, index: ix.name });
      await rollbackToSavepoint(client, 'converge_index');
      const row = await largestRow(client, t, ix).catch(() => undefined);
      throw new ConvergeError(
        'LOAD_REJECTED',
        `row rejected: a value is too large for index ${ix.name} of ${t.label}: ${messageOf(e)}${row ? ` (row ${describe(row)})` : ''}`,
        { stage: 'import', table: t.label, index: ix.name, column: ix.columns.join(', '), row, sqlstate },
        { cause: e },
      );
    }
  }
}

/** The key of the row whose index entry is largest: the one the index build refused. */
async function largestRow(
  client: Client,
  t: { schema: string; table: string; primaryKey: string[] },
  ix: DeferredIndex,
): Promise<Record<string, string | null> | undefined> {
  const show = t.primaryKey.length ? t.primaryKey : ix.columns;
  const size = ix.columns.map((c) => `coalesce(pg_column_size(${quotePg(c)}), 0)`).join(' + ');
  const { rows } = await client.query(
    `SELECT ${show.map((c) => `${quotePg(c)}::text AS ${quotePg(c)}`).join(', ')} FROM ${qualifiedPg(t.schema, t.table)} ORDER BY ${size} DESC LIMIT 1`,
  );
  return rows[0] as Record<string, string | null> | undefined;
}

function describe(row: Record<string, string | null>): string {
  return Object.entries(row)
    .map(([k, v]) => `${k} = ${v === null ? 'NULL' : JSON.stringify(v.length > 60 ? `${v.slice(0, 60)}…` : v)}`)
    .join(', ');
}

import type { Client } from 'pg';
import { ConvergeError } from '../../../core/errors';
import { qualifiedPg, quotePg } from '../connect';

/** A target table as the follow writes it: its columns (the mapping's order) and the key its rows are found by. */
export interface ApplyTable {
  schema: string;
  table: string;
  columns: string[];
  /** Primary key columns, as indexes into columns. */
  keyIdx: number[];
  /** unique keep-newest: the unique columns and the newest column (-1: the row already there wins). */
  newest?: { uniqueIdx: number[]; newestIdx: number };
  /**
   * Columns the target generates ALWAYS AS IDENTITY, as indexes into columns: an insert gives
   * them the source's value with OVERRIDING SYSTEM VALUE (COPY does so by itself for the load);
   * an update must leave them out, Postgres refusing to set them to anything but DEFAULT.
   */
  fixed?: number[];
}

/** One write, values in column order; `where` is the primary key of the row it replaces or removes. */
export type ApplyOp =
  | { op: 'insert'; table: ApplyTable; values: Array<string | null> }
  | { op: 'update'; table: ApplyTable; where: Array<string | null>; values: Array<string | null> }
  | { op: 'delete'; table: ApplyTable; where: Array<string | null>; missingOk: boolean }
  | { op: 'newest'; table: ApplyTable; where?: Array<string | null>; values: Array<string | null> };

interface Statements {
  insert: string;
  /** Sets the columns of `set` (values in that order), then takes the key. */
  update: string;
  set: number[];
  delete: string;
  rival?: string;
}

const cache = new WeakMap<ApplyTable, Statements>();

/**
 * The SQL of one table's writes. Values are parameters in their text form, which Postgres reads
 * with each column's input function, as COPY reads the snapshot's CSV, so a change lands as
 * the same value the load would have written.
 */
function statements(t: ApplyTable): Statements {
  let s = cache.get(t);
  if (s) return s;
  const name = qualifiedPg(t.schema, t.table);
  const cols = t.columns.map(quotePg);
  const key = (from: number) => t.keyIdx.map((k, i) => `${cols[k]} = $${from + i}`).join(' AND ');
  const fixed = new Set(t.fixed ?? []);
  const set = cols.map((_, i) => i).filter((i) => !fixed.has(i));
  const override = fixed.size ? ' OVERRIDING SYSTEM VALUE' : '';
  s = {
    insert: `INSERT INTO ${name} (${cols.join(', ')})${override} VALUES (${cols.map((_, i) => `$${i + 1}`).join(', ')})`,
    // Nothing left to set (the key is the only column, and the target generates it): the row need only be there.
    update: set.length
      ? `UPDATE ${name} SET ${set.map((c, i) => `${cols[c]} = $${i + 1}`).join(', ')} WHERE ${key(set.length + 1)}`
      : `SELECT 1 FROM ${name} WHERE ${key(1)}`,
    set,
    delete: `DELETE FROM ${name} WHERE ${key(1)}`,
  };
  if (t.newest) {
    // The row holding the new row's unique key, if another one does, and whether it stays: it
    // does unless the new row's newest value is greater (ties and NULLs keep the row there, as
    // the snapshot's keep-newest keeps the first of equals).
    const u = t.newest.uniqueIdx.map((k, i) => `${cols[k]} = $${i + 1}`).join(' AND ');
    const m = t.newest.uniqueIdx.length;
    const keyList = t.keyIdx.map((k, i) => `${cols[k]}::text AS "k${i}"`).join(', ');
    const nw = t.newest.newestIdx >= 0 ? cols[t.newest.newestIdx] : undefined;
    const keyRow = t.keyIdx.map((k) => cols[k]).join(', ');
    const selfRow = t.keyIdx.map((_, i) => `$${m + 3 + i}`).join(', ');
    // Of equal newest values (or none), the first in the source's key order stays, as the
    // snapshot read in primary-key order keeps the first.
    const first = `(${keyRow}) < (${selfRow})`;
    const stays = nw
      ? `CASE WHEN $${m + 1}::text IS NULL THEN (${nw} IS NOT NULL OR ${first}) ELSE (${nw} IS NOT NULL AND (${nw} > $${m + 2} OR (${nw} = $${m + 2} AND ${first}))) END`
      : first;
    const notSelf = `(${keyRow}) IS DISTINCT FROM (${selfRow})`;
    s.rival = `SELECT ${keyList}, ${stays} AS stays FROM ${name} WHERE ${u} AND (${notSelf}) LIMIT 1`;
  }
  cache.set(t, s);
  return s;
}

/** Net rows added per target table ("schema.table" → inserted − deleted), summed across calls. */
export type RowDelta = Map<string, number>;

/**
 * Applies ops in order on a client inside the caller's transaction; returns the rows written.
 * `delta` gets each table's net rows added (what converge rollback compares a followed run with).
 */
export async function applyOps(client: Client, ops: ReadonlyArray<ApplyOp>, delta?: RowDelta): Promise<number> {
  let written = 0;
  for (const o of ops) {
    const s = statements(o.table);
    const added = (n: number) => {
      const k = `${o.table.schema}.${o.table.table}`;
      if (delta && n) delta.set(k, (delta.get(k) ?? 0) + n);
    };
    if (o.op === 'insert') {
      await client.query(s.insert, o.values);
      added(1);
      written++;
    } else if (o.op === 'update') {
      const r = await client.query(s.update, updateParams(o.table, s, o.values, o.where));
      if (r.rowCount !== 1) diverged(o.table, 'update', o.where);
      written++;
    } else if (o.op === 'delete') {
      const r = await client.query(s.delete, o.where);
      if (r.rowCount !== 1 && !o.missingOk) diverged(o.table, 'delete', o.where);
      added(-(r.rowCount ?? 0));
      written += r.rowCount ?? 0;
    } else written += await applyNewest(client, o, s, added);
  }
  return written;
}

async function applyNewest(
  client: Client,
  o: Extract<ApplyOp, { op: 'newest' }>,
  s: Statements,
  added: (n: number) => void,
): Promise<number> {
  const t = o.table;
  const uniq = t.newest!.uniqueIdx.map((k) => o.values[k]);
  const self = t.keyIdx.map((k) => o.values[k]);
  // NULL in a unique column never conflicts in Postgres: no rival then.
  if (!uniq.includes(null)) {
    const nv = t.newest!.newestIdx >= 0 ? o.values[t.newest!.newestIdx] : null;
    const { rows } = await client.query(s.rival!, [...uniq, nv, nv, ...self]);
    const rival = rows[0] as Record<string, unknown> | undefined;
    if (rival?.stays === true) {
      // The snapshot would have dropped this row as a duplicate: so is the change.
      if (o.where) added(-((await client.query(s.delete, o.where)).rowCount ?? 0));
      return 0;
    }
    if (rival) {
      const r = await client.query(
        s.delete,
        t.keyIdx.map((_, i) => rival[`k${i}`] as string | null),
      );
      added(-(r.rowCount ?? 0));
    }
  }
  // A row found again for a vacated key (or a change whose old image was dropped) may already be
  // in the target under its own key: it is written by that key, as an upsert, never inserted twice.
  const r = await client.query(s.update, updateParams(t, s, o.values, o.where ?? self));
  if (r.rowCount === 1) return 1;
  if (o.where) {
    const again = await client.query(s.update, updateParams(t, s, o.values, self));
    if (again.rowCount === 1) return 1;
  }
  await client.query(s.insert, o.values);
  added(1);
  return 1;
}

/**
 * An update's parameters: the values of the columns it sets, then the key of the row it finds.
 * A GENERATED ALWAYS identity column is not set: Postgres refuses anything but DEFAULT there, so
 * a change that moves such a key cannot be applied and stops the follow by name (outside the
 * key, the column keeps the target's value, and verify compares it).
 */
function updateParams(
  t: ApplyTable,
  s: Statements,
  values: Array<string | null>,
  where: Array<string | null>,
): Array<string | null> {
  for (const f of t.fixed ?? []) {
    const k = t.keyIdx.indexOf(f);
    if (k >= 0 && where[k] !== values[f])
      throw new ConvergeError(
        'FOLLOW_UNSUPPORTED',
        `the source moved a ${t.schema}.${t.table} row from ${t.columns[f]} = ${JSON.stringify(where[k])} to ${JSON.stringify(values[f])}, a column the target generates ALWAYS AS IDENTITY, which no UPDATE may set: make it GENERATED BY DEFAULT AS IDENTITY (or serial) in the target schema, then run converge migrate again`,
        { stage: 'follow', table: `${t.schema}.${t.table}` },
      );
  }
  return [...s.set.map((i) => values[i]), ...where];
}

function diverged(t: ApplyTable, what: string, where: Array<string | null>): never {
  const key = t.keyIdx.map((k, i) => `${t.columns[k]} = ${JSON.stringify(where[i])}`).join(', ');
  throw new ConvergeError(
    'FOLLOW_DIVERGED',
    `the ${what} of ${t.schema}.${t.table} row (${key}) found no such row in the target: the target was changed by something other than converge since the load`,
    { stage: 'follow', table: `${t.schema}.${t.table}` },
  );
}

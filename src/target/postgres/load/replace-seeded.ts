import type { Client } from 'pg';
import { ConvergeError } from '../../../core/errors';
import type { PgCatalog } from '../catalog';
import { tableKey } from '../catalog';
import { qualifiedPg, quotePg } from '../connect';
import { writeMarker } from './load-markers';
import { disableTrigger, restoreTrigger } from './user-triggers';

/**
 * `target.replaceSeeded` in pipeline.yaml: tables whose rows the target's own migrations
 * inserted (singletons with random ids) and that the source's rows must replace. Runs inside the
 * caller's transaction: refuses when a table outside the list references one of those rows
 * (a CASCADE or SET NULL would silently change data converge does not own), then deletes every
 * row of the listed tables in ONE statement, so references among them (cycles included) are
 * gone together when NO ACTION keys are checked at its end. User triggers stay off meanwhile.
 */
export async function deleteSeededRows(
  client: Client,
  keys: string[],
  catalog: PgCatalog,
): Promise<Map<string, number>> {
  const set = new Set(keys);
  for (const f of catalog.foreignKeys) {
    const parent = tableKey(f.refSchema, f.refTable);
    const child = tableKey(f.schema, f.table);
    if (!set.has(parent) || set.has(child)) continue;
    const on = f.columns.map((c, i) => `p.${quotePg(f.refColumns[i])} = c.${quotePg(c)}`).join(' AND ');
    const { rows } = await client.query(
      `SELECT count(*)::bigint AS n FROM ${qualifiedPg(f.schema, f.table)} c WHERE EXISTS (SELECT 1 FROM ${qualifiedPg(f.refSchema, f.refTable)} p WHERE ${on})`,
    );
    if (Number(rows[0].n) > 0) {
      throw new ConvergeError(
        'TARGET_NOT_EMPTY',
        `cannot replace the seeded rows of ${parent}: ${rows[0].n} rows of ${child} (outside replaceSeeded) reference them through ${f.name}; add ${child} to replaceSeeded or empty it`,
        { stage: 'import', table: parent, constraint: f.name },
      );
    }
  }
  const triggers = catalog.triggers.filter((t) => set.has(tableKey(t.schema, t.table)) && t.enabled !== 'D');
  for (const t of triggers) await disableTrigger(client, t);
  const list = [...set];
  const ctes = list.map((k, i) => {
    const t = catalog.tables.get(k)!;
    return `d${i} AS (DELETE FROM ${qualifiedPg(t.schema, t.name)} RETURNING 1)`;
  });
  const { rows } = await client.query(
    `WITH ${ctes.join(', ')} SELECT ${list.map((_, i) => `(SELECT count(*) FROM d${i})::bigint AS n${i}`).join(', ')}`,
  );
  for (const t of triggers) await restoreTrigger(client, t);
  return new Map(list.map((k, i) => [k, Number(rows[0][`n${i}`])]));
}

/**
 * The seeded tables of one load, replaced group by group: each table's seeded rows are deleted
 * inside the transaction that loads its replacement, so a run that fails before (or during)
 * that load leaves them as they were. The seeded tables whose rows reference the group's are
 * deleted with them, in the same statement (their seed points at rows being replaced, and the
 * delete would otherwise break the reference; cycles included), even when another group's
 * transaction already deletes them: Postgres then makes this one wait on those rows' locks until
 * that one commits, so two groups loading at once never see each other's half-deleted seed. A
 * child table is loaded only after its parents, so what such a delete finds there is seed.
 */
export class SeededTables {
  /** Rows deleted per table key, by the transactions that ran so far. */
  readonly deleted: Record<string, number> = {};
  private readonly all: Set<string>;
  private readonly pending: Set<string>;

  constructor(
    keys: string[],
    private readonly catalog: PgCatalog,
    private readonly runId: string | undefined,
  ) {
    this.all = new Set(keys);
    this.pending = new Set(keys);
  }

  get size(): number {
    return this.pending.size;
  }

  /** The seeded tables a transaction loading `tables` deletes (see the class note). */
  dueWith(tables: string[]): string[] {
    const due = new Set(tables.filter((k) => this.pending.has(k)));
    for (let grew = due.size > 0; grew;) {
      grew = false;
      for (const f of this.catalog.foreignKeys) {
        const child = tableKey(f.schema, f.table);
        if (due.has(tableKey(f.refSchema, f.refTable)) && this.all.has(child) && !due.has(child)) {
          due.add(child);
          grew = true;
        }
      }
    }
    return [...due];
  }

  /** Inside the caller's transaction, before `tables` load: deletes the seeded rows due with them. */
  async replaceWith(client: Client, tables: string[]): Promise<Record<string, number>> {
    const due = this.dueWith(tables);
    for (const k of due) this.pending.delete(k);
    const out = await replaceSeededRows(client, due, this.catalog, this.runId);
    for (const [k, n] of Object.entries(out)) this.deleted[k] = (this.deleted[k] ?? 0) + n;
    return out;
  }
}

/**
 * Replaces the seeded rows inside the caller's transaction and, when the run history is
 * writable, records each table's deletion in that same transaction (what --resume trusts).
 */
export async function replaceSeededRows(
  client: Client,
  keys: string[],
  catalog: PgCatalog,
  runId: string | undefined,
): Promise<Record<string, number>> {
  const deleted: Record<string, number> = {};
  if (!keys.length) return deleted;
  for (const [k, n] of await deleteSeededRows(client, keys, catalog)) {
    deleted[k] = n;
    if (runId) await writeMarker(client, runId, { kind: 'table.seed_replaced', table: k, payload: { rows: n } });
  }
  return deleted;
}

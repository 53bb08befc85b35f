import type { Client } from 'pg';
import type { PgCatalog } from '../catalog';
import { tableKey } from '../catalog';
import { qualifiedPg, quotePg } from '../connect';

/**
 * Proofs about the loaded tables beyond their content, each problem keyed by table:
 * - no orphans: every non-NULL foreign key value has its parent row (catches FKs left NOT VALID
 *   or bypassed by a superuser load elsewhere);
 * - every serial/identity sequence would hand out a value above the column's max;
 * - every user trigger of the table is enabled (the loader turns them off only inside its own transaction).
 */
export async function integrityProblems(
  pg: Client,
  catalog: PgCatalog,
  keys: string[],
): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>(keys.map((k) => [k, []]));
  const loaded = new Set(keys);
  for (const f of catalog.foreignKeys) {
    const child = tableKey(f.schema, f.table);
    if (!loaded.has(child)) continue;
    const notNull = f.columns.map((c) => `c.${quotePg(c)} IS NOT NULL`).join(' AND ');
    const on = f.columns.map((c, i) => `p.${quotePg(f.refColumns[i])} = c.${quotePg(c)}`).join(' AND ');
    const { rows } = await pg.query(
      `SELECT count(*)::bigint AS n FROM ${qualifiedPg(f.schema, f.table)} c WHERE ${notNull} AND NOT EXISTS (SELECT 1 FROM ${qualifiedPg(f.refSchema, f.refTable)} p WHERE ${on})`,
    );
    if (Number(rows[0].n) > 0)
      out
        .get(child)!
        .push(
          `${rows[0].n} orphan rows: ${f.name} (${f.columns.join(', ')}) → ${tableKey(f.refSchema, f.refTable)} has no matching parent`,
        );
  }
  for (const k of keys) {
    const t = catalog.tables.get(k);
    if (!t) continue;
    for (const c of t.columns) {
      if (!c.sequence) continue;
      const { rows } = await pg.query(
        `SELECT s.last_value::text AS last, s.is_called AS called, (SELECT max(${quotePg(c.name)}) FROM ${qualifiedPg(t.schema, t.name)})::text AS max,
                (SELECT seqincrement FROM pg_sequence WHERE seqrelid = $1::regclass)::text AS inc
         FROM ${c.sequence} s`,
        [c.sequence],
      );
      const r = rows[0] as { last: string; called: boolean; max: string | null; inc: string };
      const next = BigInt(r.last) + (r.called ? BigInt(r.inc) : 0n);
      if (r.max !== null && next <= BigInt(r.max))
        out.get(k)!.push(`sequence ${c.sequence} would hand out ${next}, but ${c.name} already holds ${r.max}`);
    }
  }
  for (const trg of catalog.triggers) {
    const k = tableKey(trg.schema, trg.table);
    if (loaded.has(k) && trg.enabled === 'D') out.get(k)!.push(`user trigger ${trg.name} is disabled`);
  }
  return out;
}

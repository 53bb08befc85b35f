import type { MysqlTable } from '../source/mysql/catalog';
import type { MysqlConnection } from '../source/mysql/connect';
import { sourceRows } from '../source/mysql/row-source';
import type { CompiledTable } from '../transform/compile-table';
import type { HashPlan } from './hash-plan';
import { hash60 } from './row-checksum';

/**
 * The source half of the columns SQL cannot mirror: rows of one key segment read from MySQL
 * (only the columns those need, and the key), run through the table program, and hashed as
 * Postgres hashes the loaded values (segment-sums.ts `b`): the key's hash texts, then the
 * streamed columns'. `childOf` places a row in a child segment by its key's hash texts (-1: none).
 */
export async function streamSums(
  conn: MysqlConnection,
  src: MysqlTable,
  compiled: CompiledTable,
  plan: HashPlan,
  where: string,
  childOf: (key: Array<string | null>) => number,
): Promise<Map<number, bigint>> {
  const out = new Map<number, bigint>();
  const streamIdx = plan.columns.flatMap((c, i) => (c.path === 'stream' ? [i] : []));
  if (!streamIdx.length) return out;
  const js = plan.columns.map((c) => c.js);
  // The source columns the key and the streamed columns are made from; the rest are read as NULL
  // (a column's program maps NULL without failing), so the whole row need not cross the wire.
  const need = new Set<number>();
  for (const i of [...plan.keyIdx, ...streamIdx]) {
    const slot = compiled.slots.find((s) => s.to === compiled.targetColumns[i]);
    if (slot) need.add(slot.from);
    const added = compiled.added.find((a) => a.to === compiled.targetColumns[i]);
    for (const k of added?.concat?.from ?? []) need.add(k);
  }
  const from = [...need].sort((a, b) => a - b);
  const projected: MysqlTable = { ...src, columns: from.map((k) => src.columns[k]) };
  const full: Array<string | null> = new Array(src.columns.length).fill(null);
  const texts: Array<string | null> = [];
  let line = 0;
  for await (const batch of sourceRows(conn, projected, { segment: where }).batches())
    for (const r of batch) {
      for (let j = 0; j < from.length; j++) full[from[j]] = r.fields[j];
      const f = compiled.transformRow(full, ++line);
      texts.length = 0;
      for (const i of plan.keyIdx) texts.push(f[i] === null ? null : js[i](f[i]!));
      const child = childOf(texts);
      if (child < 0) continue;
      for (const i of streamIdx) texts.push(f[i] === null ? null : js[i](f[i]!));
      out.set(child, (out.get(child) ?? 0n) + hash60(texts));
    }
  return out;
}

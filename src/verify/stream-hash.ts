import type { MysqlTable } from '../source/mysql/catalog';
import type { MysqlConnection } from '../source/mysql/connect';
import { sourceRows } from '../source/mysql/row-source';
import type { CompiledTable } from '../transform/compile-table';
import type { HashPlan } from './hash-plan';
import type { StreamHasher } from './stream-hasher';

/**
 * The source half of the columns SQL cannot mirror: rows of one key segment read from MySQL
 * (only the columns those need, and the key), run through the table program, and hashed as
 * Postgres hashes the loaded values (segment-sums.ts `b`): the key's hash texts, then the
 * streamed columns'. `childOf` places a row in a child segment by its key's hash texts (-1: none).
 * This thread reads and maps the rows; `hasher` writes the streamed values' hash texts and sums
 * them (in worker threads when it can: that is most of the work).
 */
export async function streamSums(
  conn: MysqlConnection,
  src: MysqlTable,
  compiled: CompiledTable,
  plan: HashPlan,
  where: string,
  childOf: (key: Array<string | null>) => number,
  hasher: StreamHasher,
): Promise<Map<number, bigint>> {
  const streamIdx = plan.columns.flatMap((c, i) => (c.path === 'stream' ? [i] : []));
  if (!streamIdx.length) return new Map();
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
  const key: Array<string | null> = [];
  let line = 0;
  for await (const batch of sourceRows(conn, projected, { segment: where }).batches()) {
    const child = new Int32Array(batch.length);
    const values: Array<string | null> = [];
    let rows = 0;
    for (const r of batch) {
      for (let j = 0; j < from.length; j++) full[from[j]] = r.fields[j];
      const f = compiled.transformRow(full, ++line);
      key.length = 0;
      for (const i of plan.keyIdx) key.push(f[i] === null ? null : js[i](f[i]!));
      const c = childOf(key);
      if (c < 0) continue;
      child[rows++] = c;
      for (const k of key) values.push(k);
      for (const i of streamIdx) values.push(f[i]);
    }
    if (rows) await hasher.add(child.subarray(0, rows), values);
  }
  return hasher.sums();
}

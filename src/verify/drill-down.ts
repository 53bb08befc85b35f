import type { Canon } from './canonical';
import { rowHash } from './row-checksum';
import type { RowStream } from './row-streams';

/**
 * When a table's checksums differ, narrows the difference down to the first key range whose
 * checksums differ on the two sides, then prints example rows from both. Each pass reads both
 * sides once and sums row hashes into up to BUCKETS key ranges (boundaries sampled from the
 * keys of the range being narrowed); the first differing range is split again until it holds
 * few enough rows to compare row by row. Memory holds samples and one small range, never a table.
 * Keys compare the same way on both sides (integers as numbers, anything else by code point of
 * its canonical text), so Postgres collation plays no part.
 */
export type Key = Array<string | null>;

export interface DrillDown {
  keyColumns: string[];
  /** [from, to): from inclusive, to exclusive; null = unbounded. */
  from: Key | null;
  to: Key | null;
  sourceRows: number;
  targetRows: number;
  onlyInSource: Array<Record<string, string | null>>;
  onlyInTarget: Array<Record<string, string | null>>;
  /** Rows present on both sides under the same key whose values differ: the key and the differing columns. */
  changed: Array<{ key: Record<string, string | null>; columns: string[] }>;
  passes: number;
  /** The key segment the rows were fetched from, when pushdown found it (printed instead of from/to). */
  segment?: string;
}

const BUCKETS = 64;
const SAMPLES = 64;
const SMALL = 500;
const EXAMPLES = 5;
const INT = /^-?\d+$/;

export function compareKeys(a: Key, b: Key): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x === y) continue;
    if (x === null) return -1;
    if (y === null) return 1;
    if (INT.test(x) && INT.test(y)) {
      const d = BigInt(x) - BigInt(y);
      if (d !== 0n) return d < 0n ? -1 : 1;
      continue;
    }
    return x < y ? -1 : 1;
  }
  return 0;
}

interface Side {
  sums: bigint[];
  counts: number[];
  samples: Key[][];
  seen: number[];
}

export async function drillDown(
  source: RowStream,
  target: RowStream,
  columns: string[],
  canon: Canon[],
  keyColumns: string[],
): Promise<DrillDown> {
  const keyIdx = keyColumns.length ? keyColumns.map((c) => columns.indexOf(c)) : columns.map((_, i) => i);
  const canonical = (f: Array<string | null>) => f.map((v, i) => (v === null ? null : canon[i](v)));
  const keyOf = (cf: Array<string | null>): Key => keyIdx.map((i) => cf[i]);
  const same: Canon[] = columns.map(() => (v: string) => v);
  let from: Key | null = null;
  let to: Key | null = null;
  let bounds: Key[] = [];
  let passes = 0;
  const inRange = (k: Key) => (from === null || compareKeys(k, from) >= 0) && (to === null || compareKeys(k, to) < 0);
  const bucketOf = (k: Key) => {
    let lo = 0;
    let hi = bounds.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compareKeys(k, bounds[mid]) >= 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const scan = async (rows: RowStream): Promise<Side> => {
    const n = bounds.length + 1;
    const side: Side = {
      sums: Array(n).fill(0n),
      counts: Array(n).fill(0),
      samples: Array.from({ length: n }, () => []),
      seen: Array(n).fill(0),
    };
    for await (const batch of rows()) {
      for (const f of batch) {
        const cf = canonical(f);
        const k = keyOf(cf);
        if (!inRange(k)) continue;
        const b = bucketOf(k);
        side.sums[b] = (side.sums[b] + rowHash(cf, same)) & ((1n << 64n) - 1n);
        side.counts[b]++;
        // Reservoir sample: the next pass's boundaries inside this bucket.
        const seen = ++side.seen[b];
        if (side.samples[b].length < SAMPLES) side.samples[b].push(k);
        else {
          const j = Math.floor(Math.random() * seen);
          if (j < SAMPLES) side.samples[b][j] = k;
        }
      }
    }
    return side;
  };
  for (;;) {
    passes++;
    const s = await scan(source);
    const t = await scan(target);
    const b = s.sums.findIndex((sum, i) => sum !== t.sums[i] || s.counts[i] !== t.counts[i]);
    if (b < 0)
      return {
        keyColumns,
        from,
        to,
        sourceRows: 0,
        targetRows: 0,
        onlyInSource: [],
        onlyInTarget: [],
        changed: [],
        passes,
      };
    from = b > 0 ? bounds[b - 1] : from;
    to = b < bounds.length ? bounds[b] : to;
    const next = dedupe([...s.samples[b], ...t.samples[b]].sort(compareKeys)).filter(
      (k) => from === null || compareKeys(k, from) > 0,
    );
    const thin =
      next.length > BUCKETS
        ? Array.from({ length: BUCKETS }, (_, i) => next[Math.floor((i * next.length) / BUCKETS)])
        : next;
    if (Math.max(s.counts[b], t.counts[b]) <= SMALL || !thin.length || passes >= 12) {
      return {
        ...(await compareRows(source, target, columns, canonical, inRange, keyOf, keyColumns)),
        keyColumns,
        from,
        to,
        sourceRows: s.counts[b],
        targetRows: t.counts[b],
        passes: passes + 1,
      };
    }
    bounds = thin;
  }
}

function dedupe(keys: Key[]): Key[] {
  return keys.filter((k, i) => i === 0 || compareKeys(k, keys[i - 1]) !== 0);
}

/** The rows of one small range on both sides, as multisets; what one side has that the other lacks. */
async function compareRows(
  source: RowStream,
  target: RowStream,
  columns: string[],
  canonical: (f: Array<string | null>) => Array<string | null>,
  inRange: (k: Key) => boolean,
  keyOf: (cf: Array<string | null>) => Key,
  keyColumns: string[],
) {
  const collect = async (rows: RowStream) => {
    const m = new Map<string, { row: Array<string | null>; cf: Array<string | null>; key: Key; n: number }>();
    for await (const batch of rows()) {
      for (const f of batch) {
        const cf = canonical(f);
        const key = keyOf(cf);
        if (!inRange(key)) continue;
        const id = JSON.stringify(cf);
        const e = m.get(id);
        if (e) e.n++;
        else m.set(id, { row: f, cf, key, n: 1 });
        if (m.size > SMALL * 20) return m;
      }
    }
    return m;
  };
  const s = await collect(source);
  const t = await collect(target);
  const onlyEntries = (a: typeof s, b: typeof s) =>
    [...a.entries()]
      .filter(([id, e]) => (b.get(id)?.n ?? 0) < e.n)
      .map(([, e]) => e)
      .sort((x, y) => compareKeys(x.key, y.key));
  const show = (es: ReturnType<typeof onlyEntries>) =>
    es.slice(0, EXAMPLES).map((e) => Object.fromEntries(columns.map((c, i) => [c, shorten(e.row[i])])));
  const so = onlyEntries(s, t);
  const to = onlyEntries(t, s);
  // With a key, a row on both sides under one key is a changed row: name the columns that differ.
  const changed: DrillDown['changed'] = [];
  if (keyColumns.length)
    for (const a of so) {
      const b = to.find((x) => compareKeys(x.key, a.key) === 0);
      if (!b || changed.length >= EXAMPLES) continue;
      changed.push({
        key: Object.fromEntries(keyColumns.map((c, i) => [c, a.key[i]])),
        columns: columns.filter((_, i) => a.cf[i] !== b.cf[i]),
      });
    }
  return { onlyInSource: show(so), onlyInTarget: show(to), changed };
}

function shorten(v: string | null): string | null {
  return v !== null && v.length > 200 ? v.slice(0, 200) + '…' : v;
}

import type { PgSession } from '../target/postgres/connect';
import type { TableRule } from '../mapping/load-mapping';
import type { MysqlTable } from '../source/mysql/catalog';
import type { MysqlConnection } from '../source/mysql/connect';
import { planKeyRanges } from '../source/mysql/key-ranges';
import {
  MysqlHashSpec,
  mysqlFreeText,
  mysqlHashText,
  mysqlKeyBounds,
  mysqlSegmentSums,
  mysqlSegmentWhere,
} from '../source/mysql/verify-hash';
import { PgHashSpec, pgKeyBounds, pgSegmentSums, pgSegmentWhere } from '../target/postgres/verify/segment-sums';
import { targetRows } from '../target/postgres/verify/target-rows';
import type { CompiledTable } from '../transform/compile-table';
import type { Canon } from './canonical';
import { DrillDown, drillDown } from './drill-down';
import type { HashPlan } from './hash-plan';
import { keyHash48 } from './row-checksum';
import { streamSums as sumStream } from './stream-hash';
import { openStreamHasher, StreamHasher } from './stream-hasher';
import { sourceStream } from './row-streams';

/**
 * Verify pushed into both databases, after data-diff: each side counts and hashes the rows of
 * key segments in SQL (and converge hashes, as the source streams, the columns SQL cannot mirror);
 * segments whose counts or sums differ are split and measured again, down to segments small
 * enough to fetch, whose rows are compared by their canonical form (drill-down.ts). Both sides
 * run at once; memory holds one level of segment sums, never a table's keys.
 */
export interface PushdownInput {
  my: MysqlConnection;
  /** A second source connection for the streamed columns, when there are any (read beside the SQL sums). */
  myStream?: MysqlConnection;
  pg: PgSession;
  src: MysqlTable;
  compiled: CompiledTable;
  rule: TableRule;
  schema: string;
  table: string;
  types: Map<string, string>;
  canon: Canon[];
  plan: HashPlan;
}

export interface PushdownResult {
  sourceRows: number;
  targetRows: number;
  sourceSum: bigint;
  targetSum: bigint;
  /** Segments whose rows differ, with the rows (at most MAX_DRILLS). */
  drills: DrillDown[];
  /** More differing segments than were drilled. */
  more: boolean;
  /** Segments measured (both sides), and those fetched whose rows turned out equal. */
  segments: number;
  falseAlarms: number;
}

/** Rows per top-level key range. */
const TOP_ROWS = 100_000;
/** A segment with at most this many rows on either side is fetched. */
const LEAF_ROWS = 1000;
const FANOUT = 16;
const MAX_DRILLS = 10;
/** Differing sums whose rows compare equal: beyond this the hash forms disagree, and the table is compared whole. */
export const MAX_FALSE_ALARMS = 32;
const MAX_LEVEL = 6;

interface Sums {
  rows: number;
  a: bigint;
  b: bigint;
}
type Seg = { mode: 'range'; lo: bigint; hi: bigint } | { mode: 'hash'; level: number; prefix: bigint };

export class HashFormsDisagree extends Error {}

export async function pushdown(x: PushdownInput): Promise<PushdownResult> {
  const { plan } = x;
  const cols = x.compiled.targetColumns;
  const keyColumns = plan.keyIdx.map((i) => cols[i]);
  const sqlCols = plan.columns.filter((c) => c.path === 'sql');
  const streamIdx = plan.columns.flatMap((c, i) => (c.path === 'stream' ? [i] : []));
  const streamed = streamIdx.length > 0;
  const keyPlans = plan.keyIdx.map((i) => plan.columns[i]);
  const mySpec: MysqlHashSpec = {
    table: x.src.name,
    texts: sqlCols.map((c) => ({ sql: mysqlHashText(c.mysql!), free: mysqlFreeText(c.mysql!.kind) })),
    keyTexts: keyPlans.map((c) => mysqlHashText(c.mysql!)),
  };
  const pgSpec: PgHashSpec = {
    schema: x.schema,
    table: x.table,
    sqlTexts: sqlCols.map((c) => ({ sql: c.pg, free: mysqlFreeText(c.mysql!.kind) })),
    streamTexts: streamed ? [...keyPlans, ...streamIdx.map((i) => plan.columns[i])].map((c) => c.pg) : [],
    keyTexts: keyPlans.map((c) => c.pg),
  };
  const rangeCol = plan.mode === 'range' ? keyColumns[0] : '';
  const myWhere = (s: Seg) =>
    s.mode === 'range'
      ? mysqlSegmentWhere(mySpec, { mode: 'range', column: plan.sourceKey!, lo: String(s.lo), hi: String(s.hi) })
      : mysqlSegmentWhere(mySpec, { mode: 'hash', modulus: String(256n ** BigInt(s.level)), prefix: String(s.prefix) });
  const pgWhere = (s: Seg) =>
    s.mode === 'range'
      ? pgSegmentWhere(pgSpec, { mode: 'range', column: rangeCol, lo: String(s.lo), hi: String(s.hi) })
      : pgSegmentWhere(pgSpec, { mode: 'hash', modulus: String(256n ** BigInt(s.level)), prefix: String(s.prefix) });

  // Opened at the first streamed segment (a table whose columns all hash in SQL needs none).
  let hasher: StreamHasher | undefined;
  const streamSums = (parent: Seg, childOf: (key: Array<string | null>) => number) => {
    if (!streamed) return Promise.resolve(new Map<number, bigint>());
    hasher ??= openStreamHasher({
      keyWidth: keyPlans.length,
      types: streamIdx.map((i) => plan.columns[i].valueType ?? null),
    });
    return sumStream(x.myStream ?? x.my, x.src, x.compiled, plan, myWhere(parent), childOf, hasher);
  };

  /** Both sides' sums for the children of a range split. */
  const measureRanges = async (ranges: Array<[bigint, bigint]>): Promise<Array<{ seg: Seg; s: Sums; t: Sums }>> => {
    const text = ranges.map(([lo, hi]) => [String(lo), String(hi)] as [string, string]);
    const parent: Seg = { mode: 'range', lo: ranges[0][0], hi: ranges[ranges.length - 1][1] };
    const childOf = (key: Array<string | null>) => {
      const k = BigInt(key[0]!);
      let lo = 0;
      let hi = ranges.length - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        if (k < ranges[mid][0]) hi = mid - 1;
        else if (k > ranges[mid][1]) lo = mid + 1;
        else return mid;
      }
      return -1;
    };
    const [my, js, pg] = await Promise.all([
      mysqlSegmentSums(x.my, mySpec, { mode: 'range', column: plan.sourceKey!, ranges: text }),
      streamSums(parent, childOf),
      pgSegmentSums(x.pg, pgSpec, { mode: 'range', column: rangeCol, ranges: text }),
    ]);
    return ranges.map(([lo, hi], i) => ({
      seg: { mode: 'range', lo, hi },
      s: { rows: my[i].rows, a: my[i].sum, b: js.get(i) ?? 0n },
      t: { rows: pg[i].rows, a: pg[i].a, b: streamed ? pg[i].b : 0n },
    }));
  };

  /** Both sides' sums for the 256 hash buckets under one bucket. */
  const measureBuckets = async (level: number, prefix: bigint): Promise<Array<{ seg: Seg; s: Sums; t: Sums }>> => {
    const modulus = 256n ** BigInt(level);
    const q = { mode: 'hash' as const, modulus: String(modulus), prefix: String(prefix) };
    const childOf = (key: Array<string | null>) => {
      const h = keyHash48(key);
      return h % modulus === prefix ? Number((h / modulus) % 256n) : -1;
    };
    const [my, js, pg] = await Promise.all([
      mysqlSegmentSums(x.my, mySpec, q),
      streamSums({ mode: 'hash', level, prefix }, childOf),
      pgSegmentSums(x.pg, pgSpec, q),
    ]);
    const ids = new Set([...my.map((r) => r.id), ...pg.map((r) => r.id), ...js.keys()]);
    const zero: Sums = { rows: 0, a: 0n, b: 0n };
    return [...ids]
      .sort((a, b) => a - b)
      .map((id) => {
        const m = my.find((r) => r.id === id);
        const p = pg.find((r) => r.id === id);
        return {
          seg: { mode: 'hash', level: level + 1, prefix: prefix + BigInt(id) * modulus },
          s: m ? { rows: m.rows, a: m.sum, b: js.get(id) ?? 0n } : { ...zero, b: js.get(id) ?? 0n },
          t: p ? { rows: p.rows, a: p.a, b: streamed ? p.b : 0n } : zero,
        };
      });
  };

  const result: PushdownResult = {
    sourceRows: 0,
    targetRows: 0,
    sourceSum: 0n,
    targetSum: 0n,
    drills: [],
    more: false,
    segments: 0,
    falseAlarms: 0,
  };
  const differs = (m: { s: Sums; t: Sums }) => m.s.rows !== m.t.rows || m.s.a !== m.t.a || m.s.b !== m.t.b;

  const drill = async (seg: Seg) => {
    const d = await drillDown(
      sourceStream(x.my, x.src, x.compiled, x.rule, myWhere(seg)),
      targetRows(x.pg, x.schema, x.table, cols, x.types, pgWhere(seg)),
      cols,
      x.canon,
      keyColumns,
    );
    if (!d.onlyInSource.length && !d.onlyInTarget.length && !d.changed.length) {
      if (++result.falseAlarms > MAX_FALSE_ALARMS) throw new HashFormsDisagree();
      return;
    }
    if (seg.mode === 'range') {
      d.from = [String(seg.lo)];
      d.to = [String(seg.hi + 1n)];
    } else d.segment = `key hash bucket ${seg.prefix.toString(16)} of 256^${seg.level}`;
    if (result.drills.length < MAX_DRILLS) result.drills.push(d);
    else result.more = true;
  };

  const explore = async (level: Array<{ seg: Seg; s: Sums; t: Sums }>): Promise<void> => {
    result.segments += level.length;
    for (const m of level) {
      if (!differs(m)) continue;
      if (result.drills.length >= MAX_DRILLS) {
        result.more = true;
        return;
      }
      const rows = Math.max(m.s.rows, m.t.rows);
      const seg = m.seg;
      if (seg.mode === 'range') {
        const span = seg.hi - seg.lo + 1n;
        if (rows <= LEAF_ROWS || span <= 1n) await drill(seg);
        else await explore(await measureRanges(split(seg.lo, seg.hi)));
      } else if (rows <= LEAF_ROWS || seg.level >= MAX_LEVEL) await drill(seg);
      else await explore(await measureBuckets(seg.level, seg.prefix));
    }
  };

  try {
    let top: Array<{ seg: Seg; s: Sums; t: Sums }>;
    if (plan.mode === 'range') {
      const [mb, pb] = await Promise.all([
        mysqlKeyBounds(x.my, x.src.name, plan.sourceKey!),
        pgKeyBounds(x.pg, x.schema, x.table, rangeCol),
      ]);
      const los = [mb.lo, pb.lo].filter((v): v is string => v !== null).map(BigInt);
      const his = [mb.hi, pb.hi].filter((v): v is string => v !== null).map(BigInt);
      if (!los.length) return result;
      const lo = los.reduce((a, b) => (a < b ? a : b));
      const hi = his.reduce((a, b) => (a > b ? a : b));
      const planned = await planKeyRanges(x.my, x.src, { chunkRows: TOP_ROWS, chunkBytes: Number.MAX_SAFE_INTEGER });
      const ranges: Array<[bigint, bigint]> = planned.length
        ? planned.map((r, i) => [
            i === 0 ? lo : BigInt(r.after![0]) + 1n,
            i === planned.length - 1 ? hi : BigInt(r.upTo![0]),
          ])
        : [[lo, hi]];
      top = await measureRanges(ranges.filter(([a, b]) => a <= b));
    } else top = await measureBuckets(0, 0n);
    for (const m of top) {
      result.sourceRows += m.s.rows;
      result.targetRows += m.t.rows;
      result.sourceSum += m.s.a + m.s.b;
      result.targetSum += m.t.a + m.t.b;
    }
    await explore(top);
    return result;
  } finally {
    await hasher?.close();
  }
}

/** [lo, hi] cut into at most FANOUT consecutive ranges. */
export function split(lo: bigint, hi: bigint): Array<[bigint, bigint]> {
  const span = hi - lo + 1n;
  const n = span < BigInt(FANOUT) ? span : BigInt(FANOUT);
  const step = (span + n - 1n) / n;
  const out: Array<[bigint, bigint]> = [];
  for (let a = lo; a <= hi; a += step) out.push([a, a + step - 1n < hi ? a + step - 1n : hi]);
  return out;
}

import { targetRows } from '../target/postgres/verify/target-rows';
import type { Canon } from './canonical';
import { DrillDown, drillDown } from './drill-down';
import { HashFormsDisagree, pushdown, PushdownInput } from './pushdown';
import { TableChecksum } from './row-checksum';
import { RowStream, sourceStream } from './row-streams';

/** What a table's comparison reads: the same as the pushdown's. */
export type CompareInput = PushdownInput;

/** How a table was compared, for the report. */
export interface ComparePaths {
  /**
   * range: integer key ranges; hash: key hash buckets; whole: every row streamed through converge;
   * touched: the count, and only the rows of keys changed since a verified checkpoint (compare-touched.ts).
   */
  mode: 'range' | 'hash' | 'whole' | 'touched';
  reason?: string;
  /** Columns hashed by the source database in SQL. */
  sql: string[];
  /** Columns hashed by converge as the source rows stream through the table program. */
  stream: string[];
  /** Key segments measured on both sides, and fetched segments whose rows were equal after all. */
  segments?: number;
  falseAlarms?: number;
}

export interface TableComparison {
  sourceRows: number;
  targetRows: number;
  sourceChecksum: string;
  targetChecksum: string;
  drills: DrillDown[];
  more: boolean;
  paths: ComparePaths;
}

const MASK = (1n << 64n) - 1n;
const hex = (n: bigint) => (n & MASK).toString(16).padStart(16, '0');

/**
 * One table's content compared: pushed into both databases when the plan allows (pushdown.ts),
 * else every row of both sides streamed and summed in converge (the table then has row
 * policies, no key, or a type without a hash form; or the hash forms disagreed on equal rows).
 */
export async function compareTable(x: CompareInput, keyColumns: string[]): Promise<TableComparison> {
  const named = (p: 'sql' | 'stream') => x.plan.columns.filter((c) => c.path === p).map((c) => c.name);
  if (x.plan.mode !== 'whole') {
    try {
      const r = await pushdown(x);
      return {
        sourceRows: r.sourceRows,
        targetRows: r.targetRows,
        sourceChecksum: hex(r.sourceSum),
        targetChecksum: hex(r.targetSum),
        drills: r.drills,
        more: r.more,
        paths: {
          mode: x.plan.mode,
          sql: named('sql'),
          stream: named('stream'),
          segments: r.segments,
          falseAlarms: r.falseAlarms,
        },
      };
    } catch (e) {
      if (!(e instanceof HashFormsDisagree)) throw e;
      const w = await wholeTable(x, keyColumns);
      return {
        ...w,
        paths: {
          mode: 'whole',
          reason: 'the source and target hash forms disagreed on equal rows',
          sql: [],
          stream: x.compiled.targetColumns,
        },
      };
    }
  }
  return {
    ...(await wholeTable(x, keyColumns)),
    paths: { mode: 'whole', reason: x.plan.reason, sql: [], stream: x.compiled.targetColumns },
  };
}

async function wholeTable(x: CompareInput, keyColumns: string[]): Promise<Omit<TableComparison, 'paths'>> {
  const cols = x.compiled.targetColumns;
  const source = sourceStream(x.my, x.src, x.compiled, x.rule);
  const target = targetRows(x.pg, x.schema, x.table, cols, x.types);
  const s = await checksum(source, x.canon);
  const t = await checksum(target, x.canon);
  const same = s.hex() === t.hex() && s.rows === t.rows;
  const drill = same ? undefined : await drillDown(source, target, cols, x.canon, keyColumns);
  return {
    sourceRows: s.rows,
    targetRows: t.rows,
    sourceChecksum: s.hex(),
    targetChecksum: t.hex(),
    drills: drill ? [drill] : [],
    more: false,
  };
}

async function checksum(rows: RowStream, canon: Canon[]): Promise<TableChecksum> {
  const sum = new TableChecksum(canon);
  for await (const batch of rows()) for (const f of batch) sum.add(f);
  return sum;
}

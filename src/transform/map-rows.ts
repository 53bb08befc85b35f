import { ConvergeError } from '../core/errors';
import type { TableRule } from '../mapping/load-mapping';
import type { CsvRecord } from '../csv/csv-decode';
import type { CompiledTable } from './compile-table';

export type RowBatches = () => AsyncIterable<CsvRecord[]>;

export interface MappedRow {
  fields: Array<string | null>;
  line: number;
}

export interface RowPolicyOptions {
  /** Natural keys the target already holds, as JSON arrays of text (for `existing: skip|fail`). */
  existing?: Set<string>;
  origin: string;
  /** Verification wants the rows as the target will hold them, including those it already had. */
  applyExisting?: boolean;
}

/**
 * Applies a compiled table to a source of rows, then the row-level policies: duplicates on a
 * unique index only the target has (fail | keep-first | keep-newest), and rows the target
 * already holds (skip | fail; replace is done by the loader). keep-newest reads the rows twice
 * (first pass finds each key's winner) so memory holds keys, never rows.
 */
export async function* mapRows(table: CompiledTable, rule: TableRule, rows: RowBatches, opts: RowPolicyOptions): AsyncGenerator<MappedRow[]> {
  const cols = table.targetColumns;
  const uniques = rule.unique.map((u) => {
    const idx = u.columns.map((c) => {
      const i = cols.indexOf(c);
      if (i < 0) throw new ConvergeError('MAPPING_UNKNOWN_COLUMN', `unique policy names "${c}", which is not a target column of ${rule.target} (${cols.join(', ')})`, { ...rule.at, table: rule.source });
      return i;
    });
    const newest = u.newest ? cols.indexOf(u.newest) : -1;
    if (u.newest && newest < 0) throw new ConvergeError('MAPPING_UNKNOWN_COLUMN', `unique policy's newest: "${u.newest}" is not a target column of ${rule.target}`, { ...rule.at, table: rule.source });
    return { spec: u, idx, newest };
  });
  const existingIdx = rule.existing?.key.map((c) => {
    const i = cols.indexOf(c);
    if (i < 0) throw new ConvergeError('MAPPING_UNKNOWN_COLUMN', `existing policy key "${c}" is not a target column of ${rule.target}`, { ...rule.at, table: rule.source });
    return i;
  });
  const nullDrop = rule.dropRowsWithNull.map((c) => {
    const i = cols.indexOf(c);
    if (i < 0) throw new ConvergeError('MAPPING_UNKNOWN_COLUMN', `dropRowsWithNull names "${c}", which is not a target column of ${rule.target}`, { ...rule.at, table: rule.source });
    return i;
  });
  const keyOf = (f: Array<string | null>, idx: number[]): string | undefined => {
    const parts: Array<string | null> = idx.map((i) => f[i]);
    // Postgres unique indexes treat NULLs as distinct: a row with a NULL key part never conflicts.
    if (parts.some((p) => p === null)) return undefined;
    return JSON.stringify(parts);
  };

  // First pass, only for keep-newest: the winning line of every key.
  const winners = new Map<number, Map<string, { line: number; newest: string | null }>>();
  const saved = table.ledger.snapshot();
  for (let u = 0; u < uniques.length; u++) {
    if (uniques[u].spec.policy !== 'keep-newest') continue;
    const w = new Map<string, { line: number; newest: string | null }>();
    for await (const batch of rows()) {
      for (const r of batch) {
        const f = table.transformRow(r.fields, r.line);
        if (nullDrop.some((i) => f[i] === null)) continue;
        const k = keyOf(f, uniques[u].idx);
        if (k === undefined) continue;
        const n = f[uniques[u].newest];
        const cur = w.get(k);
        if (!cur || (n !== null && (cur.newest === null || newer(n, cur.newest)))) w.set(k, { line: r.line, newest: n });
      }
    }
    winners.set(u, w);
  }
  table.ledger.restore(saved);

  const seen = uniques.map(() => new Map<string, number>());
  for await (const batch of rows()) {
    const out: MappedRow[] = [];
    rowLoop: for (const r of batch) {
      const f = table.transformRow(r.fields, r.line);
      for (const i of nullDrop) {
        if (f[i] === null) {
          table.ledger.add(cols[i], 'nullRowDropped');
          continue rowLoop;
        }
      }
      for (let u = 0; u < uniques.length; u++) {
        const { spec, idx } = uniques[u];
        const k = keyOf(f, idx);
        if (k === undefined) continue;
        if (spec.policy === 'keep-newest') {
          if (winners.get(u)!.get(k)!.line !== r.line) {
            table.ledger.add(spec.columns.join('+'), 'duplicateDropped');
            continue rowLoop;
          }
          continue;
        }
        const first = seen[u].get(k);
        if (first !== undefined) {
          if (spec.policy === 'keep-first') {
            table.ledger.add(spec.columns.join('+'), 'duplicateDropped');
            continue rowLoop;
          }
          throw new ConvergeError('DUPLICATE_ROW', `duplicate of the row at line ${first} on unique (${spec.columns.join(', ')}), which only the target enforces; declare policy keep-first or keep-newest to drop duplicates`, { stage: 'transform', table: rule.source, file: opts.origin, csvLine: r.line, column: spec.columns[0], value: k });
        }
        seen[u].set(k, r.line);
      }
      if (existingIdx && opts.existing && !opts.applyExisting) {
        const k = keyOf(f, existingIdx);
        if (k !== undefined && opts.existing.has(k)) {
          if (rule.existing!.policy === 'fail') {
            throw new ConvergeError('DUPLICATE_ROW', `the target already holds a ${rule.target} row with (${rule.existing!.key.join(', ')}) = ${k}; policy is fail`, { stage: 'transform', table: rule.source, file: opts.origin, csvLine: r.line });
          }
          if (rule.existing!.policy === 'skip') {
            table.ledger.add(rule.existing!.key.join('+'), 'existingSkipped');
            continue;
          }
        }
      }
      out.push({ fields: f, line: r.line });
    }
    if (out.length) yield out;
  }
}

const NUMBER = /^-?\d+(\.\d+)?$/;

/** Numbers compare as numbers (version 10 is newer than 9); timestamps and text as text. */
function newer(a: string, b: string): boolean {
  if (NUMBER.test(a) && NUMBER.test(b)) return Number(a) > Number(b);
  return a > b;
}

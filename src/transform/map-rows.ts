import { hash } from 'node:crypto';
import { ConvergeError } from '../core/errors';
import type { TableRule } from '../mapping/load-mapping';
import { CsvRecord, flatCopy } from '../csv/csv-decode';
import type { CompiledTable } from './compile-table';
import { repeatedKeyText } from '../core/key-text';
import { advise, existingRowText } from '../mapping/value-advice';

export type RowBatches = () => AsyncIterable<CsvRecord[]>;

export interface MappedRow {
  fields: Array<string | null>;
  line: number;
}

export interface RowPolicyOptions {
  /** Natural keys the target already holds, as JSON arrays of text (for `existing: skip|fail`, and replace's count). */
  existing?: Set<string>;
  origin: string;
  /** Verification wants the rows as the target will hold them, including those it already had. */
  applyExisting?: boolean;
}

/**
 * Applies a compiled table to a source of rows, then the row-level policies: duplicates on a
 * unique index only the target has (fail | keep-first | keep-newest), and rows the target
 * already holds (skip | fail; replace is done by the loader). keep-newest reads the rows twice
 * (first pass finds each key's winner) so memory holds keys, never rows; a key is held as at
 * most a 160-bit digest, and nothing held refers to the file's text (see flatCopy).
 */
export async function* mapRows(
  table: CompiledTable,
  rule: TableRule,
  rows: RowBatches,
  opts: RowPolicyOptions,
): AsyncGenerator<MappedRow[]> {
  const cols = table.targetColumns;
  const uniques = rule.unique.map((u) => {
    const idx = u.columns.map((c) => {
      const i = cols.indexOf(c);
      if (i < 0)
        throw new ConvergeError(
          'MAPPING_UNKNOWN_COLUMN',
          `unique policy names "${c}", which is not a target column of ${rule.target} (${cols.join(', ')})`,
          { ...rule.at, table: rule.source },
        );
      return i;
    });
    const newest = u.newest ? cols.indexOf(u.newest) : -1;
    if (u.newest && newest < 0)
      throw new ConvergeError(
        'MAPPING_UNKNOWN_COLUMN',
        `unique policy's newest: "${u.newest}" is not a target column of ${rule.target}`,
        { ...rule.at, table: rule.source },
      );
    return { spec: u, idx, newest };
  });
  const existingIdx = rule.existing?.key.map((c) => {
    const i = cols.indexOf(c);
    if (i < 0)
      throw new ConvergeError(
        'MAPPING_UNKNOWN_COLUMN',
        `existing policy key "${c}" is not a target column of ${rule.target}`,
        { ...rule.at, table: rule.source },
      );
    return i;
  });
  const nullDrop = nullDropIndexes(rule, cols);

  // First pass, only for keep-newest: the winning row of every key, by its ordinal in the pass
  // (lines repeat across a table's chunk files, ordinals do not). Kept compactly: key → slot,
  // slot → ordinal and newest value (a copy, never a slice of the file's text).
  const winners: Array<{ slotOf: Map<string, number>; ordinals: number[] } | undefined> = [];
  const saved = table.ledger.snapshot();
  for (let u = 0; u < uniques.length; u++) {
    const { spec, idx, newest } = uniques[u];
    if (spec.policy !== 'keep-newest') continue;
    const slotOf = new Map<string, number>();
    const ordinals: number[] = [];
    const newestOf: Array<string | null> = [];
    let ordinal = 0;
    for await (const batch of rows()) {
      for (let b = 0; b < batch.length; b++) {
        const r = batch[b];
        const o = ordinal++;
        const f = table.transformRow(r.fields, r.line);
        if (anyNull(f, nullDrop)) continue;
        const k = uniqueKey(f, idx);
        if (k === undefined) continue;
        const n = newest >= 0 ? f[newest] : null;
        const slot = slotOf.get(k);
        if (slot === undefined) {
          slotOf.set(k, ordinals.length);
          ordinals.push(o);
          newestOf.push(n === null ? null : flatCopy(n));
        } else {
          const cur = newestOf[slot];
          if (n !== null && (cur === null || newer(n, cur))) {
            ordinals[slot] = o;
            newestOf[slot] = flatCopy(n);
          }
        }
      }
    }
    winners[u] = { slotOf, ordinals };
  }
  table.ledger.restore(saved);

  const seen = uniques.map(() => new Map<string, number>());
  const dupLabels = uniques.map((u) => u.spec.columns.join('+'));
  const existingLabel = rule.existing?.key.join('+') ?? '';
  let ordinal = 0;
  for await (const batch of rows()) {
    const out: MappedRow[] = [];
    rowLoop: for (let b = 0; b < batch.length; b++) {
      const r = batch[b];
      const o = ordinal++;
      const f = table.transformRow(r.fields, r.line);
      for (let j = 0; j < nullDrop.length; j++) {
        if (f[nullDrop[j]] === null) {
          table.ledger.add(cols[nullDrop[j]], 'nullRowDropped');
          continue rowLoop;
        }
      }
      for (let u = 0; u < uniques.length; u++) {
        const { spec, idx } = uniques[u];
        const k = uniqueKey(f, idx);
        if (k === undefined) continue;
        const winner = winners[u];
        if (winner !== undefined) {
          if (winner.ordinals[winner.slotOf.get(k)!] !== o) {
            table.ledger.add(dupLabels[u], 'duplicateDropped');
            continue rowLoop;
          }
          continue;
        }
        const first = seen[u].get(k);
        if (first !== undefined) {
          if (spec.policy === 'keep-first') {
            table.ledger.add(dupLabels[u], 'duplicateDropped');
            continue rowLoop;
          }
          throw new ConvergeError(
            'DUPLICATE_ROW',
            `${repeatedKeyText(spec.columns, idx.map((j) => f[j]).join(', '))} (the first at line ${first}), which only the target enforces: ${advise('duplicate-key', {}, { columns: spec.columns }).words}`,
            {
              stage: 'transform',
              table: rule.source,
              file: opts.origin,
              csvLine: r.line,
              column: spec.columns[0],
              value: jsonKey(f, idx),
            },
          );
        }
        seen[u].set(k, r.line);
      }
      if (existingIdx && opts.existing && !opts.applyExisting) {
        const k = jsonKey(f, existingIdx);
        if (k !== undefined && opts.existing.has(k)) {
          if (rule.existing!.policy === 'fail') {
            const key = rule.existing!.key;
            const what = existingRowText(rule.target, key, existingIdx.map((j) => f[j]).join(', '));
            throw new ConvergeError('DUPLICATE_ROW', `${what}: ${advise('existing-row', {}, { columns: key }).words}`, {
              stage: 'transform',
              table: rule.source,
              file: opts.origin,
              csvLine: r.line,
            });
          }
          if (rule.existing!.policy === 'skip') {
            table.ledger.add(existingLabel, 'existingSkipped');
            continue;
          }
          // replace: the row loads, and the loader deletes the target's row with its key first.
          table.ledger.add(existingLabel, 'existingReplaced');
        }
      }
      out.push({ fields: f, line: r.line });
    }
    if (out.length) yield out;
  }
}

/** Target column indexes of dropRowsWithNull; a name that is not a target column is a mapping error. */
export function nullDropIndexes(rule: TableRule, cols: ReadonlyArray<string>): number[] {
  return rule.dropRowsWithNull.map((c) => {
    const i = cols.indexOf(c);
    if (i < 0)
      throw new ConvergeError(
        'MAPPING_UNKNOWN_COLUMN',
        `dropRowsWithNull names "${c}", which is not a target column of ${rule.target}`,
        { ...rule.at, table: rule.source },
      );
    return i;
  });
}

function anyNull(f: ReadonlyArray<string | null>, idx: number[]): boolean {
  for (let j = 0; j < idx.length; j++) if (f[idx[j]] === null) return true;
  return false;
}

/** The key parts as JSON text (the form existingKeys uses); undefined when a part is NULL. */
export function jsonKey(f: ReadonlyArray<string | null>, idx: number[]): string | undefined {
  const parts: string[] = [];
  for (let j = 0; j < idx.length; j++) {
    const p = f[idx[j]];
    // Postgres unique indexes treat NULLs as distinct: a row with a NULL key part never conflicts.
    if (p === null) return undefined;
    parts.push(p);
  }
  return JSON.stringify(parts);
}

/**
 * A key for the in-memory duplicate maps, which hold one entry per distinct key of the table:
 * short keys as their JSON text, longer ones (several uuids, user agents) as a 160-bit digest,
 * so memory per key stays small whatever the columns hold. JSON text starts with '[', a digest
 * in base64 never does, so the two forms cannot meet.
 */
function uniqueKey(f: ReadonlyArray<string | null>, idx: number[]): string | undefined {
  const k = jsonKey(f, idx);
  if (k === undefined || k.length <= DIGEST_OVER) return k;
  return hash('sha1', k, 'base64');
}

const DIGEST_OVER = 40;

const NUMBER = /^-?\d+(\.\d+)?$/;

/** Numbers compare as numbers (version 10 is newer than 9); timestamps and text as text. */
function newer(a: string, b: string): boolean {
  if (NUMBER.test(a) && NUMBER.test(b)) return Number(a) > Number(b);
  return a > b;
}

import { ConvergeError } from '../core/errors';
import type { ColumnRule, TableRule } from '../mapping/load-mapping';
import { ChangeLedger } from './change-ledger';
import { ColumnFn, compileColumn, NULL_SENTINEL } from './compile-column';
import { ValueError } from './transforms/value-error';

export interface SourceColumn {
  name: string;
  encoding: 'text' | 'hex';
}

export interface CompiledTable {
  source: string;
  target: string;
  targetColumns: string[];
  ledger: ChangeLedger;
  /** How each target column is made, in targetColumns order: for the byte-level path (byte-table.ts). */
  slots: ReadonlyArray<CompiledSlot>;
  added: ReadonlyArray<AddedColumn>;
  /** The mapping's default zone (a column's own `timezone` overrides it). */
  timezone: string;
  /**
   * Source row (by source column index) → target row (by targetColumns). Throws ConvergeError.
   * `passed[k] === 1` says source column k is known to pass its column unchanged (checked on its
   * bytes, see byte-table.ts unchangedCheck): its field is copied without running the column.
   */
  transformRow(fields: ReadonlyArray<string | null>, csvLine: number, passed?: Uint8Array): Array<string | null>;
}

export interface CompiledSlot {
  to: string;
  /** Source column index. */
  from: number;
  rule: ColumnRule;
  encoding: 'text' | 'hex';
  fn: ColumnFn;
}

/** A target column the mapping adds: a constant, or source columns joined. */
export interface AddedColumn {
  to: string;
  constant?: string | null;
  concat?: { from: number[]; separator: string };
  make: (row: ReadonlyArray<string | null>) => string | null;
}

export interface CompileTableOptions {
  timezone: string;
  lookups: Map<string, Map<string, string>>;
  /** For error messages: where the rows come from (CSV file or "mysql"). */
  origin: string;
}

/**
 * Binds a table rule to the source's actual columns. Every source column must be mapped or
 * dropped, every mapped column must exist: a mapping that drifted from the schema fails here,
 * before any row is read.
 */
export function compileTable(rule: TableRule, sourceColumns: SourceColumn[], opts: CompileTableOptions): CompiledTable {
  const index = new Map(sourceColumns.map((c, i) => [c.name, i]));
  for (const c of rule.columns.values()) {
    if (!index.has(c.source)) {
      throw new ConvergeError(
        'MAPPING_UNKNOWN_COLUMN',
        `column "${c.source}" is not in source table ${rule.source} (its columns: ${sourceColumns.map((s) => s.name).join(', ')})`,
        { ...c.at, table: rule.source, column: c.source, stage: 'transform' },
      );
    }
  }
  for (const d of rule.drop) {
    if (!index.has(d))
      throw new ConvergeError('MAPPING_UNKNOWN_COLUMN', `dropped column "${d}" is not in source table ${rule.source}`, {
        ...rule.at,
        table: rule.source,
        column: d,
        stage: 'transform',
      });
  }
  const unmapped = sourceColumns.filter((c) => !rule.columns.has(c.name) && !rule.drop.has(c.name));
  if (unmapped.length > 0) {
    throw new ConvergeError(
      'MAPPING_INVALID',
      `source columns neither mapped nor dropped: ${unmapped.map((c) => c.name).join(', ')} (map each one, or list it under drop:)`,
      { ...rule.at, table: rule.source, column: unmapped[0].name, stage: 'transform' },
    );
  }
  const ledger = new ChangeLedger();
  const slots: CompiledSlot[] = [];
  const seenTargets = new Set<string>();
  for (const c of rule.columns.values()) {
    if (c.drop) continue;
    if (seenTargets.has(c.to))
      throw new ConvergeError('MAPPING_INVALID', `two source columns map to target column "${c.to}"`, {
        ...c.at,
        table: rule.source,
        stage: 'transform',
      });
    seenTargets.add(c.to);
    const enc = sourceColumns[index.get(c.source)!].encoding;
    slots.push({
      to: c.to,
      from: index.get(c.source)!,
      rule: c,
      encoding: enc,
      fn: compileColumn(c, { timezone: opts.timezone, lookups: opts.lookups, ledger, sourceEncoding: enc }),
    });
  }
  const added: AddedColumn[] = [];
  for (const [to, spec] of Object.entries(rule.add)) {
    if (seenTargets.has(to))
      throw new ConvergeError('MAPPING_INVALID', `added column "${to}" is also mapped from the source`, {
        ...rule.at,
        table: rule.source,
        stage: 'transform',
      });
    seenTargets.add(to);
    if (spec.concat) {
      const idx = spec.concat.map((n) => {
        const i = index.get(n);
        if (i === undefined)
          throw new ConvergeError('MAPPING_UNKNOWN_COLUMN', `concat names "${n}", not a column of ${rule.source}`, {
            ...rule.at,
            table: rule.source,
            stage: 'transform',
          });
        return i;
      });
      const sep = spec.separator ?? '';
      added.push({
        to,
        concat: { from: idx, separator: sep },
        make: (row) => (idx.some((i) => row[i] === null) ? null : idx.map((i) => row[i]).join(sep)),
      });
    } else {
      const k = spec.constant ?? null;
      added.push({ to, constant: k, make: () => k });
    }
  }
  for (const d of rule.drop) ledger.add(d, 'columnDropped', 0);
  const targetColumns = [...slots.map((s) => s.to), ...added.map((a) => a.to)];
  const nSlots = slots.length;

  return {
    source: rule.source,
    target: rule.target,
    targetColumns,
    ledger,
    slots,
    added,
    timezone: opts.timezone,
    transformRow(fields, csvLine, passed) {
      const out: Array<string | null> = new Array(targetColumns.length);
      let i = 0;
      try {
        for (; i < nSlots; i++) {
          const s = slots[i];
          const v = passed !== undefined && passed[s.from] === 1 ? fields[s.from] : s.fn(fields[s.from]);
          out[i] = v === NULL_SENTINEL ? null : v;
        }
      } catch (e) {
        if (e instanceof ValueError) {
          const s = slots[i];
          const rule0 = rule.columns.get(sourceColumns[s.from].name);
          throw new ConvergeError(e.code, e.message, {
            stage: 'transform',
            table: rule.source,
            column: sourceColumns[s.from].name,
            file: opts.origin,
            csvLine,
            value: truncate(fields[s.from]),
            row: rowObject(sourceColumns, fields),
            mappingRule: rule0 ? `${rule0.at.file}:${rule0.at.line}` : undefined,
          });
        }
        throw e;
      }
      for (let j = 0; j < added.length; j++) out[nSlots + j] = added[j].make(fields);
      return out;
    },
  };
}

function truncate(v: string | null): string | undefined {
  if (v === null) return undefined;
  return v.length > 200 ? v.slice(0, 200) + '…' : v;
}

export function rowObject(cols: SourceColumn[], fields: ReadonlyArray<string | null>): Record<string, string | null> {
  const o: Record<string, string | null> = {};
  cols.forEach((c, i) => (o[c.name] = fields[i] === null ? null : (truncate(fields[i]) ?? null)));
  return o;
}

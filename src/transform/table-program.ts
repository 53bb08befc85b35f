import { ConvergeError } from '../core/errors';
import type { Mapping, TableRule } from '../mapping/load-mapping';
import type { ManifestTable } from '../manifest';
import { splitTarget, tableKey } from '../target/postgres/catalog';
import { compileTable, CompiledTable, SourceColumn } from './compile-table';

/**
 * One source table on its way to its target table: the mapping's rule compiled against the
 * source's actual columns. The same program runs whether the rows come from an export's CSV
 * files (transform) or straight from the MySQL snapshot (migrate); it is the only place a value
 * is transformed.
 */
export interface TableProgram<S> {
  source: S;
  sourceName: string;
  rule: TableRule;
  compiled: CompiledTable;
  /** The target as the mapping names it ("table" or "schema.table"), and its catalog key. */
  targetName: string;
  key: string;
  schema: string;
  table: string;
  /** Natural keys the target already holds, for `existing` (read before rows move; replace only counts them). */
  existing?: Set<string>;
}

export interface CompileProgramsOptions<S> {
  name(s: S): string;
  columns(s: S): SourceColumn[];
  /** Where the rows come from, for errors (a CSV file, or mysql:<table>). */
  origin(s: S): string;
  /** Source tables left out on purpose (pipeline `source.exclude`): a rule may name them. */
  excluded: Set<string>;
  lookups: Map<string, Map<string, string>>;
  defaultSchema: string;
  /** What an unmapped source table's error points at (the export folder, or the mapping folder). */
  unmappedAt: string;
}

/**
 * Binds the mapping to the source tables: every table mapped (or skipped), every mapped table
 * present, one source per target. A mapping that drifted from the schema fails here, before any
 * row moves. Programs come in source-name order.
 */
export function compilePrograms<S>(mapping: Mapping, sources: S[], o: CompileProgramsOptions<S>): TableProgram<S>[] {
  checkCoverage(mapping, sources.map(o.name), o.excluded, o.unmappedAt);
  const out: TableProgram<S>[] = [];
  const targets = new Set<string>();
  for (const source of [...sources].sort((a, b) => o.name(a).localeCompare(o.name(b)))) {
    const sourceName = o.name(source);
    const rule = mapping.tables.get(sourceName)!;
    if (rule.skip) continue;
    if (targets.has(rule.target))
      throw new ConvergeError('MAPPING_INVALID', `two source tables map to target table ${rule.target}`, {
        ...rule.at,
      });
    targets.add(rule.target);
    const compiled = compileTable(rule, o.columns(source), {
      timezone: mapping.timezone,
      lookups: o.lookups,
      origin: o.origin(source),
    });
    const { schema, table } = splitTarget(rule.target, o.defaultSchema);
    out.push({
      source,
      sourceName,
      rule,
      compiled,
      targetName: rule.target,
      key: tableKey(schema, table),
      schema,
      table,
    });
  }
  return out;
}

/** The transformed CSV's file name for a target table, whichever path wrote it. */
export function programFile(p: Pick<TableProgram<unknown>, 'targetName'>): string {
  return `${p.targetName}.csv`;
}

/** What a program did to one table, as the transform manifest records it (transform and migrate alike). */
export function transformedEntry(
  p: TableProgram<unknown>,
  r: { rows: number; rowsIn: number; bytes: number; sha256: string; seconds: number },
): ManifestTable {
  const dropped = r.rowsIn - r.rows;
  return {
    name: p.targetName,
    sourceTable: p.sourceName,
    file: programFile(p),
    columns: p.compiled.targetColumns.map((c) => ({ name: c, encoding: 'text' })),
    rows: r.rows,
    rowsIn: r.rowsIn,
    bytes: r.bytes,
    sha256: r.sha256,
    seconds: r.seconds,
    status: 'complete',
    changes: p.compiled.ledger.counts,
    droppedRows: dropped ? { total: dropped } : undefined,
    existing: p.rule.existing,
  };
}

/** Every source table needs a rule, and every rule a source table (or an exclusion): drift fails before any row moves. */
export function checkCoverage(
  mapping: Mapping,
  sourceNames: string[],
  excluded: Set<string>,
  unmappedAt: string,
): void {
  const unmapped = sourceNames.filter((n) => !mapping.tables.has(n));
  if (unmapped.length) {
    throw new ConvergeError(
      'MAPPING_UNKNOWN_TABLE',
      `source tables with no mapping: ${unmapped.join(', ')} (add them to the mapping, or mark them skip)`,
      { file: unmappedAt, table: unmapped[0], stage: 'transform' },
    );
  }
  const names = new Set(sourceNames);
  for (const [name, rule] of mapping.tables) {
    if (!names.has(name) && !excluded.has(name) && !rule.skip) {
      throw new ConvergeError('MAPPING_UNKNOWN_TABLE', `mapping names table ${name}, which the source does not have`, {
        ...rule.at,
        table: name,
        stage: 'transform',
      });
    }
  }
}

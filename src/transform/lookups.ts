import type { TableProgram } from './table-program';
import path from 'node:path';
import { ConvergeError } from '../core/errors';
import { Manifest, tableFiles } from '../manifest';
import type { Mapping } from '../mapping/load-mapping';
import { readCsvRecords } from '../csv/read-csv';
import type { PgSession } from '../target/postgres/connect';
import { existingKeys, readTargetKeys } from '../target/postgres/lookups';
import { lookupKey } from './lookup-key';

export { lookupKey };

/** Source rows of a lookup's table: (key, natural key) pairs, from the export or live MySQL. */
export type SourcePairs = (
  table: string,
  key: string,
  naturalKey: string,
) => AsyncIterable<[string | null, string | null]>;

export function pairsFromExport(exportDir: string, manifest: Manifest): SourcePairs {
  return async function* (table, key, naturalKey) {
    const t = manifest.tables[table];
    if (!t)
      throw new ConvergeError('MAPPING_UNKNOWN_TABLE', `lookup source table ${table} is not in the export`, { table });
    const ki = t.columns.findIndex((c) => c.name === key);
    const ni = t.columns.findIndex((c) => c.name === naturalKey);
    if (ki < 0 || ni < 0)
      throw new ConvergeError(
        'MAPPING_UNKNOWN_COLUMN',
        `lookup columns ${key}/${naturalKey} are not both in ${table}`,
        { table },
      );
    // A chunked table's rows are spread over several files, each with its own header.
    for (const f of tableFiles(t))
      for await (const r of readCsvRecords({ file: path.join(exportDir, f) })) yield [r.fields[ki], r.fields[ni]];
  };
}

/**
 * Builds every lookup: source id → target id for rows with the same natural key (e.g. Kratos
 * credential types by name). Ids whose natural key the target lacks stay as they are, or fail.
 */
export async function buildLookups(
  mapping: Mapping,
  sourcePairs: SourcePairs,
  target: PgSession | undefined,
  schema: string,
): Promise<Map<string, Map<string, string>>> {
  const out = new Map<string, Map<string, string>>();
  for (const [name, spec] of mapping.lookups) {
    if (!target)
      throw new ConvergeError('USAGE', `lookup ${name} needs the target database: pass --target`, { ...spec.at });
    const byNatural = await readTargetKeys(target, schema, spec.target.table, spec.target.key, spec.target.naturalKey);
    const m = new Map<string, string>();
    for await (const [k, n] of sourcePairs(spec.source.table, spec.source.key, spec.source.naturalKey)) {
      if (k === null || n === null) continue;
      const to = byNatural.get(n);
      if (to !== undefined) m.set(lookupKey(k), to);
      else if (spec.missing === 'error') {
        throw new ConvergeError(
          'LOOKUP_MISSING',
          `lookup ${name}: the target has no ${spec.target.table} row with ${spec.target.naturalKey} = ${JSON.stringify(n)}`,
          { ...spec.at, table: spec.source.table },
        );
      }
    }
    out.set(name, m);
  }
  return out;
}

/**
 * Reads the natural keys the target holds for tables with an `existing` policy: skip and fail
 * act on them; replace's rows load either way, and the keys only count them (existingReplaced).
 */
export async function readExisting(client: PgSession, tables: Array<TableProgram<unknown>>): Promise<void> {
  for (const t of tables) {
    const ex = t.rule.existing;
    if (ex) t.existing = await existingKeys(client, t.schema, t.table, ex.key);
  }
}

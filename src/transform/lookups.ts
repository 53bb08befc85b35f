import type { TableProgram } from './table-program';
import path from 'node:path';
import type { Client } from 'pg';
import { ConvergeError } from '../core/errors';
import { Manifest, tableFiles } from '../manifest';
import type { Mapping } from '../mapping/load-mapping';
import { readCsvRecords } from '../csv/read-csv';
import { qualifiedPg, quotePg } from '../target/postgres/connect';
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
  target: Client | undefined,
  schema: string,
): Promise<Map<string, Map<string, string>>> {
  const out = new Map<string, Map<string, string>>();
  for (const [name, spec] of mapping.lookups) {
    if (!target)
      throw new ConvergeError('USAGE', `lookup ${name} needs the target database: pass --target`, { ...spec.at });
    const byNatural = new Map<string, string>();
    const { rows } = await target.query(
      `SELECT ${quotePg(spec.target.key)}::text AS k, ${quotePg(spec.target.naturalKey)}::text AS n FROM ${qualifiedPg(schema, spec.target.table)}`,
    );
    for (const r of rows) byNatural.set(r.n, r.k);
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

/** Natural keys the target already holds for a table (for `existing:` policies). */
export async function existingKeys(target: Client, schema: string, table: string, key: string[]): Promise<Set<string>> {
  const cols = key.map((k) => `${quotePg(k)}::text`).join(', ');
  const { rows } = await target.query({ text: `SELECT ${cols} FROM ${qualifiedPg(schema, table)}`, rowMode: 'array' });
  return new Set(rows.map((r: unknown[]) => JSON.stringify(r)));
}

/** Reads the natural keys the target holds for tables with `existing: skip | fail`. */
export async function readExisting(client: Client, tables: Array<TableProgram<unknown>>): Promise<void> {
  for (const t of tables) {
    const ex = t.rule.existing;
    if (ex && ex.policy !== 'replace') t.existing = await existingKeys(client, t.schema, t.table, ex.key);
  }
}

import { ConvergeError } from '../core/errors';
import type { Mapping, TableRule } from '../mapping/load-mapping';
import type { MysqlConnection } from '../source/mysql/connect';
import { exportEncoding, MysqlTable } from '../source/mysql/catalog';
import { mysqlKeyPairs } from '../source/mysql/key-pairs';
import { splitTarget, tableKey } from '../target/postgres/catalog';
import { compileTable, CompiledTable } from '../transform/compile-table';
import type { SourcePairs } from '../transform/lookups';
import type { PgSession } from '../target/postgres/connect';
import { existingKeys } from '../target/postgres/lookups';

/** One source table on its way to its target table: the mapping compiled against the live columns. */
export interface MigrateTable {
  source: MysqlTable;
  rule: TableRule;
  compiled: CompiledTable;
  /** The target as the mapping names it ("table" or "schema.table"), and its catalog key. */
  targetName: string;
  key: string;
  schema: string;
  table: string;
  /** Natural keys the target already holds, for `existing: skip | fail`. */
  existing?: Set<string>;
}

/**
 * Binds the mapping to the source tables of the snapshot, as transform does to the export:
 * every table mapped (or skipped), every mapped table present, one source per target. A mapping
 * that drifted from the schema fails here, before any row moves.
 */
export function compileTables(
  mapping: Mapping,
  tables: MysqlTable[],
  excluded: Set<string>,
  lookups: Map<string, Map<string, string>>,
  defaultSchema: string,
): MigrateTable[] {
  const unmapped = tables.filter((t) => !mapping.tables.has(t.name)).map((t) => t.name);
  if (unmapped.length) {
    throw new ConvergeError(
      'MAPPING_UNKNOWN_TABLE',
      `source tables with no mapping: ${unmapped.join(', ')} (add them to the mapping, or mark them skip)`,
      { file: mapping.dir, table: unmapped[0], stage: 'transform' },
    );
  }
  const names = new Set(tables.map((t) => t.name));
  for (const [name, rule] of mapping.tables) {
    if (!names.has(name) && !excluded.has(name) && !rule.skip) {
      throw new ConvergeError('MAPPING_UNKNOWN_TABLE', `mapping names table ${name}, which the source does not have`, {
        ...rule.at,
        table: name,
        stage: 'transform',
      });
    }
  }
  const out: MigrateTable[] = [];
  const targets = new Set<string>();
  for (const source of [...tables].sort((a, b) => a.name.localeCompare(b.name))) {
    const rule = mapping.tables.get(source.name)!;
    if (rule.skip) continue;
    if (targets.has(rule.target))
      throw new ConvergeError('MAPPING_INVALID', `two source tables map to target table ${rule.target}`, {
        ...rule.at,
      });
    targets.add(rule.target);
    const columns = source.columns.map((c) => ({ name: c.name, encoding: exportEncoding(c) }));
    const compiled = compileTable(rule, columns, {
      timezone: mapping.timezone,
      lookups,
      origin: `mysql:${source.name}`,
    });
    const { schema, table } = splitTarget(rule.target, defaultSchema);
    out.push({ source, rule, compiled, targetName: rule.target, key: tableKey(schema, table), schema, table });
  }
  return out;
}

/** Reads the natural keys the target holds for tables with `existing: skip | fail`. */
export async function readExisting(client: PgSession, tables: MigrateTable[]): Promise<void> {
  for (const t of tables) {
    const ex = t.rule.existing;
    if (ex && ex.policy !== 'replace') t.existing = await existingKeys(client, t.schema, t.table, ex.key);
  }
}

/** Lookup pairs read from a connection of the snapshot, so lookups see the rows being moved. */
export function pairsFromSnapshot(conn: MysqlConnection): SourcePairs {
  return mysqlKeyPairs(conn);
}

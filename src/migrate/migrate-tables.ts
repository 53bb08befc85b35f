import type { Mapping } from '../mapping/load-mapping';
import type { MysqlConnection } from '../source/mysql/connect';
import { exportEncoding, MysqlTable } from '../source/mysql/catalog';
import type { SourcePairs } from '../transform/lookups';
import { compilePrograms, TableProgram } from '../transform/table-program';
import { mysqlKeyPairs } from '../source/mysql/key-pairs';

/** A table program whose rows come from the MySQL snapshot. */
export type MigrateTable = TableProgram<MysqlTable>;

/** The mapping compiled against the snapshot's tables (the same compile as transform's). */
export function compileTables(
  mapping: Mapping,
  tables: MysqlTable[],
  excluded: Set<string>,
  lookups: Map<string, Map<string, string>>,
  defaultSchema: string,
): MigrateTable[] {
  return compilePrograms(mapping, tables, {
    name: (t) => t.name,
    columns: (t) => t.columns.map((c) => ({ name: c.name, encoding: exportEncoding(c) })),
    origin: (t) => `mysql:${t.name}`,
    excluded,
    lookups,
    defaultSchema,
    unmappedAt: mapping.dir,
  });
}

/** Lookup pairs read from a connection of the snapshot, so lookups see the rows being moved. */
export function pairsFromSnapshot(conn: MysqlConnection): SourcePairs {
  return mysqlKeyPairs(conn);
}

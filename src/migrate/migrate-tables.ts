import type { Mapping } from '../mapping/load-mapping';
import type { MysqlConnection } from '../source/mysql/connect';
import { exportEncoding, MysqlTable } from '../source/mysql/catalog';
import { quoteMysql } from '../source/mysql/quote';
import type { SourcePairs } from '../transform/lookups';
import { compilePrograms, TableProgram } from '../transform/table-program';

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
  return async function* (table, key, naturalKey) {
    const [rows] = await conn.query({
      sql: `SELECT ${quoteMysql(key)}, ${quoteMysql(naturalKey)} FROM ${quoteMysql(table)}`,
      rowsAsArray: true,
    });
    for (const r of rows as Array<[unknown, unknown]>)
      yield [r[0] === null ? null : String(r[0]), r[1] === null ? null : String(r[1])];
  };
}

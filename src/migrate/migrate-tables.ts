import type { Mapping } from '../mapping/load-mapping';
import type { MysqlConnection } from '../source/mysql/connect';
import { exportEncoding, MysqlTable, readMysqlCatalog } from '../source/mysql/catalog';
import type { PgSession } from '../target/postgres/connect';
import { buildLookups } from '../transform/lookups';
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

/**
 * The source's catalog read and the mapping compiled against it, its lookups read on `conn` (a
 * connection of the snapshot, so lookups see the rows being moved): what migrate and follow
 * both start from.
 */
export async function compileFromSource(o: {
  conn: MysqlConnection;
  control: PgSession;
  database: string;
  mapping: Mapping;
  excluded: Set<string>;
  defaultSchema: string;
}): Promise<{ all: MysqlTable[]; tables: MigrateTable[] }> {
  const all = await readMysqlCatalog(o.conn, o.database);
  const lookups = await buildLookups(o.mapping, mysqlKeyPairs(o.conn), o.control, o.defaultSchema);
  const tables = compileTables(
    o.mapping,
    all.filter((t) => !o.excluded.has(t.name)),
    o.excluded,
    lookups,
    o.defaultSchema,
  );
  return { all, tables };
}

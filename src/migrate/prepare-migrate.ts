import type { Logger } from 'pino';
import type { Mapping } from '../mapping/load-mapping';
import { MysqlConnection, mysqlServerVersion } from '../source/mysql/connect';
import { LoadControl, prepareLoad, PreparedLoad } from '../target/postgres/load/load-session';
import { ensureRowReaderInternals } from '../source/mysql/driver-internals';
import { readExisting } from '../transform/lookups';
import { compileFromSource, MigrateTable } from './migrate-tables';
import { requireStaticMapCheck } from '../mapping/check/static-map-check';

export interface MigratePlan extends PreparedLoad {
  tables: MigrateTable[];
  byKey: Map<string, MigrateTable>;
  excluded: Set<string>;
  serverVersion: string;
}

/**
 * Everything decided before a row moves, on a connection of the snapshot and the target's
 * control client: the source catalog and lookups (from the snapshot), the mapping compiled
 * against it, the target's catalog and the import planner's load plan, the target-state checks
 * (empty tables or --truncate, existing keys), and which tables get set-based FK checks.
 */
export async function prepareMigrate(o: {
  conn: MysqlConnection;
  lc: LoadControl;
  database: string;
  mapping: Mapping;
  exclude: string[];
  defaultSchema: string;
  replaceSeeded: string[];
  truncate: boolean;
  perRowFkChecks: boolean;
  log: Logger;
}): Promise<MigratePlan> {
  const version = await mysqlServerVersion(o.conn);
  const excluded = new Set(o.exclude);
  ensureRowReaderInternals(); // before any row is read: see driver-internals.ts
  const { all, tables } = await compileFromSource({ ...o, control: o.lc.control, excluded });
  const byKey = new Map(tables.map((t) => [t.key, t]));
  // Before the target is touched: a mapping that must fail (a NOT NULL column nothing feeds, a declared
  // value its column cannot hold) fails here, with every such problem at its file and line.
  await requireStaticMapCheck({
    pg: o.lc.control,
    mapping: o.mapping,
    targetSchema: o.defaultSchema,
    source: all,
    excluded: o.exclude,
    stage: 'import',
    certainOnly: true,
  });
  const prepared = await prepareLoad(o.lc, {
    tables: tables.map((t) => ({
      key: t.key,
      schema: t.schema,
      table: t.table,
      files: [],
      columns: t.compiled.targetColumns,
      rows: 0,
      replaceKey: t.rule.existing?.policy === 'replace' ? t.rule.existing.key : undefined,
      existingAllowed: !!t.rule.existing,
    })),
    defaultSchema: o.defaultSchema,
    replaceSeeded: o.replaceSeeded,
    truncate: o.truncate,
    perRowFkChecks: o.perRowFkChecks,
    log: o.log,
  });
  await readExisting(o.lc.control, tables);
  return { ...prepared, tables, byKey, excluded, serverVersion: version };
}

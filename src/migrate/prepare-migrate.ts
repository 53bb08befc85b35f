import type { Logger } from 'pino';
import { GroupPlan, planLoad, PlanInput, resolveSeeded } from '../target/postgres/load/load-plan';
import type { Mapping } from '../mapping/load-mapping';
import { MysqlConnection, mysqlServerVersion } from '../source/mysql/connect';
import type { PgSession } from '../target/postgres/connect';
import { PgCatalog, PgForeignKey, readPgCatalog } from '../target/postgres/catalog';
import { setBasedTables } from '../target/postgres/load/fk-validation';
import { checkTargetColumns, requireEmptyTargets } from '../target/postgres/load/target-checks';
import { ensureRowReaderInternals } from '../source/mysql/driver-internals';
import { readExisting } from '../transform/lookups';
import { compileFromSource, MigrateTable } from './migrate-tables';
import { requireStaticMapCheck } from '../mapping/check/static-map-check';

export interface MigratePlan {
  tables: MigrateTable[];
  byKey: Map<string, MigrateTable>;
  catalog: PgCatalog;
  plan: GroupPlan[];
  /** replaceSeeded tables, as catalog keys. */
  seeded: string[];
  /** Tables whose own foreign keys are checked once per key (see fk-validation.ts). */
  setBased: Map<string, PgForeignKey[]>;
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
  control: PgSession;
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
  const { all, tables } = await compileFromSource({ ...o, excluded });
  const byKey = new Map(tables.map((t) => [t.key, t]));
  // Before the target is touched: a mapping that must fail (a NOT NULL column nothing feeds, a declared
  // value its column cannot hold) fails here, with every such problem at its file and line.
  await requireStaticMapCheck({
    pg: o.control,
    mapping: o.mapping,
    targetSchema: o.defaultSchema,
    source: all,
    excluded: o.exclude,
    stage: 'import',
    certainOnly: true,
  });
  const catalog = await readPgCatalog(o.control, [...new Set(tables.map((t) => t.schema))]);
  for (const t of tables) checkTargetColumns(catalog, { ...t, columns: t.compiled.targetColumns }, o.log);
  const inputs: PlanInput[] = tables.map((t) => ({
    key: t.key,
    schema: t.schema,
    table: t.table,
    files: [],
    columns: t.compiled.targetColumns,
    rows: 0,
    replaceKey: t.rule.existing?.policy === 'replace' ? t.rule.existing.key : undefined,
  }));
  const plan = planLoad(inputs, catalog);
  const seeded = resolveSeeded(o.replaceSeeded, o.defaultSchema, (k) => byKey.has(k));
  await requireEmptyTargets(
    o.control,
    tables.map((t) => ({ ...t, existingAllowed: !!t.rule.existing, seeded: seeded.includes(t.key) })),
    o.truncate,
    o.log,
  );
  await readExisting(o.control, tables);
  const setBased = o.perRowFkChecks
    ? new Map<string, PgForeignKey[]>()
    : await setBasedTables(o.control, plan, catalog);
  return { tables, byKey, catalog, plan, seeded, setBased, excluded, serverVersion: version };
}

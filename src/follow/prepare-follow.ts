import { ConvergeError } from '../core/errors';
import type { Mapping } from '../mapping/load-mapping';
import { compileFromSource } from '../migrate/migrate-tables';
import type { MysqlTable } from '../source/mysql/catalog';
import type { MysqlConnection } from '../source/mysql/connect';
import { checkBinlogSettings } from '../source/mysql/binlog/binlog-check';
import { readPgCatalog } from '../target/postgres/catalog';
import type { PgSession } from '../target/postgres/connect';
import { existingKeys } from '../target/postgres/lookups';
import { FollowTable, followTable } from './change-plan';

export interface FollowPlan {
  /** By source table name. */
  tables: Map<string, FollowTable>;
  /** Source tables as the catalog has them (the column order row images are read in). */
  sources: Map<string, MysqlTable>;
  /** Source tables whose changes are not followed: skipped by the mapping, or excluded by the pipeline. */
  ignore: Set<string>;
}

/** Natural keys the target held before the load, per table with `existing: skip | fail` (catalog key → JSON keys). */
export type ExistingKeys = Record<string, string[]>;

/**
 * The mapping bound to the live source and the target for following: the same compile as the
 * snapshot load (compileTables, lookups from the source), each program keyed by its target's
 * primary key. Refuses by name what cannot be followed (binlog settings, a table without a
 * key, a row policy that needs the whole table) — before a load when called by migrate --follow.
 */
export async function prepareFollow(o: {
  conn: MysqlConnection;
  control: PgSession;
  database: string;
  mapping: Mapping;
  exclude: string[];
  defaultSchema: string;
  existing?: ExistingKeys;
}): Promise<FollowPlan> {
  await checkBinlogSettings(o.conn);
  const excluded = new Set(o.exclude);
  const { all, tables: programs } = await compileFromSource({ ...o, excluded });
  const catalog = await readPgCatalog(o.control, [...new Set(programs.map((p) => p.schema))]);
  const tables = new Map<string, FollowTable>();
  for (const p of programs) {
    const pg = catalog.tables.get(p.key);
    if (!pg)
      throw new ConvergeError('TARGET_SCHEMA', `target table ${p.key} does not exist`, {
        stage: 'follow',
        table: p.key,
      });
    const keys = o.existing?.[p.key];
    tables.set(
      p.sourceName,
      followTable(
        p,
        {
          source: p.source.primaryKey,
          target: pg.primaryKey,
          sourceIdx: p.source.primaryKey.map((k) => p.source.columns.findIndex((c) => c.name === k)),
        },
        keys ? new Set(keys) : undefined,
        pg.columns.filter((c) => c.identityAlways).map((c) => c.name),
      ),
    );
  }
  const ignore = new Set(all.map((t) => t.name).filter((n) => !tables.has(n)));
  return { tables, sources: new Map(all.map((t) => [t.name, t])), ignore };
}

/** Before the load: the natural keys the target already holds, which `existing: skip | fail` compare changes with. */
export async function readExistingKeys(control: PgSession, plan: FollowPlan): Promise<ExistingKeys> {
  const out: ExistingKeys = {};
  for (const t of plan.tables.values()) {
    const ex = t.program.rule.existing;
    if (ex && ex.policy !== 'replace')
      out[t.program.key] = [...(await existingKeys(control, t.program.schema, t.program.table, ex.key))];
  }
  return out;
}

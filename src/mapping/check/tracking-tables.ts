import type { Mapping } from '../load-mapping';
import type { MappingProblem } from './mapping-problem';

/**
 * Tables in which a migration tool records which migrations it applied. They describe a
 * schema, not the application's data: each side keeps its own (MySQL's history names MySQL
 * migrations; the target's, the Postgres ones its tool applied), so converge never drafts,
 * copies or loads one. Copying the source's rows over the target's leaves the application's
 * next migration run wrong, while map check, migrate and verify all pass.
 */
const KNOWN: Record<string, string> = {
  migrations: 'TypeORM (or Laravel)',
  typeorm_metadata: 'TypeORM',
  schema_migration: 'pop/popx (Ory Kratos, Hydra, Keto)',
  flyway_schema_history: 'Flyway',
  databasechangelog: 'Liquibase',
  databasechangeloglock: 'Liquibase',
  knex_migrations: 'Knex',
  knex_migrations_lock: 'Knex',
  _prisma_migrations: 'Prisma',
  alembic_version: 'Alembic',
  goose_db_version: 'goose',
  django_migrations: 'Django',
  schema_migrations: 'Rails, golang-migrate or dbmate',
  ar_internal_metadata: 'Rails',
  sequelizemeta: 'Sequelize',
  sequelizedata: 'Sequelize',
  doctrine_migration_versions: 'Doctrine',
  phinxlog: 'Phinx',
  _sqlx_migrations: 'sqlx',
  __diesel_schema_migrations: 'Diesel',
  __efmigrationshistory: 'Entity Framework',
};

/** The tool whose tracking table this is ("the pipeline" for one it declares), or undefined. */
export function trackingTool(table: string, declared: Iterable<string> = []): string | undefined {
  const bare = table.includes('.') ? table.slice(table.lastIndexOf('.') + 1) : table;
  for (const d of declared) if (d === table || d === bare) return 'the pipeline (its tracking key)';
  return KNOWN[bare.toLowerCase()];
}

/** Why a tracking table is left out, as map init writes it and map check says it. */
export function trackingReason(table: string, tool: string): string {
  return `${table} is the migration-tracking table of ${tool}: never copied, each side keeps its own history`;
}

/**
 * map check: a mapping that loads a tracking table (source or target side) is refused unless
 * the table rule says copyMigrationHistory: true (a deliberate, rare choice).
 */
export function trackingTableProblems(mapping: Mapping, declared: string[] = []): MappingProblem[] {
  const problems: MappingProblem[] = [];
  for (const rule of mapping.tables.values()) {
    if (rule.skip || rule.copyMigrationHistory) continue;
    const hit = [rule.source, rule.target]
      .map((t) => ({ t, tool: trackingTool(t, declared) }))
      .find((x) => x.tool !== undefined);
    if (!hit) continue;
    problems.push({
      kind: 'tracking-table-copied',
      severity: 'error',
      table: rule.source,
      at: rule.at,
      message: `${trackingReason(hit.t, hit.tool!)}; loading it overwrites the target's migration history`,
      expected: `${rule.source}: skip (or copyMigrationHistory: true to copy it anyway)`,
      found: 'a rule that copies it',
    });
  }
  return problems;
}

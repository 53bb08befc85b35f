/**
 * The contract between the schema stage (which files are pending, what a tracking row holds)
 * and each engine's migration session (how a file and its tracking row are applied there).
 */

/** How an application records its applied migrations (see src/schema/apply-migrations.ts). */
export interface TrackingSpec {
  /** Postgres only: the tracking table's schema. */
  schema?: string;
  table: string;
  style: 'pop' | 'typeorm' | 'converge';
}

/** One migration file as an engine needs it. */
export interface MigrationSql {
  version: string;
  name: string;
  file: string;
  sql: string;
}

export interface MigrationSession {
  /** The tracking table's recorded keys (version, or TypeORM's name). */
  applied(): Promise<Set<string>>;
  /** Runs one file and records it with the tracking table's values, in the order of its INSERT. */
  apply(f: MigrationSql, trackingValues: unknown[]): Promise<void>;
}

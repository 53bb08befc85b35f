import { ConnectionInfo } from '../core/connection-url';
import { withMysqlMigrations } from '../source/mysql/schema-migrations';
import { withPgMigrations } from '../target/postgres/schema-migrations';
import type { MigrationSession, TrackingSpec } from '../core/migration-session';
import { readMigrationDir, MigrationFile } from './migration-files';

/**
 * How the schema's owner records applied versions. Each application keeps its own table in
 * its own shape: Kratos (pop) `schema_migration`, TypeORM `migrations_typeorm`, converge its own.
 */
export type TrackingTable = TrackingSpec;

export interface MigrationResult {
  version: string;
  name: string;
  status: 'applied' | 'already-applied';
}

export interface ApplyOptions {
  dialect: 'postgres' | 'mysql';
  connection: ConnectionInfo;
  dir: string;
  tracking: TrackingTable;
}

/** Applies every migration not yet recorded, in order; running it twice changes nothing. */
export async function applyMigrations(opts: ApplyOptions): Promise<MigrationResult[]> {
  const files = await readMigrationDir(opts.dir);
  const style = opts.tracking.style;
  const run = async (s: MigrationSession) =>
    applyPending(files, await s.applied(), style, (f) => s.apply(f, trackingValues(f, style)));
  return opts.dialect === 'postgres'
    ? withPgMigrations(opts.connection, opts.tracking, run)
    : withMysqlMigrations(opts.connection, opts.tracking, run);
}

/** Applies, in order, every file the tracking table does not list yet; one result per file. */
async function applyPending(
  files: MigrationFile[],
  done: Set<string>,
  style: TrackingTable['style'],
  apply: (f: MigrationFile) => Promise<void>,
): Promise<MigrationResult[]> {
  const results: MigrationResult[] = [];
  for (const f of files) {
    if (done.has(trackingKey(f, style))) {
      results.push({ version: f.version, name: f.name, status: 'already-applied' });
      continue;
    }
    await apply(f);
    results.push({ version: f.version, name: f.name, status: 'applied' });
  }
  return results;
}

function trackingKey(f: MigrationFile, style: TrackingTable['style']): string {
  return style === 'typeorm' ? `${f.name}${f.version}` : f.version;
}

function trackingValues(f: MigrationFile, style: TrackingTable['style']): unknown[] {
  if (style === 'typeorm') return [Number(f.version), `${f.name}${f.version}`];
  if (style === 'pop') return [f.version];
  return [f.version, f.name, f.sha256];
}

import { ConnectionInfo } from '../core/connection-url';
import { ConvergeError, messageOf } from '../core/errors';
import { openMysql } from '../source/mysql/connect';
import { quoteMysql } from '../source/mysql/quote';
import { openPg, qualifiedPg } from '../target/postgres/connect';
import { readMigrationDir, MigrationFile } from './migration-files';

/**
 * How the schema's owner records applied versions. Each application keeps its own table in
 * its own shape: Kratos (pop) `schema_migration`, TypeORM `migrations_typeorm`, converge its own.
 */
export interface TrackingTable {
  schema?: string;
  table: string;
  style: 'pop' | 'typeorm' | 'converge';
}

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
  return opts.dialect === 'postgres' ? applyPostgres(opts, files) : applyMysql(opts, files);
}

async function applyPostgres(opts: ApplyOptions, files: MigrationFile[]): Promise<MigrationResult[]> {
  const client = await openPg(opts.connection, { applicationName: 'converge schema apply' });
  const t = opts.tracking;
  const table = qualifiedPg(t.schema, t.table);
  const results: MigrationResult[] = [];
  try {
    // Serialise concurrent appliers on the same database.
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [`converge-migrations:${t.schema ?? ''}.${t.table}`]);
    if (t.schema) await client.query(`CREATE SCHEMA IF NOT EXISTS ${qualifiedPg(undefined, t.schema)}`);
    await client.query(trackingDdlPg(table, t.style));
    const done = new Set(
      (await client.query(`SELECT ${versionColumn(t.style)} AS v FROM ${table}`)).rows.map((r) => String(r.v)),
    );
    results.push(
      ...(await applyPending(files, done, t.style, async (f) => {
        try {
          await client.query('BEGIN');
          await client.query(f.sql);
          await client.query(insertTrackingPg(table, t.style), trackingValues(f, t.style));
          await client.query('COMMIT');
        } catch (e) {
          // The failure is rethrown below; a ROLLBACK on a broken connection must not replace it.
          await client.query('ROLLBACK').catch(() => undefined);
          const pos = (e as { position?: string }).position;
          const line = pos ? f.sql.slice(0, Number(pos)).split('\n').length : undefined;
          throw new ConvergeError(
            'TARGET_SCHEMA',
            `migration ${f.version}_${f.name} failed: ${messageOf(e)}`,
            { stage: 'schema', file: f.file, line },
            { cause: e },
          );
        }
      })),
    );
  } finally {
    // Closing after use or after a failure: a close error would only hide the real outcome.
    await client.end().catch(() => undefined);
  }
  return results;
}

async function applyMysql(opts: ApplyOptions, files: MigrationFile[]): Promise<MigrationResult[]> {
  const conn = await openMysql(opts.connection, { multipleStatements: true });
  const t = opts.tracking;
  const table = quoteMysql(t.table);
  const results: MigrationResult[] = [];
  try {
    await conn.query(trackingDdlMysql(table, t.style));
    const [rows] = await conn.query(`SELECT ${versionColumn(t.style)} AS v FROM ${table}`);
    const done = new Set((rows as Array<{ v: unknown }>).map((r) => String(r.v)));
    results.push(
      ...(await applyPending(files, done, t.style, async (f) => {
        try {
          // MySQL DDL commits implicitly: a failed file can leave part applied, as with Kratos itself.
          await conn.query(f.sql);
          await conn.query(insertTrackingMysql(table, t.style), trackingValues(f, t.style));
        } catch (e) {
          throw new ConvergeError(
            'TARGET_SCHEMA',
            `migration ${f.version}_${f.name} failed: ${messageOf(e)}`,
            { stage: 'schema', file: f.file },
            { cause: e },
          );
        }
      })),
    );
  } finally {
    // Closing after use or after a failure: a close error would only hide the real outcome.
    await conn.end().catch(() => undefined);
  }
  return results;
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

function versionColumn(style: TrackingTable['style']): string {
  return style === 'typeorm' ? 'name' : 'version';
}

function trackingKey(f: MigrationFile, style: TrackingTable['style']): string {
  return style === 'typeorm' ? `${f.name}${f.version}` : f.version;
}

function trackingValues(f: MigrationFile, style: TrackingTable['style']): unknown[] {
  if (style === 'typeorm') return [Number(f.version), `${f.name}${f.version}`];
  if (style === 'pop') return [f.version];
  return [f.version, f.name, f.sha256];
}

function trackingDdlPg(table: string, style: TrackingTable['style']): string {
  if (style === 'pop')
    return `CREATE TABLE IF NOT EXISTS ${table} (version varchar(48) NOT NULL UNIQUE, version_self integer NOT NULL DEFAULT 0)`;
  if (style === 'typeorm')
    return `CREATE TABLE IF NOT EXISTS ${table} (id SERIAL PRIMARY KEY, "timestamp" bigint NOT NULL, name varchar NOT NULL)`;
  return `CREATE TABLE IF NOT EXISTS ${table} (version text PRIMARY KEY, name text NOT NULL, sha256 text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`;
}

function insertTrackingPg(table: string, style: TrackingTable['style']): string {
  if (style === 'pop') return `INSERT INTO ${table} (version) VALUES ($1)`;
  if (style === 'typeorm') return `INSERT INTO ${table} ("timestamp", name) VALUES ($1, $2)`;
  return `INSERT INTO ${table} (version, name, sha256) VALUES ($1, $2, $3)`;
}

function trackingDdlMysql(table: string, style: TrackingTable['style']): string {
  if (style === 'pop')
    return `CREATE TABLE IF NOT EXISTS ${table} (version varchar(48) NOT NULL, version_self int NOT NULL DEFAULT 0, UNIQUE KEY schema_migration_version_idx (version))`;
  if (style === 'typeorm')
    return `CREATE TABLE IF NOT EXISTS ${table} (id int NOT NULL AUTO_INCREMENT PRIMARY KEY, \`timestamp\` bigint NOT NULL, name varchar(255) NOT NULL)`;
  return `CREATE TABLE IF NOT EXISTS ${table} (version varchar(64) PRIMARY KEY, name varchar(255) NOT NULL, sha256 char(64) NOT NULL, applied_at timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP)`;
}

function insertTrackingMysql(table: string, style: TrackingTable['style']): string {
  if (style === 'pop') return `INSERT INTO ${table} (version) VALUES (?)`;
  if (style === 'typeorm') return `INSERT INTO ${table} (\`timestamp\`, name) VALUES (?, ?)`;
  return `INSERT INTO ${table} (version, name, sha256) VALUES (?, ?, ?)`;
}

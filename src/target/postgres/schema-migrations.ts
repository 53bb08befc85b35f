import type { ConnectionInfo } from '../../core/connection-url';
import { ConvergeError, messageOf } from '../../core/errors';
import type { MigrationSession, TrackingSpec } from '../../core/migration-session';
import { openPg, qualifiedPg } from './connect';

/**
 * Opens a session that applies migrations to Postgres: concurrent appliers on the database are
 * serialised by an advisory lock held for the session; the tracking table is created if missing.
 */
export async function withPgMigrations<T>(
  connection: ConnectionInfo,
  t: TrackingSpec,
  work: (s: MigrationSession) => Promise<T>,
): Promise<T> {
  const client = await openPg(connection, { applicationName: 'converge schema apply' });
  const table = qualifiedPg(t.schema, t.table);
  try {
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [`converge-migrations:${t.schema ?? ''}.${t.table}`]);
    if (t.schema) await client.query(`CREATE SCHEMA IF NOT EXISTS ${qualifiedPg(undefined, t.schema)}`);
    await client.query(trackingDdl(table, t.style));
    return await work({
      applied: async () =>
        new Set(
          (await client.query(`SELECT ${versionColumn(t.style)} AS v FROM ${table}`)).rows.map((r) => String(r.v)),
        ),
      apply: async (f, values) => {
        try {
          await client.query('BEGIN');
          await client.query(f.sql);
          await client.query(insertTracking(table, t.style), values);
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
      },
    });
  } finally {
    // Closing after use or after a failure: a close error would only hide the real outcome.
    await client.end().catch(() => undefined);
  }
}

function versionColumn(style: TrackingSpec['style']): string {
  return style === 'typeorm' ? 'name' : 'version';
}

function trackingDdl(table: string, style: TrackingSpec['style']): string {
  if (style === 'pop')
    return `CREATE TABLE IF NOT EXISTS ${table} (version varchar(48) NOT NULL UNIQUE, version_self integer NOT NULL DEFAULT 0)`;
  if (style === 'typeorm')
    return `CREATE TABLE IF NOT EXISTS ${table} (id SERIAL PRIMARY KEY, "timestamp" bigint NOT NULL, name varchar NOT NULL)`;
  return `CREATE TABLE IF NOT EXISTS ${table} (version text PRIMARY KEY, name text NOT NULL, sha256 text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`;
}

function insertTracking(table: string, style: TrackingSpec['style']): string {
  if (style === 'pop') return `INSERT INTO ${table} (version) VALUES ($1)`;
  if (style === 'typeorm') return `INSERT INTO ${table} ("timestamp", name) VALUES ($1, $2)`;
  return `INSERT INTO ${table} (version, name, sha256) VALUES ($1, $2, $3)`;
}

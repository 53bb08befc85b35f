import type { ConnectionInfo } from '../../core/connection-url';
import { ConvergeError, messageOf } from '../../core/errors';
import type { MigrationSession, TrackingSpec } from '../../core/migration-session';
import { openMysql } from './connect';
import { quoteMysql } from './quote';

/** Opens a session that applies migrations to MySQL (a source schema for tests, rehearsals and the demo). */
export async function withMysqlMigrations<T>(
  connection: ConnectionInfo,
  t: TrackingSpec,
  work: (s: MigrationSession) => Promise<T>,
): Promise<T> {
  const conn = await openMysql(connection, { multipleStatements: true });
  const table = quoteMysql(t.table);
  try {
    await conn.query(trackingDdl(table, t.style));
    return await work({
      applied: async () => {
        const [rows] = await conn.query(`SELECT ${t.style === 'typeorm' ? 'name' : 'version'} AS v FROM ${table}`);
        return new Set((rows as Array<{ v: unknown }>).map((r) => String(r.v)));
      },
      apply: async (f, values) => {
        try {
          // MySQL DDL commits implicitly: a failed file can leave part applied, as with Kratos itself.
          await conn.query(f.sql);
          await conn.query(insertTracking(table, t.style), values);
        } catch (e) {
          throw new ConvergeError(
            'TARGET_SCHEMA',
            `migration ${f.version}_${f.name} failed: ${messageOf(e)}`,
            { stage: 'schema', file: f.file },
            { cause: e },
          );
        }
      },
    });
  } finally {
    // Closing after use or after a failure: a close error would only hide the real outcome.
    await conn.end().catch(() => undefined);
  }
}

function trackingDdl(table: string, style: TrackingSpec['style']): string {
  if (style === 'pop')
    return `CREATE TABLE IF NOT EXISTS ${table} (version varchar(48) NOT NULL, version_self int NOT NULL DEFAULT 0, UNIQUE KEY schema_migration_version_idx (version))`;
  if (style === 'typeorm')
    return `CREATE TABLE IF NOT EXISTS ${table} (id int NOT NULL AUTO_INCREMENT PRIMARY KEY, \`timestamp\` bigint NOT NULL, name varchar(255) NOT NULL)`;
  return `CREATE TABLE IF NOT EXISTS ${table} (version varchar(64) PRIMARY KEY, name varchar(255) NOT NULL, sha256 char(64) NOT NULL, applied_at timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP)`;
}

function insertTracking(table: string, style: TrackingSpec['style']): string {
  if (style === 'pop') return `INSERT INTO ${table} (version) VALUES (?)`;
  if (style === 'typeorm') return `INSERT INTO ${table} (\`timestamp\`, name) VALUES (?, ?)`;
  return `INSERT INTO ${table} (version, name, sha256) VALUES (?, ?, ?)`;
}

import { randomBytes } from 'node:crypto';
import { alkemioEntities, ALKEMIO_QUERY_RESULT_CACHE_TABLE } from '../../apps/alkemio/src';
import { ConnectionInfo, parseConnectionUrl, toUrl, withDatabase } from '../core/connection-url';
import { openMysql } from '../source/mysql/connect';
import { quoteMysql } from '../source/mysql/quote';
import { openPg, quotePg } from '../target/postgres/connect';
import { generateBaseline } from './typeorm-baseline';

/** Where the generated texts belong, relative to the repository root. */
export const ALKEMIO_BASELINE_FILES = {
  postgres: 'migrations/alkemio/postgres/0001_baseline.sql',
  mysql: 'migrations/alkemio/mysql/0001_legacy_schema.sql',
} as const;

export interface RegenerateOptions {
  /** Server-level URLs; a database in the path is ignored: scratch databases are created beside it. */
  pgServerUrl: string;
  mysqlServerUrl: string;
}

/**
 * Regenerates both Alkemio schema files from the entities: the Postgres baseline and the MySQL
 * legacy schema. Each dialect gets a fresh scratch database, dropped again whatever happens.
 */
export async function regenerateAlkemioBaseline(opts: RegenerateOptions): Promise<{ postgres: string; mysql: string }> {
  const pgServer = parseConnectionUrl(opts.pgServerUrl, 'postgres', 'Postgres server URL');
  const mysqlServer = parseConnectionUrl(opts.mysqlServerUrl, 'mysql', 'MySQL server URL');
  const title = "Alkemio application schema (75 tables, 201 foreign keys) plus TypeORM's query-result-cache table.";
  const postgres = await withScratchPg(pgServer, (url) =>
    generateBaseline({
      dialect: 'postgres',
      entities: alkemioEntities('postgres'),
      connectionUrl: url,
      queryResultCacheTable: ALKEMIO_QUERY_RESULT_CACHE_TABLE,
      title,
    }),
  );
  const mysql = await withScratchMysql(mysqlServer, (url) =>
    generateBaseline({
      dialect: 'mysql',
      entities: alkemioEntities('mysql'),
      connectionUrl: url,
      queryResultCacheTable: ALKEMIO_QUERY_RESULT_CACHE_TABLE,
      title,
    }),
  );
  return { postgres, mysql };
}

function scratchName(): string {
  return `converge_scratch_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
}

async function withScratchPg<T>(server: ConnectionInfo, work: (url: string) => Promise<T>): Promise<T> {
  const name = scratchName();
  const admin = withDatabase(server, 'postgres');
  const c = await openPg(admin, { applicationName: 'converge baseline' });
  try {
    await c.query(`CREATE DATABASE ${quotePg(name)}`);
  } finally {
    // Closing after use or after a failure: a close error would only hide the real outcome.
    await c.end().catch(() => undefined);
  }
  try {
    return await work(toUrl(withDatabase(server, name)));
  } finally {
    const d = await openPg(admin, { applicationName: 'converge baseline' });
    try {
      await d.query(`DROP DATABASE IF EXISTS ${quotePg(name)} WITH (FORCE)`);
    } finally {
      // Closing after use or after a failure: a close error would only hide the real outcome.
      await d.end().catch(() => undefined);
    }
  }
}

async function withScratchMysql<T>(server: ConnectionInfo, work: (url: string) => Promise<T>): Promise<T> {
  const name = scratchName();
  const admin = withDatabase(server, undefined);
  const c = await openMysql(admin);
  try {
    await c.query(`CREATE DATABASE ${quoteMysql(name)} CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci`);
  } finally {
    // Closing after use or after a failure: a close error would only hide the real outcome.
    await c.end().catch(() => undefined);
  }
  try {
    return await work(toUrl(withDatabase(server, name)));
  } finally {
    const d = await openMysql(admin);
    try {
      await d.query(`DROP DATABASE IF EXISTS ${quoteMysql(name)}`);
    } finally {
      // Closing after use or after a failure: a close error would only hide the real outcome.
      await d.end().catch(() => undefined);
    }
  }
}

import { randomBytes } from 'node:crypto';
import { ConnectionInfo, parseConnectionUrl, toUrl, withDatabase } from '../core/connection-url';
import { createMysqlDatabase, dropMysqlDatabase } from '../source/mysql/scratch-databases';
import { createPgDatabase, dropPgDatabase } from '../target/postgres/scratch-databases';
import type { Pipeline } from '../pipeline/load-pipeline';
import { loadBaselineApp } from './baseline-app';
import { generateBaseline } from './typeorm-baseline';

export interface RegenerateOptions {
  /** Server-level URLs; a database in the path is ignored: scratch databases are created beside it. */
  pgServerUrl: string;
  mysqlServerUrl: string;
}

export interface BaselineTexts {
  postgres: string;
  /** Only when the pipeline's target.baseline names a MySQL file too. */
  mysql?: string;
}

/**
 * Regenerates a pipeline's schema files from the application's entities (target.baseline): the
 * Postgres baseline and, when named, the MySQL legacy schema. Each dialect gets a fresh scratch
 * database, dropped again whatever happens. Nothing is written: the caller decides where.
 */
export async function regenerateBaseline(p: Pipeline, opts: RegenerateOptions): Promise<BaselineTexts> {
  const app = loadBaselineApp(p);
  const pgServer = parseConnectionUrl(opts.pgServerUrl, 'postgres', 'Postgres server URL');
  const mysqlServer = parseConnectionUrl(opts.mysqlServerUrl, 'mysql', 'MySQL server URL');
  const common = {
    typeorm: app.typeorm,
    typeormVersion: app.typeormVersion,
    queryResultCacheTable: app.module.queryResultCacheTable,
    title: app.module.title,
  };
  const postgres = await withScratchPg(pgServer, (url) =>
    generateBaseline({ ...common, dialect: 'postgres', entities: app.module.entities('postgres'), connectionUrl: url }),
  );
  if (!p.target.baseline?.mysql) return { postgres };
  const mysql = await withScratchMysql(mysqlServer, (url) =>
    generateBaseline({ ...common, dialect: 'mysql', entities: app.module.entities('mysql'), connectionUrl: url }),
  );
  return { postgres, mysql };
}

function scratchName(): string {
  return `converge_scratch_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
}

async function withScratchPg<T>(server: ConnectionInfo, work: (url: string) => Promise<T>): Promise<T> {
  const name = scratchName();
  await createPgDatabase(server, name, 'converge baseline');
  try {
    return await work(toUrl(withDatabase(server, name)));
  } finally {
    await dropPgDatabase(server, name, 'converge baseline');
  }
}

async function withScratchMysql<T>(server: ConnectionInfo, work: (url: string) => Promise<T>): Promise<T> {
  const name = scratchName();
  await createMysqlDatabase(server, name);
  try {
    return await work(toUrl(withDatabase(server, name)));
  } finally {
    await dropMysqlDatabase(server, name);
  }
}

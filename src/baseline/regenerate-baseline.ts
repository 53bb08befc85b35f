import { randomBytes } from 'node:crypto';
import { ConnectionInfo, parseConnectionUrl, toUrl, withDatabase } from '../core/connection-url';
import { openMysql } from '../source/mysql/connect';
import { quoteMysql } from '../source/mysql/quote';
import { openPg, quotePg } from '../target/postgres/connect';
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

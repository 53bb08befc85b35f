import { ChildProcess, spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { promises as fsp } from 'node:fs';
import mysql from 'mysql2/promise';
import { Client } from 'pg';
import { parseConnectionUrl } from '../../src/core/connection-url';
import { applyMigrations } from '../../src/schema/apply-migrations';
import { pipelinePath } from '../../src/pipeline/load-pipeline';
import { loadAnyPipeline } from '../../fixtures/fixture-pipelines';
import type { BinlogServer } from './binlog-server';
import { createPgDb, TestDb, uniqueName } from './databases';
import { seedFixtureSource } from './fixture-seeders';
import { runCli } from './run-cli';

/**
 * The follow tests' world: a fixture pipeline's source database on a MariaDB writing a binary
 * log and its target schema on Postgres, converge processes left running, and the follow's
 * state polled from the target.
 */
const BIN = path.resolve(__dirname, '../../bin/converge.js');

export interface FollowSetup {
  pipelineName: string;
  sourceUrl: string;
  targetUrl: string;
  database: string;
  workDir: string;
  args: string[];
  pg: () => Promise<Client>;
  cleanup(): Promise<void>;
}

export async function followSetup(
  server: BinlogServer,
  name: 'kratos' | 'alkemio',
  scale: number,
): Promise<FollowSetup> {
  const pipeline = await loadAnyPipeline(name);
  const database = uniqueName(`follow_${name}`);
  const admin = await mysql.createConnection({ uri: server.base });
  await admin.query(`CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci`);
  await admin.end();
  const sourceUrl = `${server.base}/${database}`;
  const source = parseConnectionUrl(sourceUrl, 'mysql', 'test source');
  await seedFixtureSource(pipeline, source, scale);
  const pgDb: TestDb = await createPgDb(`follow_${name}`);
  await applyMigrations({
    dialect: 'postgres',
    connection: parseConnectionUrl(pgDb.url, 'postgres', 'test target'),
    dir: pipelinePath(pipeline, pipeline.target.migrations!),
    tracking: pipeline.target.tracking!,
  });
  const workDir = await fsp.mkdtemp(path.join(os.tmpdir(), `converge-follow-${name}-`));
  return {
    pipelineName: name,
    sourceUrl,
    targetUrl: pgDb.url,
    database,
    workDir,
    args: ['--pipeline', name, '--source', sourceUrl, '--target', pgDb.url, '--work-dir', workDir],
    async pg() {
      const c = new Client({ connectionString: pgDb.url });
      await c.connect();
      return c;
    },
    async cleanup() {
      const c = await mysql.createConnection({ uri: server.base });
      await c.query(`DROP DATABASE IF EXISTS \`${database}\``).finally(() => c.end());
      await pgDb.drop().catch(() => undefined);
      await fsp.rm(workDir, { recursive: true, force: true });
    },
  };
}

/** A converge process left running (migrate --follow, follow), its output kept for the assertion messages. */
export function start(args: string[]): {
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: string | null }>;
  output: () => string;
} {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { ...process.env, CONVERGE_LOG_FORMAT: 'json' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, exited, output: () => out };
}

/** Polls converge.follow_state until `ok` holds for it (or the process ended, or time ran out). */
export async function waitForState(
  s: FollowSetup,
  ok: (r: { status: string; transactions: number; changes: number }) => boolean,
  proc?: { exited: Promise<unknown>; output: () => string },
  timeoutMs = 90_000,
): Promise<{ status: string; transactions: number; changes: number }> {
  const pg = await s.pg();
  let ended = false;
  void proc?.exited.then(() => (ended = true));
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { rows } = await pg
        .query(
          "SELECT status, transactions::int, changes::int FROM converge.follow_state WHERE pipeline = $1 AND to_regclass('converge.follow_state') IS NOT NULL",
          [s.pipelineName],
        )
        .catch(() => ({ rows: [] as Array<{ status: string; transactions: number; changes: number }> }));
      if (rows[0] && ok(rows[0])) return rows[0];
      if (ended || Date.now() > deadline)
        throw new Error(`follow state never got there (${JSON.stringify(rows[0])}):\n${proc?.output().slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  } finally {
    await pg.end();
  }
}

export async function cutover(s: FollowSetup) {
  const r = await runCli(['cutover', ...s.args, '--source-frozen', '--settle', '300'], {}, 180_000);
  return r;
}

export async function runEvents(s: FollowSetup, kind: string): Promise<Array<Record<string, unknown>>> {
  const pg = await s.pg();
  try {
    const { rows } = await pg.query('SELECT payload FROM converge.run_events WHERE kind = $1 ORDER BY id', [kind]);
    return rows.map((r) => r.payload);
  } finally {
    await pg.end();
  }
}

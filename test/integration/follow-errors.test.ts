import { ChildProcess, spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { promises as fsp } from 'node:fs';
import mysql from 'mysql2/promise';
import { Client } from 'pg';
import { parseConnectionUrl } from '../../src/core/connection-url';
import { ExitCode } from '../../src/core/exit-codes';
import { applyMigrations } from '../../src/schema/apply-migrations';
import { pipelinePath } from '../../src/pipeline/load-pipeline';
import { loadAnyPipeline } from '../../fixtures/fixture-pipelines';
import { createPgDb, TestDb } from '../helpers/databases';
import { seedFixtureSource } from '../helpers/fixture-seeders';
import { PrivateServer, startPrivateMariadb } from '../helpers/private-servers';
import { runCli } from '../helpers/run-cli';

/**
 * What cannot be followed stops with its named error (exit 10) and half-applies nothing: a
 * binary log not in ROW format (refused before the load), a TRUNCATE of a mapped table, a
 * stored position whose file was purged. On a MariaDB of its own, whose binary log the test
 * may reconfigure and purge without touching the shared server.
 */
const BIN = path.resolve(__dirname, '../../bin/converge.js');
let server: PrivateServer;
let pgDb: TestDb;
let args: string[];
let sourceUrl: string;
let workDir: string;

beforeAll(async () => {
  server = await startPrivateMariadb({ binlog: true });
  const base = server.url.replace(/\/$/, '');
  const admin = await mysql.createConnection({ uri: base });
  await admin.query('CREATE DATABASE kratos_follow CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci');
  await admin.end();
  sourceUrl = `${base}/kratos_follow`;
  const pipeline = await loadAnyPipeline('kratos');
  await seedFixtureSource(pipeline, parseConnectionUrl(sourceUrl, 'mysql', 'test source'), 4);
  pgDb = await createPgDb('follow_errors');
  await applyMigrations({
    dialect: 'postgres',
    connection: parseConnectionUrl(pgDb.url, 'postgres', 'test target'),
    dir: pipelinePath(pipeline, pipeline.target.migrations!),
    tracking: pipeline.target.tracking!,
  });
  workDir = await fsp.mkdtemp(path.join(os.tmpdir(), 'converge-follow-errors-'));
  args = ['--pipeline', 'kratos', '--source', sourceUrl, '--target', pgDb.url, '--work-dir', workDir];
});

afterAll(async () => {
  await server?.stop();
  await pgDb?.drop().catch(() => undefined);
  if (workDir) await fsp.rm(workDir, { recursive: true, force: true });
});

async function onSource(sql: string): Promise<unknown> {
  const c = await mysql.createConnection({ uri: sourceUrl });
  try {
    return (await c.query(sql))[0];
  } finally {
    await c.end();
  }
}

async function onTarget<T>(sql: string): Promise<T[]> {
  const c = new Client({ connectionString: pgDb.url });
  await c.connect();
  try {
    return (await c.query(sql)).rows as T[];
  } finally {
    await c.end();
  }
}

describe('follow: named errors, nothing half-applied', () => {
  it('a binary log in STATEMENT format is refused before anything loads (BINLOG_UNSUITABLE, exit 10)', async () => {
    await onSource("SET GLOBAL binlog_format = 'STATEMENT'");
    try {
      const r = await runCli(['migrate', ...args, '--follow']);
      expect({ code: r.code, err: r.stderr }).toEqual({
        code: ExitCode.Follow,
        err: expect.stringMatching(/BINLOG_UNSUITABLE.*binlog_format is STATEMENT/),
      });
      const [n] = await onTarget<{ n: number }>('SELECT count(*)::int AS n FROM identities');
      expect(n.n).toBe(0);
    } finally {
      await onSource("SET GLOBAL binlog_format = 'ROW'");
    }
  });

  it('a TRUNCATE of a mapped table stops the follow (FOLLOW_TRUNCATE), after the rows before it', async () => {
    const child: ChildProcess = spawn(process.execPath, [BIN, 'migrate', ...args, '--follow'], {
      env: { ...process.env, CONVERGE_LOG_FORMAT: 'json' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (out += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      for (let i = 0; ; i++) {
        const rows = await onTarget<{ status: string }>(
          "SELECT status FROM converge.follow_state WHERE to_regclass('converge.follow_state') IS NOT NULL",
        ).catch(() => []);
        if (rows[0]?.status === 'following') break;
        if (i > 300) throw new Error(`never followed:\n${out}`);
        await new Promise((r) => setTimeout(r, 200));
      }
      await onSource("UPDATE identities SET state = 'inactive' WHERE state = 'active' LIMIT 1");
      await onSource('TRUNCATE TABLE session_devices');
      expect({ code: await exited, out: out.slice(-1500) }).toEqual({
        code: ExitCode.Follow,
        out: expect.stringContaining('FOLLOW_TRUNCATE'),
      });
      const [st] = await onTarget<{ status: string; error: string; changes: number }>(
        'SELECT status, error, changes::int FROM converge.follow_state',
      );
      expect(st.status).toBe('failed');
      expect(st.error).toContain('session_devices');
      expect(st.changes).toBe(1);
      const status = await runCli(['follow', 'status', ...args]);
      expect(status.code).toBe(0);
      expect(status.stdout).toContain('failed');
      expect(status.stdout).toContain('FOLLOW_TRUNCATE');
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('a stored position whose binary log file was purged cannot be resumed (BINLOG_PURGED, exit 10)', async () => {
    await onSource('FLUSH BINARY LOGS');
    const logs = (await onSource('SHOW BINARY LOGS')) as Array<{ Log_name: string }>;
    // The server keeps a file a replica connection still reads: end the old followers' dumps.
    const dumps = (await onSource(
      "SELECT ID AS id FROM information_schema.PROCESSLIST WHERE COMMAND LIKE 'Binlog Dump%'",
    )) as Array<{ id: number }>;
    for (const d of dumps) await onSource(`KILL ${d.id}`).catch(() => undefined);
    // MariaDB purges a file only once its binlog checkpoint has passed it (a moment after FLUSH).
    const newest = logs[logs.length - 1].Log_name;
    let left: string[] = [];
    for (let i = 0; i < 50; i++) {
      await onSource(`PURGE BINARY LOGS TO '${newest}'`);
      left = ((await onSource('SHOW BINARY LOGS')) as Array<{ Log_name: string }>).map((l) => l.Log_name);
      if (left.length === 1) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(left).toEqual([newest]);
    const r = await runCli(['follow', ...args]);
    expect({ code: r.code, err: r.stderr }).toEqual({
      code: ExitCode.Follow,
      err: expect.stringContaining('BINLOG_PURGED'),
    });
  });
});

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
import { binlogServer, BinlogServer } from '../helpers/binlog-server';
import { startChangeWriter } from '../helpers/change-writer';
import { createPgDb, TestDb, uniqueName } from '../helpers/databases';
import { seedFixtureSource } from '../helpers/fixture-seeders';
import { runCli } from '../helpers/run-cli';

/**
 * The online cut-over (issue: load while the application writes): a writer inserts, updates and
 * deletes rows of the Kratos and Alkemio fixtures at a steady rate while `converge migrate
 * --follow` loads and follows; when it stops, `converge cutover` applies the rest, and its
 * verify proves source == target. Once with a clean run, once with kill -9 of the follower and
 * a restart (`converge follow`), and a DDL during the follow stops with FOLLOW_DDL.
 */
const BIN = path.resolve(__dirname, '../../bin/converge.js');
let server: BinlogServer;

beforeAll(async () => {
  server = await binlogServer();
});
afterAll(async () => {
  await server?.stop();
});

interface Setup {
  pipelineName: string;
  sourceUrl: string;
  targetUrl: string;
  database: string;
  workDir: string;
  args: string[];
  pg: () => Promise<Client>;
  cleanup(): Promise<void>;
}

async function setup(name: 'kratos' | 'alkemio', scale: number): Promise<Setup> {
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
function start(args: string[]): {
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
async function waitForState(
  s: Setup,
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

async function cutover(s: Setup) {
  const r = await runCli(['cutover', ...s.args, '--source-frozen', '--settle', '300'], {}, 180_000);
  return r;
}

async function runEvents(s: Setup, kind: string): Promise<Array<Record<string, unknown>>> {
  const pg = await s.pg();
  try {
    const { rows } = await pg.query('SELECT payload FROM converge.run_events WHERE kind = $1 ORDER BY id', [kind]);
    return rows.map((r) => r.payload);
  } finally {
    await pg.end();
  }
}

describe('converge migrate --follow and converge cutover', () => {
  it('Kratos: a writer changes rows while migrate --follow loads and follows; cutover verifies source == target', async () => {
    const s = await setup('kratos', 15);
    try {
      const writer = startChangeWriter(s.sourceUrl, {
        database: s.database,
        perSecond: 40,
        seed: 7,
        exclude: ['schema_migration'],
      });
      const proc = start(['migrate', ...s.args, '--follow', '--jobs', '2']);
      try {
        await waitForState(s, (r) => r.status === 'following' && r.changes > 20, proc);
        const stats = await writer.stop();
        expect(stats.inserts).toBeGreaterThan(0);
        expect(stats.updates).toBeGreaterThan(0);
        expect(stats.deletes).toBeGreaterThan(0);
        const r = await cutover(s);
        expect({ code: r.code, out: r.stdout + r.stderr.slice(-3000) }).toEqual({
          code: 0,
          out: expect.stringContaining('write downtime'),
        });
        // The follower saw the stop request and ended cleanly at the cut-over position.
        expect(await proc.exited).toEqual({ code: 0, signal: null });
        const [done] = await runEvents(s, 'cutover.completed');
        expect(done.downtimeSeconds).toBeGreaterThan(0);
      } finally {
        await writer.stop().catch(() => undefined);
        proc.child.kill('SIGKILL');
      }
    } finally {
      await s.cleanup();
    }
  });

  it('Alkemio: kill -9 of the follower mid-follow, converge follow resumes, and cutover verifies source == target', async () => {
    const s = await setup('alkemio', 1);
    try {
      const writer = startChangeWriter(s.sourceUrl, {
        database: s.database,
        perSecond: 40,
        seed: 11,
        exclude: ['migrations_typeorm'],
      });
      const first = start(['migrate', ...s.args, '--follow', '--jobs', '2']);
      let second: ReturnType<typeof start> | undefined;
      try {
        const before = await waitForState(s, (r) => r.status === 'following' && r.changes > 10, first);
        first.child.kill('SIGKILL');
        expect((await first.exited).signal).toBe('SIGKILL');
        second = start(['follow', ...s.args]);
        await waitForState(s, (r) => r.changes > before.changes + 10, second);
        const stats = await writer.stop();
        expect(stats.inserts + stats.updates + stats.deletes).toBeGreaterThan(0);
        const r = await cutover(s);
        expect({ code: r.code, out: r.stdout + r.stderr.slice(-3000) }).toEqual({
          code: 0,
          out: expect.stringContaining('write downtime'),
        });
        expect(await second.exited).toEqual({ code: 0, signal: null });
        const started = await runEvents(s, 'follow.started');
        expect(started.map((p) => p.resumed)).toEqual([false, true]);
      } finally {
        await writer.stop().catch(() => undefined);
        first.child.kill('SIGKILL');
        second?.child.kill('SIGKILL');
      }
    } finally {
      await s.cleanup();
    }
  });

  it('a DDL on a mapped table during the follow stops it with FOLLOW_DDL, the changes before it applied whole', async () => {
    const s = await setup('kratos', 5);
    try {
      const proc = start(['migrate', ...s.args, '--follow', '--jobs', '1']);
      try {
        await waitForState(s, (r) => r.status === 'following', proc);
        const my = await mysql.createConnection({ uri: s.sourceUrl });
        try {
          // One transaction of three rows, then the DDL: the rows must arrive, all of them.
          await my.beginTransaction();
          for (let i = 0; i < 3; i++)
            await my.query(
              "INSERT INTO identity_credential_types (id, name) VALUES (UUID(), CONCAT('follow-test-', ?))",
              [i],
            );
          await my.commit();
          await my.query('ALTER TABLE identity_credential_types ADD COLUMN follow_extra INT NULL');
        } finally {
          await my.end();
        }
        const exit = await proc.exited;
        expect({ code: exit.code, out: proc.output().slice(-2000) }).toEqual({
          code: ExitCode.Follow,
          out: expect.stringContaining('FOLLOW_DDL'),
        });
        expect(proc.output()).toContain('identity_credential_types');
        const pg = await s.pg();
        try {
          const { rows } = await pg.query(
            "SELECT count(*)::int AS n FROM identity_credential_types WHERE name LIKE 'follow-test-%'",
          );
          expect(rows[0].n).toBe(3);
          const st = await pg.query('SELECT status, error FROM converge.follow_state');
          expect(st.rows[0].status).toBe('failed');
          expect(st.rows[0].error).toContain('FOLLOW_DDL');
        } finally {
          await pg.end();
        }
      } finally {
        proc.child.kill('SIGKILL');
      }
    } finally {
      await s.cleanup();
    }
  });
  it('rollback of a followed run removes the followed rows with the loaded ones, and refuses what neither wrote', async () => {
    const s = await setup('kratos', 3);
    try {
      const proc = start(['migrate', ...s.args, '--follow', '--jobs', '1']);
      try {
        await waitForState(s, (r) => r.status === 'following', proc);
        const pg = await s.pg();
        try {
          const runId = (await pg.query('SELECT run_id FROM converge.follow_state')).rows[0].run_id as string;
          // A follower still applying changes would write into the emptied tables.
          const busy = await runCli(['rollback', runId, '--target', s.targetUrl]);
          expect({ code: busy.code, err: busy.stderr }).toEqual({
            code: ExitCode.TargetState,
            err: expect.stringMatching(/TARGET_BUSY.*still being followed/),
          });
          const my = await mysql.createConnection({ uri: s.sourceUrl });
          try {
            await my.beginTransaction();
            for (let i = 0; i < 3; i++)
              await my.query(
                "INSERT INTO identity_credential_types (id, name) VALUES (UUID(), CONCAT('rollback-test-', ?))",
                [i],
              );
            await my.commit();
            await my.query("DELETE FROM identity_credential_types WHERE name = 'rollback-test-0'");
          } finally {
            await my.end();
          }
          await waitForState(s, (r) => r.changes >= 4, proc);
          const r = await cutover(s);
          expect({ code: r.code, out: r.stdout + r.stderr.slice(-3000) }).toEqual({
            code: 0,
            out: expect.stringContaining('write downtime'),
          });
          expect(await proc.exited).toEqual({ code: 0, signal: null });

          // runs show: the switch and its write downtime, in the run's summary.
          const shown = await runCli(['runs', 'show', runId, '--target', s.targetUrl]);
          expect(shown.stdout).toMatch(
            /online cut-over at \S+:\d+: write downtime \d+\.\d s \(frozen .*, verified .*; source frozen by the operator\)/,
          );
          const json = JSON.parse((await runCli(['runs', 'show', runId, '--target', s.targetUrl, '--json'])).stdout);
          expect(json.cutover.downtimeSeconds).toBeGreaterThan(0);

          // After the switch the application writes to the target: that row is no run's.
          await pg.query(
            "INSERT INTO identity_credential_types (id, name) VALUES (gen_random_uuid(), 'written-by-the-application')",
          );
          const refused = await runCli(['rollback', runId, '--target', s.targetUrl, '--dry-run']);
          expect({ code: refused.code, err: refused.stderr }).toEqual({
            code: ExitCode.TargetState,
            err: expect.stringMatching(
              /TARGET_NOT_EMPTY.*identity_credential_types holds \d+ rows, the run left \d+ \(2 of them by its follow\).*after the switch/,
            ),
          });
          await pg.query("DELETE FROM identity_credential_types WHERE name = 'written-by-the-application'");

          const done = await runCli(['rollback', runId, '--target', s.targetUrl, '--json']);
          expect({ code: done.code, err: done.code ? done.stderr : '' }).toEqual({ code: 0, err: '' });
          const res = JSON.parse(done.stdout) as {
            status: string;
            tables: Array<{ table: string; followedRows: number; difference: number; action: string }>;
          };
          expect(res.status).toBe('rolled-back');
          // Seeded by the target's migrations (existing: skip): kept, with the rows its follow added.
          expect(res.tables.find((t) => t.table.endsWith('.identity_credential_types'))).toMatchObject({
            followedRows: 2,
            difference: 0,
            action: 'kept',
          });
          for (const t of res.tables.filter((x) => x.action === 'emptied')) {
            const { rows } = await pg.query(`SELECT count(*)::int AS n FROM ${t.table}`);
            expect({ table: t.table, rows: rows[0].n }).toEqual({ table: t.table, rows: 0 });
          }
          expect(res.tables.filter((x) => x.action === 'emptied').length).toBeGreaterThan(0);
          // The follow of a removed load cannot resume onto the emptied tables.
          expect((await pg.query('SELECT count(*)::int AS n FROM converge.follow_state')).rows[0].n).toBe(0);
          const resume = await runCli(['follow', ...s.args]);
          expect({ code: resume.code, err: resume.stderr }).toEqual({
            code: ExitCode.Usage,
            err: expect.stringContaining('records no follow'),
          });
        } finally {
          await pg.end();
        }
      } finally {
        proc.child.kill('SIGKILL');
      }
    } finally {
      await s.cleanup();
    }
  });
});

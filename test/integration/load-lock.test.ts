import path from 'node:path';
import mysql from 'mysql2/promise';
import { Client } from 'pg';
import { seedAudit } from '../../fixtures/demo/audit-seed';
import { ExitCode } from '../../src/core/exit-codes';
import { pipelineFixture, PipelineFixture } from '../helpers/pipeline-fixture';
import { runCli } from '../helpers/run-cli';

/**
 * One load at a time per target schema: two migrates (or imports) into the same tables
 * must never both COPY. The second is refused before it looks at the target, naming the run
 * that holds the lock; a run that died holding it (kill -9) is marked failed by the next one.
 */
let fx: PipelineFixture;
let pg: Client;

const migrateArgs = () => [
  'migrate',
  '--pipeline',
  fx.pipeline.file,
  '--source',
  fx.mysqlDb.url,
  '--target',
  fx.pgDb.url,
  '--work-dir',
  path.join(fx.workDir, 'w'),
  '--truncate',
];

beforeAll(async () => {
  fx = await pipelineFixture('audit');
  const my = await mysql.createConnection({ uri: fx.mysqlDb.url });
  try {
    await my.query("SET time_zone = '+00:00'");
    await seedAudit(my, { scale: 2 });
  } finally {
    await my.end();
  }
  pg = new Client({ connectionString: fx.pgDb.url });
  await pg.connect();
});

afterAll(async () => {
  await pg?.end().catch(() => undefined);
  await fx?.cleanup();
});

async function counts(): Promise<Record<string, number>> {
  const { rows } = await pg.query(
    `SELECT relname AS t, n_live_tup::int AS n FROM pg_stat_user_tables WHERE schemaname = 'public' ORDER BY 1`,
  );
  const out: Record<string, number> = {};
  for (const r of rows)
    out[r.t] = (await pg.query(`SELECT count(*)::int AS n FROM public."${String(r.t).replace(/"/g, '""')}"`)).rows[0].n;
  return out;
}

test('a load while another session holds the pipeline lock is refused (exit 9) and touches nothing', async () => {
  const holder = new Client({ connectionString: fx.pgDb.url, application_name: 'someone else' });
  await holder.connect();
  try {
    await holder.query(`SELECT pg_advisory_lock(hashtext('converge load'), hashtext('public'))`);
    const before = await counts();
    const r = await runCli(migrateArgs());
    expect(r.code).toBe(ExitCode.TargetState);
    expect(r.stderr).toMatch(
      /TARGET_BUSY: another load into schema public of this target is running: someone else \(pid \d+\)/,
    );
    expect(await counts()).toEqual(before);
  } finally {
    await holder.end();
  }
  // The holder's backend outlives its socket for a moment, lock included: the next test's run
  // would find it still held. Wait until the server has let it go.
  await waitForLock(false);
});

/** Polls until the pipeline's advisory lock is held (or free); false when it never got there. */
async function waitForLock(held: boolean, settled?: () => boolean): Promise<boolean> {
  for (let i = 0; i < 600; i++) {
    const { rows } = await pg.query(
      `SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND granted AND objid = hashtext('public')::oid`,
    );
    if (rows[0].n > 0 === held) return true;
    if (settled?.()) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

test('two migrates at once: one loads, the other is refused, and no row is loaded twice', async () => {
  // The first run is held inside its load (a table lock it must wait for), so the second one
  // certainly starts while the first holds the pipeline lock.
  const blocker = new Client({ connectionString: fx.pgDb.url });
  await blocker.connect();
  let first: ReturnType<typeof runCli> | undefined;
  try {
    await blocker.query('BEGIN');
    await blocker.query('LOCK TABLE sync_sessions IN ACCESS EXCLUSIVE MODE');
    let done = false;
    first = runCli(migrateArgs());
    void first.then(() => (done = true));
    // A first run that ended before taking the lock would let the second one load and wait on
    // the blocker for ever: fail with the first run's own output instead.
    if (!(await waitForLock(true, () => done))) {
      const r = await first;
      throw new Error(`the first migrate never held the lock (exit ${r.code}):\n${r.stderr}`);
    }
    const second = await runCli(migrateArgs());
    expect(second.code).toBe(ExitCode.TargetState);
    expect(second.stderr).toMatch(
      /TARGET_BUSY: another load into schema public of this target is running: run [0-9a-f-]{36}, converge migrate/,
    );
  } finally {
    await blocker.query('COMMIT').catch(() => undefined);
    await blocker.end();
  }
  expect((await first!).code).toBe(0);
  const my = await mysql.createConnection({ uri: fx.mysqlDb.url });
  try {
    for (const t of ['sync_sessions', 'sync_events', 'sync_participants']) {
      const [[src]] = (await my.query(`SELECT count(*) AS n FROM ${t}`)) as unknown as [[{ n: number }]];
      const { rows } = await pg.query(`SELECT count(*)::int AS n FROM ${t}`);
      expect({ t, n: rows[0].n }).toEqual({ t, n: Number(src.n) });
    }
  } finally {
    await my.end();
  }
});

test('a run that died holding the lock is marked failed (run.abandoned) by the next load', async () => {
  const dead = '5f0c8c3e-0000-4000-8000-00000000dead';
  await pg.query(`INSERT INTO converge.runs (id, pipeline) VALUES ($1, 'audit')`, [dead]);
  await pg.query(
    `INSERT INTO converge.run_events (run_id, kind, stage, payload) VALUES ($1, 'load.locked', 'import', '{"pid": 1, "schemas": ["public"]}')`,
    [dead],
  );
  const r = await runCli(migrateArgs());
  expect(r.code).toBe(0);
  const run = await pg.query('SELECT status::text, ended_at FROM converge.runs WHERE id = $1', [dead]);
  expect(run.rows[0].status).toBe('failed');
  expect(run.rows[0].ended_at).not.toBeNull();
  const ev = await pg.query(
    `SELECT count(*)::int AS n FROM converge.run_events WHERE run_id = $1 AND kind = 'run.abandoned'`,
    [dead],
  );
  expect(ev.rows[0].n).toBe(1);
});

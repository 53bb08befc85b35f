import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { Client } from 'pg';
import { ExitCode } from '../../../src/core/exit-codes';
import type { ArrangedFault, CaseContext, CorpusCase } from '../../helpers/corpus-case';
import { commonArgs } from '../../helpers/corpus-world';
import { runCli } from '../../helpers/run-cli';

/**
 * One load at a time per target schema. A second load is refused before it looks at the target
 * (TARGET_BUSY, exit 9, at once), naming the session that holds the lock and, when it is a
 * converge run, that run; a run that died holding the lock (its session is gone) blocks nothing
 * and is marked failed by the next load.
 */
const PLAIN = 'tables:\n  plain: { columns: { id: integer, s: text } }\n';
const NO_KEY = 'tables:\n  no_key: { columns: { id: integer, v: text } }\n';
/** The load's lock key (src/target/postgres/load/load-lock.ts): a namespace and the schema, in the target database. */
const LOCK_KEY = `hashtext('converge load'), hashtext($1)`;
const BUSY = (holder: string) =>
  new RegExp(`another load into schema \\S+ of this target is running: ${holder}; wait for it to end`);

async function session(c: CaseContext, application: string): Promise<Client> {
  const s = new Client({ connectionString: c.targetUrl, application_name: application });
  await s.connect();
  return s;
}

/** Another session (not converge) holds the lock, as a stuck or foreign load would. */
async function lockHeld(c: CaseContext): Promise<ArrangedFault> {
  const holder = await session(c, 'corpus lock holder');
  await holder.query(`SELECT pg_advisory_lock(${LOCK_KEY})`, [c.schema]);
  return { teardown: () => holder.end() };
}

/**
 * Another session holds a target table: a schema change under way (ACCESS EXCLUSIVE: even reads
 * wait) or a long transaction (SHARE: reads pass, COPY waits).
 */
async function tableHeld(c: CaseContext, table: string, mode: 'ACCESS EXCLUSIVE' | 'SHARE'): Promise<ArrangedFault> {
  const holder = await session(c, 'corpus table holder');
  await holder.query('BEGIN');
  await holder.query(`LOCK TABLE "${c.schema}"."${table}" IN ${mode} MODE`);
  return {
    teardown: async () => {
      await holder.query('ROLLBACK').catch(() => undefined);
      await holder.end();
    },
  };
}

/**
 * A first `converge migrate` into the same schema, held inside its load (another session holds
 * the table it loads) so the case's command certainly starts while it holds the lock; torn down,
 * the table is let go and the first run must finish alone, exit 0.
 */
async function firstMigrateHeldInItsLoad(c: CaseContext, table: string): Promise<ArrangedFault> {
  const blocker = await session(c, 'corpus table blocker');
  await blocker.query('BEGIN');
  await blocker.query(`LOCK TABLE "${c.schema}"."${table}" IN ACCESS EXCLUSIVE MODE`);
  const args = ['--pipeline', c.pipelineFile, '--source', c.sourceUrl, '--target', c.targetUrl];
  const first = runCli(['migrate', ...args, '--work-dir', path.join(c.dir, 'first-run')], {}, 60_000);
  let ended = false;
  void first.then(() => (ended = true));
  const release = async () => {
    await blocker.query('COMMIT').catch(() => undefined);
    await blocker.end();
    return first;
  };
  // Polled in pg_locks, never by trying the lock: a probe holding it for an instant could refuse the first run.
  let held = false;
  for (let i = 0; i < 300 && !ended && !held; i++) {
    const { rows } = await blocker.query(
      `SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 2
          AND classid = hashtext('converge load')::oid AND objid = hashtext($1)::oid
          AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
      [c.schema],
    );
    held = rows[0].n > 0;
    if (!held) await new Promise((r) => setTimeout(r, 100));
  }
  if (!held) {
    const r = await release();
    throw new Error(`the first migrate never held the load lock (exit ${r.code}): ${r.stderr.slice(-2000)}`);
  }
  let firstRun: { code: number; stderr: string } | undefined;
  return {
    teardown: async () => {
      firstRun = await release();
    },
    check: async () =>
      expect({ exit: firstRun?.code, stderr: firstRun?.stderr.slice(-2000) }).toEqual({
        exit: 0,
        stderr: firstRun?.stderr.slice(-2000),
      }),
  };
}

/**
 * A run killed with -9 while loading: its run row says "running" and its load.locked event names
 * the schema and its backend, whose session is gone (and its lock with it). The next load must not
 * be held up by it, and must mark it failed with a run.abandoned event; its own run, failing, must
 * not stay "running" either.
 */
async function deadRun(c: CaseContext): Promise<ArrangedFault> {
  const runId = randomUUID();
  const gone = await session(c, 'corpus dead run');
  let pid: number;
  try {
    pid = (await gone.query('SELECT pg_backend_pid() AS pid')).rows[0].pid;
    await gone.query(`SELECT pg_advisory_lock(${LOCK_KEY})`, [c.schema]);
    await gone.query(`INSERT INTO converge.runs (id, pipeline, status) VALUES ($1, 'corpus', 'running')`, [runId]);
    await gone.query(
      `INSERT INTO converge.run_events (run_id, kind, stage, payload) VALUES ($1, 'load.locked', 'import', $2)`,
      [runId, JSON.stringify({ pid, schemas: [c.schema] })],
    );
  } finally {
    await gone.end();
  }
  // The backend outlives its socket for a moment, lock included: the command would find it held.
  const s = await session(c, 'corpus wait for the dead run');
  try {
    for (let i = 0; i < 100; i++) {
      const { rows } = await s.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE pid = $1', [pid!]);
      if (rows[0].n === 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    await s.end();
  }
  return {
    teardown: async () => undefined,
    check: async () => {
      const s = await session(c, 'corpus check');
      try {
        const dead = await s.query(
          `SELECT status::text, ended_at IS NOT NULL AS ended,
                  (SELECT count(*)::int FROM converge.run_events e WHERE e.run_id = r.id AND e.kind = 'run.abandoned') AS abandoned
             FROM converge.runs r WHERE id = $1`,
          [runId],
        );
        expect(dead.rows).toEqual([{ status: 'failed', ended: true, abandoned: 1 }]);
        const running = await s.query(
          `SELECT r.id FROM converge.runs r
            WHERE r.status = 'running' AND EXISTS (SELECT 1 FROM converge.run_events e
                    WHERE e.run_id = r.id AND e.kind = 'load.locked' AND e.payload->'schemas' ? $1)`,
          [c.schema],
        );
        expect({ pid, running: running.rows }).toEqual({ pid, running: [] });
      } finally {
        await s.end();
      }
    },
  };
}

export const concurrencyCases: CorpusCase[] = [
  {
    name: 'another session holds the load lock of the target schema',
    stage: 'concurrency',
    from: 'transform',
    mapping: PLAIN,
    pg: 'CREATE TABLE plain (id integer PRIMARY KEY, s text);',
    fault: lockHeld,
    run: 'import',
    expect: {
      exit: ExitCode.TargetState,
      code: 'TARGET_BUSY',
      where: (c) => [`schema ${c.schema}`],
      message: BUSY('corpus lock holder \\(pid \\d+\\) since [^;]+'),
      within: 20_000,
    },
    after: { rows: { plain: 0 } },
    migrate: { sameError: true },
  },
  {
    // Without the lock both would pass the empty-table check and both COPY: every row twice.
    name: 'a second load while a migrate loads a table without a primary key',
    stage: 'concurrency',
    from: 'transform',
    mapping: NO_KEY,
    pg: 'CREATE TABLE no_key (id integer, v text);',
    fault: (c) => firstMigrateHeldInItsLoad(c, 'no_key'),
    run: 'import',
    expect: {
      exit: ExitCode.TargetState,
      code: 'TARGET_BUSY',
      where: (c) => [`schema ${c.schema}`],
      message: BUSY('run [0-9a-f-]{36}, converge migrate \\(pid \\d+\\) since [^;]+'),
      within: 20_000,
    },
    // Every source row once: loaded by the first run, none by the refused one.
    after: { rows: { no_key: 3 } },
    migrate: { sameError: true },
  },
  {
    // Without a statement time-out this waits as long as the other transaction lasts.
    name: 'another session holds a target table (a schema change: its first read waits), bounded by --statement-timeout-ms',
    stage: 'concurrency',
    from: 'transform',
    mapping: PLAIN,
    pg: 'CREATE TABLE plain (id integer PRIMARY KEY, s text);',
    fault: (c) => tableHeld(c, 'plain', 'ACCESS EXCLUSIVE'),
    run: (c) => ['import', ...commonArgs(c), '--statement-timeout-ms', '1500'],
    expect: {
      exit: ExitCode.Connection,
      code: 'STALLED',
      where: (c) => [`table ${c.schema}.plain`],
      message: /was cancelled by the statement time-out \(--statement-timeout-ms or CONVERGE_STATEMENT_TIMEOUT_MS\)/,
      within: 20_000,
    },
    after: { rows: { plain: 0 } },
    migrate: { sameError: true },
  },
  {
    // Without a statement time-out this waits as long as the other transaction lasts.
    name: 'another session holds a target table in SHARE mode (reads pass, COPY waits), bounded by --statement-timeout-ms',
    stage: 'concurrency',
    from: 'transform',
    mapping: PLAIN,
    pg: 'CREATE TABLE plain (id integer PRIMARY KEY, s text);',
    fault: (c) => tableHeld(c, 'plain', 'SHARE'),
    run: (c) => ['import', ...commonArgs(c), '--statement-timeout-ms', '1500'],
    expect: {
      exit: ExitCode.Connection,
      code: 'STALLED',
      where: (c) => [`table ${c.schema}.plain`],
      message: /was cancelled by the statement time-out \(--statement-timeout-ms or CONVERGE_STATEMENT_TIMEOUT_MS\)/,
      within: 20_000,
    },
    after: { rows: { plain: 0 } },
    migrate: { sameError: true },
  },
  {
    name: 'a run killed while loading left "running", then a duplicate key',
    stage: 'concurrency',
    from: 'transform',
    mapping: NO_KEY,
    pg: 'CREATE TABLE no_key (id integer PRIMARY KEY, v text);',
    fault: deadRun,
    run: 'import',
    expect: {
      exit: ExitCode.LoadRejected,
      code: 'LOAD_REJECTED',
      where: (c) => [`table ${c.schema}.no_key`, 'CSV line 4', 'column id', 'constraint no_key_pkey'],
      message: /duplicate key/,
    },
    after: { rows: { no_key: 0 } },
    migrate: { where: (c) => [`table ${c.schema}.no_key`, 'constraint no_key_pkey'] },
  },
];

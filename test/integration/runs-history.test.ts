import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { seedKratos } from '../../fixtures/demo/kratos-seed';
import { openMysql } from '../../src/source/mysql/connect';
import { parseConnectionUrl } from '../../src/core/connection-url';
import { ExitCode } from '../../src/core/exit-codes';
import { runPipeline, PipelineRunResult } from '../../src/pipeline/run-pipeline';
import { RunRecorder, RUN_MIGRATIONS_DIR } from '../../src/run/run-recorder';
import { EVENTS_FILE } from '../../src/run/replay-events';
import type { RunSummary } from '../../src/run/run-summary';
import type { RunListRow } from '../../src/target/postgres/run-history';
import { pipelineFixture, PipelineFixture, quietLog } from '../helpers/pipeline-fixture';
import { runCli } from '../helpers/run-cli';

/** The run history on the real servers: what a run records, how runs list/show read it, and JSONL replay. */
let fx: PipelineFixture;
let run: PipelineRunResult;
let pg: Client;

beforeAll(async () => {
  fx = await pipelineFixture('kratos');
  const my = await openMysql(fx.source);
  try {
    await seedKratos(my, { scale: 20 });
  } finally {
    await my.end();
  }
  run = await runPipeline({
    pipeline: fx.pipeline,
    source: fx.source,
    target: fx.target,
    workDir: fx.workDir,
    log: quietLog,
    jobs: 1,
  });
  pg = new Client({ connectionString: fx.pgDb.url });
  await pg.connect();
});

afterAll(async () => {
  await pg?.end();
  await fx?.cleanup();
});

const cli = (args: string[]) =>
  runCli([...args, '--pipeline', 'kratos', '--target', fx.pgDb.url, '--work-dir', fx.workDir]);

describe('run history', () => {
  it('is created by its own ordered migrations, with a tracking table and a status enum', async () => {
    const versions = await pg.query('SELECT version FROM converge.schema_versions ORDER BY version');
    // Every file of the folder, in order: 0001, 0002, … with none skipped.
    const files = (await fsp.readdir(RUN_MIGRATIONS_DIR)).filter((f) => f.endsWith('.sql')).sort();
    expect(files.length).toBeGreaterThanOrEqual(4);
    expect(files.map((f) => f.slice(0, 4))).toEqual(files.map((_, i) => String(i + 1).padStart(4, '0')));
    expect(versions.rows.map((r) => r.version)).toEqual(files.map((f) => f.slice(0, 4)));
    const labels = await pg.query(
      "SELECT enumlabel FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid WHERE t.typname = 'run_status' ORDER BY enumsortorder",
    );
    expect(labels.rows.map((r) => r.enumlabel)).toEqual(['running', 'completed', 'failed', 'rolled_back']);
    const kinds = await pg.query('SELECT DISTINCT kind FROM converge.run_events WHERE run_id = $1', [run.runId]);
    expect(kinds.rows.map((r) => r.kind).sort()).toEqual(
      expect.arrayContaining([
        'run.created',
        'stage.started',
        'table.exported',
        'table.transformed',
        'table.loaded',
        'table.verified',
        'run.completed',
      ]),
    );
  });

  it('runs list --json shows the run with its tables, rows and bytes, newest first', async () => {
    const r = await cli(['runs', 'list', '--json']);
    expect(r.code).toBe(ExitCode.Ok);
    const list = JSON.parse(r.stdout) as RunListRow[];
    const mine = list.find((x) => x.id === run.runId)!;
    expect(mine).toMatchObject({ pipeline: 'kratos', status: 'completed', tables: run.tables.length });
    expect(mine.rows).toBe(run.tables.reduce((n, t) => n + t.rows, 0));
    expect(mine.bytes).toBe(run.bytes);
  });

  it('a finished export (and then transform) is listed as finished, not running, until import ends the run', async () => {
    const workDir = path.join(fx.workDir, 'stages');
    const stage = (name: string) =>
      runCli([
        name,
        '--pipeline',
        'kratos',
        '--source',
        fx.mysqlDb.url,
        '--target',
        fx.pgDb.url,
        '--work-dir',
        workDir,
      ]);
    const listed = async () => {
      const r = await runCli(['runs', 'list', '--json', '--pipeline', 'kratos', '--target', fx.pgDb.url]);
      return (JSON.parse(r.stdout) as Array<RunListRow & { state: string }>)[0];
    };
    expect((await stage('export')).code).toBe(ExitCode.Ok);
    expect(await listed()).toMatchObject({ status: 'running', state: 'export finished' });
    const table = await runCli(['runs', 'list', '--pipeline', 'kratos', '--target', fx.pgDb.url]);
    expect(table.stdout.split('\n')[2]).toContain('export finished');
    expect((await stage('transform')).code).toBe(ExitCode.Ok);
    const mine = await listed();
    expect(mine.state).toBe('transform finished');
    const shown = await runCli(['runs', 'show', mine.id, '--target', fx.pgDb.url]);
    expect(shown.stdout).toContain('status transform finished');
  });

  it('runs show (by id prefix) gives per stage and per table rows, seconds and outcome; the table view prints too', async () => {
    const r = await cli(['runs', 'show', run.runId.slice(0, 8), '--json']);
    expect(r.code).toBe(ExitCode.Ok);
    const s = JSON.parse(r.stdout) as RunSummary;
    expect(s.stages.map((x) => x.stage)).toEqual(['export', 'transform', 'import', 'verify']);
    expect(s.stages.every((x) => x.outcome === 'ok')).toBe(true);
    const exported = s.tables.filter((t) => t.stage === 'export');
    expect(exported.reduce((n, t) => n + (t.bytes ?? 0), 0)).toBe(run.bytes);
    const identities = s.tables.find((t) => t.stage === 'import' && t.table === 'public.identities')!;
    expect(identities.rows).toBe(run.tables.find((t) => t.table === 'identities')!.rows);
    expect(s.errors).toEqual([]);
    const text = await cli(['runs', 'show', run.runId]);
    expect(text.stdout).toContain(`run ${run.runId}`);
    expect(text.stdout).toMatch(/import\s+public\.identities\s+\d+/);
  });

  it('converge verify of a completed run records its proof and leaves the run completed, with its end time', async () => {
    const before = await pg.query('SELECT status::text, ended_at FROM converge.runs WHERE id = $1', [run.runId]);
    expect(before.rows[0].status).toBe('completed');
    const verified = await pg.query(
      "SELECT count(*)::int AS n FROM converge.run_events WHERE run_id = $1 AND kind = 'table.verified'",
      [run.runId],
    );
    const r = await cli(['verify', '--source', fx.mysqlDb.url]);
    expect(r.code).toBe(ExitCode.Ok);
    const after = await pg.query('SELECT status::text, ended_at FROM converge.runs WHERE id = $1', [run.runId]);
    expect(after.rows[0]).toEqual(before.rows[0]);
    const again = await pg.query(
      "SELECT count(*)::int AS n FROM converge.run_events WHERE run_id = $1 AND kind = 'table.verified'",
      [run.runId],
    );
    expect(again.rows[0].n).toBeGreaterThan(verified.rows[0].n);
  });

  it('an unknown run is a usage error, not a bug', async () => {
    const r = await cli(['runs', 'show', '00000000-0000-0000-0000-000000000000']);
    expect(r.code).toBe(ExitCode.Usage);
    expect(r.stderr).toContain('no run');
  });

  it('writes events.jsonl when the target is unreachable, and replays it once, idempotently', async () => {
    const dir = path.join(fx.workDir, 'offline');
    await fsp.mkdir(dir, { recursive: true });
    const unreachable = parseConnectionUrl(
      'postgres://postgres@127.0.0.1:1/nowhere?connect_timeout_ms=2000',
      'postgres',
      'test',
    );
    const rec = await RunRecorder.open({
      target: unreachable,
      runId: '5f0c8c3e-0000-4000-8000-00000000beef',
      pipeline: 'kratos',
      runDir: dir,
      log: quietLog,
    });
    await rec.event({ kind: 'run.created', payload: { pipeline: 'kratos' } });
    await rec.event({
      kind: 'table.exported',
      stage: 'export',
      table: 'identities',
      payload: { rows: 3, bytes: 99, seconds: 0.1 },
    });
    await rec.finish('completed');
    await rec.close();
    const lines = (await fsp.readFile(path.join(dir, EVENTS_FILE), 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(JSON.parse(lines[0]).run.pipeline).toBe('kratos');
    expect((await fsp.stat(path.join(dir, EVENTS_FILE))).mode & 0o777).toBe(0o600);

    const r = await runCli(['runs', 'replay', '--work-dir', dir, '--target', fx.pgDb.url]);
    expect(r.code).toBe(ExitCode.Ok);
    expect(r.stdout).toContain('replayed 3 events of 1 run(s)');
    const row = await pg.query(
      "SELECT status::text, pipeline FROM converge.runs WHERE id = '5f0c8c3e-0000-4000-8000-00000000beef'",
    );
    expect(row.rows[0]).toEqual({ status: 'completed', pipeline: 'kratos' });
    const again = await runCli(['runs', 'replay', '--work-dir', dir, '--target', fx.pgDb.url]);
    expect(again.stdout).toContain('nothing to replay');
    const n = await pg.query(
      "SELECT count(*)::int AS n FROM converge.run_events WHERE run_id = '5f0c8c3e-0000-4000-8000-00000000beef'",
    );
    expect(n.rows[0].n).toBe(3);
  });

  it('a recorder that reaches the target replays what an earlier offline run left in the run directory', async () => {
    const dir = path.join(fx.workDir, 'offline-2');
    await fsp.mkdir(dir, { recursive: true });
    const offlineId = '5f0c8c3e-0000-4000-8000-00000000cafe';
    await fsp.writeFile(
      path.join(dir, EVENTS_FILE),
      JSON.stringify({
        runId: offlineId,
        kind: 'run.created',
        at: new Date().toISOString(),
        run: { pipeline: 'kratos' },
      }) + '\n',
      { mode: 0o600 },
    );
    const rec = await RunRecorder.open({
      target: fx.target,
      runId: '5f0c8c3e-0000-4000-8000-00000000f00d',
      pipeline: 'kratos',
      runDir: dir,
      log: quietLog,
    });
    await rec.close();
    const n = await pg.query('SELECT count(*)::int AS n FROM converge.run_events WHERE run_id = $1', [offlineId]);
    expect(n.rows[0].n).toBe(1);
    await expect(fsp.stat(path.join(dir, EVENTS_FILE))).rejects.toThrow();
  });
});

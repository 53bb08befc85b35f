import { Client } from 'pg';
import { seedKratos } from '../../fixtures/demo/kratos-seed';
import { openMysql } from '../../src/source/mysql/connect';
import { ExitCode } from '../../src/core/exit-codes';
import { isConvergeError } from '../../src/core/errors';
import { runPipeline, PipelineRunResult } from '../../src/pipeline/run-pipeline';
import { rollbackRun, RollbackResult } from '../../src/rollback/rollback-run';
import type { ChecklistOutcome } from '../../src/checklist/run-checklist';
import { pipelineFixture, PipelineFixture, quietLog } from '../helpers/pipeline-fixture';
import { runCli } from '../helpers/run-cli';

/** Rollback from the run history, and the verification checklist before and after it, on the real servers. */
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

const count = async (table: string) => (await pg.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n as number;
const checklist = () =>
  runCli(['checklist', '--json', '--pipeline', 'kratos', '--source', fx.mysqlDb.url, '--target', fx.pgDb.url]);

describe('verification checklist and rollback', () => {
  it('the checklist passes every automatable Kratos item after a good load and lists the manual ones', async () => {
    const r = await checklist();
    const outcomes = JSON.parse(r.stdout) as ChecklistOutcome[];
    expect(outcomes.filter((o) => o.status !== 'pass' && o.status !== 'manual')).toEqual([]);
    expect(outcomes.filter((o) => o.status === 'pass').length).toBeGreaterThanOrEqual(6);
    expect(outcomes.some((o) => o.status === 'manual' && o.section === 'authentication')).toBe(true);
    expect(r.code).toBe(ExitCode.Ok);
  });

  it('dry run reports what would be emptied, children before parents, and changes nothing', async () => {
    const r = await rollbackRun({ target: fx.target, run: run.runId, dryRun: true, log: quietLog });
    expect(r.status).toBe('dry-run');
    const order = r.tables.map((t) => t.table);
    expect(order.indexOf('public.identity_credentials')).toBeLessThan(order.indexOf('public.identities'));
    expect(order.indexOf('public.identities')).toBeLessThan(order.indexOf('public.networks'));
    expect(r.tables.every((t) => t.difference === 0)).toBe(true);
    expect(r.tables.find((t) => t.table === 'public.identities')).toMatchObject({ action: 'emptied', preexisting: 0 });
    expect(await count('identities')).toBeGreaterThan(0);
  });

  it('refuses when a table holds a row the run did not load, naming the table, and changes nothing', async () => {
    await pg.query(
      "INSERT INTO identity_credential_types (id, name) VALUES ('00000000-0000-4000-8000-0000000000ff', 'rollback-test')",
    );
    let err: unknown;
    try {
      await rollbackRun({ target: fx.target, run: run.runId.slice(0, 13), log: quietLog });
    } catch (e) {
      err = e;
    }
    expect(isConvergeError(err) && err.code).toBe('TARGET_NOT_EMPTY');
    expect((err as Error).message).toContain('public.identity_credential_types');
    expect(await count('identities')).toBeGreaterThan(0);
    await pg.query("DELETE FROM identity_credential_types WHERE name = 'rollback-test'");
  });

  it('converge rollback RUN empties every table the run loaded in one go and marks the run rolled_back', async () => {
    const r = await runCli(['rollback', run.runId, '--json', '--target', fx.pgDb.url]);
    expect(r.code).toBe(ExitCode.Ok);
    const res = JSON.parse(r.stdout) as RollbackResult;
    expect(res.status).toBe('rolled-back');
    expect(res.tables.length).toBe(run.tables.length);
    for (const t of res.tables.filter((x) => x.action === 'emptied'))
      expect(
        await count(
          t.table
            .split('.')
            .map((p) => `"${p}"`)
            .join('.'),
        ),
      ).toBe(0);
    // Rows the target's own migration seeded before the load stay: converge cannot tell them from the run's.
    const kept = res.tables.filter((x) => x.action === 'kept');
    for (const t of kept) expect(t.preexisting).toBeGreaterThan(0);
    expect(res.tables.filter((x) => x.action === 'emptied').length).toBeGreaterThan(20);
    const status = await pg.query('SELECT status::text AS s FROM converge.runs WHERE id = $1', [run.runId]);
    expect(status.rows[0].s).toBe('rolled_back');
    const ev = await pg.query(
      "SELECT payload FROM converge.run_events WHERE run_id = $1 AND kind = 'run.rolled_back'",
      [run.runId],
    );
    expect(ev.rows).toHaveLength(1);
    const again = await runCli(['rollback', run.runId, '--target', fx.pgDb.url]);
    expect(again.code).toBe(ExitCode.Usage);
    expect(again.stderr).toContain('already rolled back');
  });

  it('after the rollback the checklist fails, with the source and target figures', async () => {
    const r = await checklist();
    expect(r.code).toBe(ExitCode.VerifyFailed);
    const outcomes = JSON.parse(r.stdout) as ChecklistOutcome[];
    const identities = outcomes.find((o) => o.id === 'auth-identities-by-state')!;
    expect(identities.status).toBe('fail');
    expect(identities.detail).toContain('≠');
  });
});

import os from 'node:os';
import path from 'node:path';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Client } from 'pg';
import { ExitCode } from '../../src/core/exit-codes';
import type { PipelineRehearsal } from '../../src/rehearse/run-rehearsal';
import { createMysqlDb, createPgDb, TestDb } from '../helpers/databases';
import { runCli } from '../helpers/run-cli';
import { createShopSource, createShopTarget, shopSourceChecksum, writeShopProject } from '../helpers/shop-copy';

/**
 * The operator's case: a pipeline with no seeder and no migrations of its own (the application
 * applied its Postgres schema), rehearsed against an existing copy of the source data. The
 * rehearsal must read the copy without changing it, empty only the tables the mapping loads,
 * run and time migrate, compare with the previous rehearsal, and refuse what an operator must
 * be protected from: an unconfirmed reset, the cut-over's own target, a target holding a real
 * load, seeding a pipeline that has no seeder.
 */

const work = mkdtempSync(path.join(os.tmpdir(), 'converge-rehearse-copy-'));
const project = path.join(work, 'shop');
let my: TestDb;
let pg: TestDb;

const base = () => [
  'rehearse',
  '--project',
  project,
  '--pipeline',
  'shop',
  '--source',
  my.url,
  '--target',
  pg.url,
  '--jobs',
  '2',
  '--work-dir',
  path.join(work, 'work'),
];
const rehearse = (extra: string[], env: Record<string, string> = {}) =>
  runCli([...base(), ...extra], { CONVERGE_TARGET_URL: '', CONVERGE_SOURCE_URL: '', ...env }, 120_000);

async function pgQuery(sql: string): Promise<Array<Record<string, unknown>>> {
  const c = new Client({ connectionString: pg.url });
  await c.connect();
  try {
    return (await c.query(sql)).rows;
  } finally {
    await c.end();
  }
}

let first: PipelineRehearsal;
let second: PipelineRehearsal;
let secondReport: string;
let sourceBefore: unknown;

beforeAll(async () => {
  writeShopProject(project);
  [my, pg] = await Promise.all([createMysqlDb('rh_copy'), createPgDb('rh_copy')]);
  await Promise.all([createShopSource(my.url), createShopTarget(pg.url)]);
  sourceBefore = await shopSourceChecksum(my.url);
}, 60_000);

afterAll(async () => {
  await Promise.all([my?.drop(), pg?.drop()]);
  rmSync(work, { recursive: true, force: true });
});

describe('converge rehearse against an existing copy of the source (no seeder, no migrations)', () => {
  it('refuses to reset a target it was not told it may reset, and changes nothing', async () => {
    const r = await rehearse([]);
    expect(r.code).toBe(ExitCode.Usage);
    expect(r.stderr).toContain(`pass --reset-target ${pg.name}`);
    const wrong = await rehearse(['--reset-target', 'somewhere_else']);
    expect(wrong.code).toBe(ExitCode.Usage);
    expect(wrong.stderr).toContain('does not name the target');
    // Named by CONVERGE_TARGET_URL, it is the cut-over's target.
    const cutover = await rehearse(['--reset-target', pg.name], { CONVERGE_TARGET_URL: pg.url });
    expect(cutover.code).toBe(ExitCode.Usage);
    expect(cutover.stderr).toContain("is the cut-over's target");
    expect(await pgQuery('SELECT count(*)::int AS n FROM app_migrations')).toEqual([{ n: 2 }]);
    expect(await pgQuery("SELECT to_regnamespace('converge') IS NULL AS none")).toEqual([{ none: true }]);
  });

  it('refuses --seed for a pipeline that has no seeder', async () => {
    const r = await rehearse(['--reset-target', pg.name, '--seed', '10', '--reset-source', my.name]);
    expect(r.code).toBe(ExitCode.Usage);
    expect(r.stderr).toMatch(/pipeline shop has no seeder .*rehearse it without --seed/);
  });

  it('rehearses against the copy: migrate timed per phase and table, verified, the copy unchanged', async () => {
    const a = await rehearse(['--reset-target', pg.name, '--json']);
    if (a.code !== 0) throw new Error(`rehearse exited ${a.code}: ${a.stderr}`);
    first = (JSON.parse(a.stdout) as { rehearsal: PipelineRehearsal }).rehearsal;
    const r = first.result;
    // No migrations: no schema-apply phase, no source set-up; the reset and migrate's two phases.
    expect(r.phases.map((p) => p.phase)).toEqual(['reset', 'load', 'verify']);
    expect(r.source).toEqual({ database: my.name });
    expect(r.samples).toHaveLength(1);
    expect(r.rows).toBe(3302);
    expect(r.tables.map((t) => [t.table, t.rowsIn, t.verified])).toEqual(
      expect.arrayContaining([
        ['public.customers', 300, true],
        ['public.orders', 3000, true],
        ['public.tags', 2, true],
      ]),
    );
    expect(r.verified).toBe(true);
    expect(r.writeDowntimeSeconds).toBeCloseTo(r.samples[0].seconds.load + r.samples[0].seconds.verify, 9);
    expect(first.comparison).toBeUndefined();
    expect(await shopSourceChecksum(my.url)).toEqual(sourceBefore);
    expect(await pgQuery('SELECT count(*)::int AS n FROM orders')).toEqual([{ n: 3000 }]);
  }, 120_000);

  it('a second rehearsal empties the loaded tables (keeping the application’s), predicts with a warning and compares', async () => {
    const b = await rehearse(['--reset-target', pg.name, '--production-rows', '5M', '--json']);
    if (b.code !== 0) throw new Error(`rehearse exited ${b.code}: ${b.stderr}`);
    const out = JSON.parse(b.stdout) as { rehearsal: PipelineRehearsal; report: { markdown: string } };
    second = out.rehearsal;
    secondReport = readFileSync(out.report.markdown, 'utf8');
    expect(second.result.verified).toBe(true);
    expect(second.result.rows).toBe(3302);
    expect(await pgQuery('SELECT count(*)::int AS n FROM app_migrations')).toEqual([{ n: 2 }]);
    expect(second.comparison).toMatchObject({ previousRunId: first.result.runId, sameSize: true });
    expect(second.comparison!.tables.map((d) => d.name).sort()).toEqual([
      'public.customers',
      'public.orders',
      'public.tags',
    ]);
    const f = second.result.forecast!;
    expect(f.rows).toBe(5e6);
    // The first rehearsal is the same size: nothing but the tables separates fixed from per-row.
    expect(f.stages.map((s) => s.method)).toEqual(['tables', 'tables']);
    expect(f.low).toBeLessThanOrEqual(f.seconds);
    expect(f.high).toBeGreaterThanOrEqual(f.seconds);
    expect(f.tooSmall).toBe(true);
    expect(f.warnings.join('\n')).toMatch(/measured at one size only/);
    expect(f.samples.map((s) => s.from)).toEqual(['this rehearsal', 'earlier rehearsal']);
  }, 120_000);

  it('the report shows every table, the comparison and the predicted write downtime with its range', () => {
    for (const t of ['public.customers', 'public.orders', 'public.tags']) expect(secondReport).toContain(`| ${t} |`);
    expect(secondReport).toContain(`Previous: run ${first.result.runId}`);
    expect(secondReport).toMatch(
      /Predicted write downtime \(migrate's load and verify, writes frozen\) for 5000000 rows/,
    );
    expect(secondReport).toMatch(/range [\d.]+ (s|min)/);
    expect(secondReport).toContain('Warning: the prediction extrapolates');
    expect(secondReport).toContain('converge migrate --pipeline shop --jobs 2');
    expect(secondReport).toContain('a copy of the production data, read as found');
  });

  it('refuses a target that holds a load no rehearsal made', async () => {
    const mig = await runCli(
      ['migrate', '--project', project, '--pipeline', 'shop', '--source', my.url, '--target', pg.url, '--truncate'],
      { CONVERGE_WORK_DIR: path.join(work, 'real') },
      120_000,
    );
    expect(mig.code).toBe(0);
    const r = await rehearse(['--reset-target', pg.name]);
    expect(r.code).toBe(ExitCode.TargetState);
    expect(r.stderr).toMatch(/holds the completed load of run [0-9a-f-]{36} \(pipeline shop/);
    // Refused before the reset: the real load is still there.
    expect(await pgQuery('SELECT count(*)::int AS n FROM orders')).toEqual([{ n: 3000 }]);
  }, 120_000);
});

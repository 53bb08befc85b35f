import os from 'node:os';
import path from 'node:path';
import { promises as fsp } from 'node:fs';
import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import { Client } from 'pg';
import { ExitCode } from '../../src/core/exit-codes';
import type { PipelineRehearsal } from '../../src/rehearse/run-rehearsal';
import { CUTOVER_STAGES } from '../../src/rehearse/rehearsal-result';
import { MYSQL_BASE, PG_BASE } from '../helpers/databases';
import { runCli } from '../helpers/run-cli';

/**
 * A seeded rehearsal of the Kratos pipeline (30-odd tables, its own Postgres migrations) through
 * the CLI. What it times must be the cut-over command, `converge migrate` (runMigrate): its
 * phases, its per-table results, and runs whose history is migrate's; the prediction from a
 * sample this small must say it is too small to predict from.
 */
const suffix = randomBytes(3).toString('hex');
const sourceDb = `cvt_rh_${suffix}_kratos_src`;
const db = `cvt_rh_${suffix}_kratos`;
let dir: string;
let first: PipelineRehearsal;
let firstOut: { report: { markdown: string; html: string } };

const rehearse = (extra: string[]) =>
  runCli(
    [
      'rehearse',
      '--pipeline',
      'kratos',
      '--source',
      `${MYSQL_BASE}/${sourceDb}`,
      '--target',
      `${PG_BASE}/${db}`,
      '--reset-target',
      db,
      '--work-dir',
      path.join(dir, 'work'),
      '--report-dir',
      path.join(dir, 'report'),
      '--jobs',
      '1',
      '--json',
      ...extra,
    ],
    {},
    240_000,
  );

beforeAll(async () => {
  dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'converge-rehearse-'));
  const a = await rehearse(['--seed', '20', '--reset-source', sourceDb, '--keep-files', '--production-size', '10GB']);
  if (a.code !== 0) throw new Error(`rehearsal exited ${a.code}: ${a.stderr}`);
  firstOut = JSON.parse(a.stdout);
  first = (firstOut as unknown as { rehearsal: PipelineRehearsal }).rehearsal;
}, 600_000);

afterAll(async () => {
  const my = await mysql.createConnection({ uri: MYSQL_BASE });
  await my.query(`DROP DATABASE IF EXISTS \`${sourceDb}\``).finally(() => my.end());
  const pg = new Client({ connectionString: `${PG_BASE}/postgres` });
  await pg.connect();
  await pg.query(`DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`).finally(() => pg.end());
  await fsp.rm(dir, { recursive: true, force: true });
});

async function runEvents(runId: string): Promise<Array<{ kind: string; stage: string | null; payload: any }>> {
  const pg = new Client({ connectionString: `${PG_BASE}/${db}` });
  await pg.connect();
  try {
    const { rows } = await pg.query(
      'SELECT kind, stage, payload FROM converge.run_events WHERE run_id = $1 ORDER BY id',
      [runId],
    );
    return rows;
  } finally {
    await pg.end();
  }
}

describe('converge rehearse --seed (Kratos)', () => {
  it("times the scratch set-up, then the cut-over's schema apply and converge migrate's load and verify, at two sizes", () => {
    expect(first.result.phases.map((p) => p.phase)).toEqual([
      'reset',
      'source-schema',
      'seed',
      'schema-apply',
      'load',
      'verify',
    ]);
    const migratePhases = first.result.phases.filter((p) => p.command === 'migrate').map((p) => p.phase);
    expect(migratePhases).toEqual([...CUTOVER_STAGES]);
    expect(first.result.phases.find((p) => p.phase === 'schema-apply')!.command).toBe('schema apply');
    for (const p of first.result.phases.filter((x) => ['reset', 'source-schema', 'seed'].includes(x.phase)))
      expect(p.command).toBeUndefined();
    expect(first.result.cutover).toEqual({ command: 'migrate', jobs: 1, keepFiles: true, verify: true });
    expect(first.result.source).toEqual({ database: sourceDb, seeded: { scale: 20 } });
    expect(first.result.samples.map((s) => s.scale)).toEqual([5, 20]);
    expect(first.result.samples[0].rows).toBeLessThan(first.result.samples[1].rows);
    expect(first.result.runId).toBe(first.result.samples[1].runId);
    expect(first.result.verified).toBe(true);
    expect(first.comparison).toBeUndefined();
  });

  it("reports migrate's per-table results: rows, seconds, streamed or staged, FK checks", () => {
    const tables = first.result.tables;
    expect(tables.length).toBeGreaterThan(20);
    expect(tables.reduce((n, t) => n + t.rowsIn, 0)).toBe(first.result.rows);
    const identities = tables.find((t) => t.table === 'public.identities')!;
    expect(identities).toMatchObject({ sourceTable: 'identities', rowsIn: 20, rows: 20, verified: true });
    for (const t of tables) {
      expect(['streamed', 'staged']).toContain(t.path);
      expect(t.seconds).toBeGreaterThanOrEqual(0);
      expect(t.verified).toBe(true);
    }
    expect(tables.filter((t) => t.fkChecks).length).toBeGreaterThan(0);
    expect(first.result.bytes).toBeGreaterThan(0);
    expect(first.result.samples[1].tables).toHaveLength(tables.length);
  });

  it('every timed run is a converge migrate run in the run history, marked as a rehearsal', async () => {
    for (const sample of first.result.samples) {
      const events = await runEvents(sample.runId);
      const kinds = new Set(events.map((e) => e.kind));
      expect(kinds.has('table.exported')).toBe(false);
      const transformed = events.filter((e) => e.kind === 'table.transformed');
      expect(transformed.length).toBe(first.result.tables.length);
      expect(transformed.every((e) => e.payload.fused === true)).toBe(true);
      expect(kinds.has('table.verified')).toBe(true);
    }
    expect((await runEvents(first.result.samples[0].runId)).map((e) => e.kind)).toContain('rehearsal.sample');
    const recorded = (await runEvents(first.result.runId)).find((e) => e.kind === 'rehearsal.completed')!.payload;
    expect(recorded.cutover.command).toBe('migrate');
  });

  it('passes --keep-files to migrate as the cut-over command would', async () => {
    const kept = await fsp.readdir(path.join(dir, 'work', 'kratos', 'transform'));
    expect(kept).toContain('manifest.json');
    expect(kept).toContain('identities.csv');
    const manifest = JSON.parse(
      await fsp.readFile(path.join(dir, 'work', 'kratos', 'transform', 'manifest.json'), 'utf8'),
    );
    expect(manifest).toMatchObject({ runId: first.result.runId, fused: { filesKept: true } });
  });

  it('predicts from fixed and per-row costs, with a range, and says the sample is too small', () => {
    const f = first.result.forecast!;
    expect(f.given).toEqual({ bytes: 10e9 });
    expect(f.stages.map((s) => s.stage)).toEqual(['load', 'verify']);
    expect(f.low).toBeLessThanOrEqual(f.seconds);
    expect(f.high).toBeGreaterThanOrEqual(f.seconds);
    expect(f.tooSmall).toBe(true);
    expect(f.warnings.join('\n')).toMatch(/extrapolates \d+× beyond the largest sample/);
  });

  it('writes report.md with the prediction, its warnings and every table, and a self-contained report.html', async () => {
    const md = await fsp.readFile(firstOut.report.markdown, 'utf8');
    expect(md).toContain('Predicted write downtime');
    expect(md).toContain('Warning: the prediction extrapolates');
    expect(md).toContain('converge migrate --pipeline kratos --jobs 1 --keep-files');
    expect(md).toMatch(/\| load \| converge migrate \| [\d.]+ \|/);
    expect(md).toMatch(/\| verify \| converge migrate \| [\d.]+ \|/);
    for (const t of first.result.tables) expect(md).toContain(`| ${t.table} |`);
    const html = await fsp.readFile(firstOut.report.html, 'utf8');
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=|<img[^>]+src=|url\(/);
    expect(html).toContain('id="report-data"');
  });

  it('refuses a production size it cannot read, and seeding without naming the source again, as usage errors', async () => {
    const r = await rehearse(['--production-size', 'ten gigs']);
    expect(r.code).toBe(ExitCode.Usage);
    expect(r.stderr).toContain('is not a size');
    const s = await rehearse(['--seed', '20']);
    expect(s.code).toBe(ExitCode.Usage);
    expect(s.stderr).toContain(`pass --reset-source ${sourceDb}`);
  });
});

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
 * Two rehearsals of the Kratos pipeline on scratch databases through the CLI: the second keeps
 * the seeded source, resets the target, and compares itself with the first from the run history.
 * What they time must be the cut-over command, `converge migrate` (runMigrate): its phases, its
 * per-table results, and a run whose history is migrate's.
 */
const prefix = `cvt_rh_${randomBytes(3).toString('hex')}_`;
const db = `${prefix}kratos`;
let dir: string;
let first: PipelineRehearsal;
let second: PipelineRehearsal;
let secondOut: { report: { markdown: string; html: string } };

const rehearse = (extra: string[]) =>
  runCli(
    [
      'rehearse',
      '--pipeline',
      'kratos',
      '--scale',
      '25',
      '--production-size',
      '10GB',
      '--database-prefix',
      prefix,
      '--work-dir',
      path.join(dir, 'work'),
      '--report-dir',
      path.join(dir, 'report'),
      '--source',
      MYSQL_BASE,
      '--target',
      PG_BASE,
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
  const a = await rehearse([]);
  if (a.code !== 0) throw new Error(`first rehearsal exited ${a.code}: ${a.stderr}`);
  first = (JSON.parse(a.stdout) as { rehearsals: PipelineRehearsal[] }).rehearsals[0];
  const b = await rehearse(['--reuse-source', '--keep-files']);
  if (b.code !== 0) throw new Error(`second rehearsal exited ${b.code}: ${b.stderr}`);
  secondOut = JSON.parse(b.stdout);
  second = (secondOut as unknown as { rehearsals: PipelineRehearsal[] }).rehearsals[0];
}, 600_000);

afterAll(async () => {
  const my = await mysql.createConnection({ uri: MYSQL_BASE });
  await my.query(`DROP DATABASE IF EXISTS \`${db}\``).finally(() => my.end());
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

describe('converge rehearse', () => {
  it("times the scratch set-up, then the cut-over's schema apply and converge migrate's load and verify", () => {
    expect(first.result.phases.map((p) => p.phase)).toEqual([
      'reset',
      'source-schema',
      'seed',
      'schema-apply',
      'load',
      'verify',
    ]);
    const migratePhases = first.result.phases.filter((p) => p.command === 'migrate').map((p) => p.phase);
    expect(migratePhases).toEqual(['load', 'verify']);
    expect(migratePhases).toEqual([...CUTOVER_STAGES]);
    expect(first.result.phases.find((p) => p.phase === 'schema-apply')!.command).toBe('schema apply');
    for (const p of first.result.phases.filter((x) => ['reset', 'source-schema', 'seed'].includes(x.phase)))
      expect(p.command).toBeUndefined();
    expect(first.result.cutover).toEqual({ command: 'migrate', jobs: 1, keepFiles: false, verify: true });
    expect(first.result.verified).toBe(true);
    expect(first.comparison).toBeUndefined();
  });

  it("reports migrate's per-table results: rows, seconds, streamed or staged, FK checks", () => {
    const tables = first.result.tables;
    expect(tables.length).toBeGreaterThan(20);
    expect(tables.reduce((n, t) => n + t.rowsIn, 0)).toBe(first.result.sourceRows);
    expect(tables.reduce((n, t) => n + t.rows, 0)).toBe(first.result.rows);
    const identities = tables.find((t) => t.table === 'public.identities')!;
    expect(identities).toMatchObject({ sourceTable: 'identities', rowsIn: 25, rows: 25, verified: true });
    for (const t of tables) {
      expect(['streamed', 'staged']).toContain(t.path);
      expect(t.seconds).toBeGreaterThanOrEqual(0);
      expect(t.verified).toBe(true);
    }
    expect(tables.some((t) => t.path === 'streamed')).toBe(true);
    expect(tables.filter((t) => t.fkChecks).length).toBeGreaterThan(0);
    expect(first.result.bytes).toBeGreaterThan(0);
  });

  it('the timed run is a converge migrate run in the run history, not the staged commands', async () => {
    const events = await runEvents(first.result.runId);
    const kinds = new Set(events.map((e) => e.kind));
    expect(kinds.has('table.exported')).toBe(false);
    const transformed = events.filter((e) => e.kind === 'table.transformed');
    expect(transformed.length).toBe(first.result.tables.length);
    expect(transformed.every((e) => e.payload.fused === true)).toBe(true);
    expect(events.filter((e) => e.kind === 'table.loaded').length).toBe(first.result.tables.length);
    expect(kinds.has('table.verified')).toBe(true);
    const recorded = events.find((e) => e.kind === 'rehearsal.completed')!.payload;
    expect(recorded.cutover.command).toBe('migrate');
    expect(
      recorded.phases
        .filter((p: { command?: string }) => p.command === 'migrate')
        .map((p: { phase: string }) => p.phase),
    ).toEqual(['load', 'verify']);
  });

  it('passes --keep-files to migrate as the cut-over command would', async () => {
    expect(second.result.cutover).toEqual({ command: 'migrate', jobs: 1, keepFiles: true, verify: true });
    const kept = await fsp.readdir(path.join(dir, 'work', 'kratos', 'transform'));
    expect(kept).toContain('manifest.json');
    expect(kept).toContain('identities.csv');
    // migrate's own manifest, where `converge migrate --keep-files --verify-only` reads it.
    const manifest = JSON.parse(
      await fsp.readFile(path.join(dir, 'work', 'kratos', 'transform', 'manifest.json'), 'utf8'),
    );
    expect(manifest).toMatchObject({ runId: second.result.runId, fused: { filesKept: true } });
  });

  it("predicts the downtime for the production size by linear extrapolation of migrate's load and verify", () => {
    const p = first.result.prediction!;
    expect(p.method).toMatch(/linear extrapolation/);
    expect(p.productionBytes).toBe(10e9);
    expect(p.stages.map((s) => s.stage)).toEqual(['load', 'verify']);
    for (const t of first.result.throughput)
      expect(t.seconds).toBe(first.result.phases.find((ph) => ph.phase === t.stage)!.seconds);
    for (const s of p.stages) {
      const t = first.result.throughput.find((x) => x.stage === s.stage)!;
      expect(s.seconds).toBeCloseTo(10e9 / t.bytesPerSecond, 3);
    }
    expect(p.totalSeconds).toBeCloseTo(
      p.stages.reduce((n, s) => n + s.seconds, 0),
      6,
    );
  });

  it('the second rehearsal resets the target, keeps the seeded source and compares with the first', () => {
    expect(second.result.sourceReused).toBe(true);
    expect(second.result.phases.map((p) => p.phase)).not.toContain('seed');
    expect(second.result.rows).toBe(first.result.rows);
    expect(second.comparison).toMatchObject({ previousRunId: first.result.runId, sameSize: true });
    expect(second.comparison!.phases.map((d) => d.name)).toEqual(
      expect.arrayContaining(['schema-apply', 'load', 'verify']),
    );
    expect(second.comparison!.tables.length).toBe(second.result.tables.length);
    expect(second.history.map((h) => h.runId)).toEqual([first.result.runId, second.result.runId]);
  });

  it('writes report.md with the prediction, the comparison and the history, and a self-contained report.html', async () => {
    const md = await fsp.readFile(secondOut.report.markdown, 'utf8');
    expect(md).toContain('Predicted cut-over downtime for 10.0 GB');
    expect(md).toContain('linear extrapolation');
    expect(md).toContain(`Previous: run ${first.result.runId}`);
    expect(md).toContain('History of rehearsals');
    expect(md).toContain('converge migrate --pipeline kratos --jobs 1 --keep-files');
    expect(md).toMatch(/\| load \| converge migrate \| [\d.]+ \|/);
    expect(md).toMatch(/\| verify \| converge migrate \| [\d.]+ \|/);
    const html = await fsp.readFile(secondOut.report.html, 'utf8');
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=|<img[^>]+src=|url\(/);
    expect(html).toContain('id="report-data"');
  });

  it('refuses a production size it cannot read, as a usage error', async () => {
    const r = await runCli([
      'rehearse',
      '--pipeline',
      'kratos',
      '--production-size',
      'ten gigs',
      '--database-prefix',
      prefix,
    ]);
    expect(r.code).toBe(ExitCode.Usage);
    expect(r.stderr).toContain('is not a size');
  });
});

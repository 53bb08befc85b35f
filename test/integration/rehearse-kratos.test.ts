import os from 'node:os';
import path from 'node:path';
import { promises as fsp } from 'node:fs';
import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import { Client } from 'pg';
import { ExitCode } from '../../src/core/exit-codes';
import type { PipelineRehearsal } from '../../src/rehearse/run-rehearsal';
import { MYSQL_BASE, PG_BASE } from '../helpers/databases';
import { runCli } from '../helpers/run-cli';

/**
 * Two rehearsals of the Kratos pipeline on scratch databases through the CLI: the second keeps
 * the seeded source, resets the target, and compares itself with the first from the run history.
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
  const b = await rehearse(['--reuse-source']);
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

describe('converge rehearse', () => {
  it('times every phase and table of a verified run', () => {
    expect(first.result.phases.map((p) => p.phase)).toEqual([
      'reset',
      'schema',
      'seed',
      'export',
      'transform',
      'import',
      'verify',
    ]);
    expect(first.result.verified).toBe(true);
    expect(first.result.sourceRows).toBe(first.result.rows);
    expect(first.result.tables.length).toBeGreaterThan(20);
    const identities = first.result.tables.find((t) => t.table === 'identities')!;
    expect(identities.rows).toBe(25);
    expect(identities.bytes).toBeGreaterThan(0);
    expect(first.comparison).toBeUndefined();
  });

  it('predicts the downtime for the production size by linear extrapolation of the measured throughput', () => {
    const p = first.result.prediction!;
    expect(p.method).toMatch(/linear extrapolation/);
    expect(p.productionBytes).toBe(10e9);
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
      expect.arrayContaining(['export', 'transform', 'import', 'verify']),
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

import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { promises as fsp } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { writeRehearsalReport, writeRunReport } from '../../src/report/write-report';
import { summarizeRun } from '../../src/run/run-summary';
import type { RunEventRow } from '../../src/target/postgres/run-history';
import type { RehearsalResult } from '../../src/rehearse/rehearsal-result';
import { forecastDowntime } from '../../src/rehearse/downtime-model';
import { compareRehearsals } from '../../src/rehearse/compare-rehearsals';

// The same lookup `npm test` runs first (scripts/find-chromium.js): a missing browser fails, never skips.
const { findChromium } = require('../../scripts/find-chromium.js') as { findChromium: () => string };

/**
 * report.html in a real browser: headless Chromium (found by scripts/find-chromium.js; CI installs it)
 * loads the file with the network off and dumps the DOM after scripts ran. The charts exist only
 * if the page's own script drew them from the embedded data. No Chromium is a failure, not a skip.
 */
function rehearsal(runId: string, at: string, factor: number): RehearsalResult {
  // MigrateResult.seconds, as runCutoverMigrate returns it.
  const migrateSeconds = { load: 6 * factor, verify: 5 * factor };
  const tables = ['identities', 'sessions', 'identity_credentials', 'courier_messages <script>'].map((table, i) => ({
    table: `public.${table}`,
    sourceTable: table,
    rowsIn: 1000 * (i + 1),
    rows: 1000 * (i + 1),
    seconds: 0.9 * (i + 1) * factor,
    path: i === 2 ? ('staged' as const) : ('streamed' as const),
    fkChecks: 'set-based' as const,
    verify: 1.1,
    verified: true,
  }));
  const sample = {
    runId,
    scale: 1000,
    rows: 10_000,
    bytes: 50e6,
    seconds: migrateSeconds,
    tables: tables.map((t) => ({ rows: t.rowsIn, seconds: { load: t.seconds, verify: t.verify } })),
  };
  return {
    pipeline: 'kratos',
    runId,
    at,
    source: { database: 'kratos_staging', seeded: { scale: 1000 } },
    target: { database: 'kratos_scratch' },
    cutover: { command: 'migrate', jobs: 4, keepFiles: true, verify: true },
    phases: [
      { phase: 'reset', seconds: 1 },
      { phase: 'source-schema', seconds: 1 },
      { phase: 'seed', seconds: 30 },
      { phase: 'schema-apply', seconds: 0.5, command: 'schema apply' },
      { phase: 'load', seconds: migrateSeconds.load, command: 'migrate' },
      { phase: 'verify', seconds: migrateSeconds.verify, command: 'migrate' },
    ],
    tables,
    bytes: 50e6,
    rows: 10_000,
    samples: [sample],
    writeDowntimeSeconds: migrateSeconds.load + migrateSeconds.verify,
    forecast: forecastDowntime([sample], { bytes: 10e9 }),
    verified: true,
  };
}

function chromiumDumpDom(file: string, profile: string): Promise<string> {
  const args = [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    `--user-data-dir=${profile}`,
    '--dump-dom',
    pathToFileURL(file).href,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(findChromium(), args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.on('error', (e) => reject(new Error(`chromium could not be started: ${e.message}`)));
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`chromium exited ${code}: ${err.slice(-2000)}`));
    });
  });
}

let dir: string;
beforeAll(async () => {
  dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'converge-report-'));
});
afterAll(async () => {
  await fsp.rm(dir, { recursive: true, force: true });
});

describe('report.html in headless Chromium', () => {
  it("renders every chart (migrate's time per table, throughput per phase, history) from its embedded data, offline", async () => {
    const a = rehearsal('11111111-1111-4111-8111-111111111111', '2026-01-01T10:00:00.000Z', 1.2);
    const b = rehearsal('22222222-2222-4222-8222-222222222222', '2026-01-02T10:00:00.000Z', 1);
    const files = await writeRehearsalReport(path.join(dir, 'report'), {
      createdAt: b.at,
      pipelines: [{ result: b, previous: a, comparison: compareRehearsals(a, b), history: [a, b] }],
    });
    const before = await fsp.readFile(files.html, 'utf8');
    expect(before).toContain('data-rendered="false"');
    expect(before).toMatch(/data-chart="0"><\/div>/); // empty until the page's script draws it

    const dom = await chromiumDumpDom(files.html, path.join(dir, 'profile'));
    expect(dom).toMatch(/<body[^>]*data-rendered="true"/);
    expect(dom).toMatch(/<body[^>]*data-charts="3"/);
    // Only what the script put into the chart slots (the script's own source also spells "<svg").
    const svgs = dom.match(/<div class="chart-slot" data-chart="\d+"><svg[\s\S]*?<\/svg>/g) ?? [];
    expect(svgs).toHaveLength(3);
    const [throughput, perTable, history] = svgs as [string, string, string];
    // The timed phases are converge migrate's: load and verify, one bar each.
    expect(throughput).toContain('kratos: migrate rows per second per phase');
    expect(throughput.match(/<rect class="bar"/g)).toHaveLength(2);
    expect(throughput).toMatch(/<title>load rows\/s: [\d.]+ rows\/s<\/title>/);
    expect(throughput).toMatch(/<title>verify rows\/s: [\d.]+ rows\/s<\/title>/);
    expect(perTable).toContain('kratos: migrate seconds per table');
    expect(perTable.match(/<rect class="bar"/g)).toHaveLength(4 * 2);
    expect(perTable).toContain('public.courier_messages &lt;script&gt;');
    expect(perTable).toMatch(/>load<\/text>[\s\S]*>verify<\/text>/);
    expect(history).toContain('converge migrate seconds per rehearsal');
    expect(history).toContain('<polyline');
    expect(history.match(/<circle class="point"/g)).toHaveLength(2);
    // The phases table names the cut-over command each phase times; no staged stage is left.
    // The phases table (the prediction's table above it also has a row per phase).
    const phases = dom.slice(dom.indexOf('<th>cut-over command</th>'));
    expect(phases.length).toBeLessThan(dom.length);
    const row = (phase: string) => new RegExp(`<tr><td>${phase}</td><td>([^<]*)</td>`).exec(phases)?.[1];
    expect(row('schema-apply')).toBe('converge schema apply');
    expect(row('load')).toBe('converge migrate');
    expect(row('verify')).toBe('converge migrate');
    expect(row('seed')).toBe('scratch set-up');
    expect(dom).toContain('converge migrate --pipeline kratos --jobs 4 --keep-files');
    expect(dom).not.toMatch(/<td>(export|transform|import)( s)?<\/td>/);
  });

  it("a followed run's report shows the online cut-over's write downtime, in the text and beside the stages in the chart", async () => {
    const ev = (id: number, kind: string, at: string, stage: string | null, table: string | null, payload = {}) =>
      ({ id, kind, at, stage, table, payload }) as RunEventRow;
    const summary = summarizeRun(
      {
        id: '33333333-3333-4333-8333-333333333333',
        pipeline: 'kratos',
        status: 'completed',
        startedAt: '2026-01-03T10:00:00.000Z',
        endedAt: '2026-01-03T10:00:30.000Z',
        source: {},
        target: {},
        settings: {},
      },
      [
        ev(1, 'stage.started', '2026-01-03T10:00:01.000Z', 'import', null),
        ev(2, 'table.loaded', '2026-01-03T10:00:20.000Z', 'import', 'public.identities', { rows: 1000, seconds: 19 }),
        ev(3, 'cutover.completed', '2026-01-03T11:00:09.000Z', 'follow', null, {
          position: { file: 'binlog.000007', position: 91823 },
          frozenAt: '2026-01-03T11:00:00.000Z',
          verifiedAt: '2026-01-03T11:00:08.750Z',
          downtimeSeconds: 8.75,
          readOnly: true,
          tables: 12,
        }),
      ],
    );
    const files = await writeRunReport(path.join(dir, 'run-report'), summary);
    const md = await fsp.readFile(files.markdown, 'utf8');
    expect(md).toContain('## Write downtime: 8.8 s');
    const dom = await chromiumDumpDom(files.html, path.join(dir, 'profile-run'));
    expect(dom).toMatch(/<body[^>]*data-rendered="true"/);
    expect(dom).toMatch(/<body[^>]*data-charts="1"/);
    expect(dom).toContain('<h2>Write downtime: 8.8 s</h2>');
    expect(dom).toContain('online cut-over at binlog.000007:91823: write downtime 8.8 s');
    const [chart] = dom.match(/<div class="chart-slot" data-chart="\d+"><svg[\s\S]*?<\/svg>/g) ?? [];
    expect(chart).toContain('seconds per stage');
    expect(chart?.match(/<rect class="bar"/g)).toHaveLength(2);
    expect(chart).toMatch(/<title>write downtime \(cutover\) seconds: 8\.75? s<\/title>/);
  });
});

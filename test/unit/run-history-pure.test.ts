import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { parseCount, parseSize, formatDuration } from '../../src/rehearse/size-units';
import { refuseReset } from '../../src/rehearse/reset-guard';
import type { TargetBeforeReset } from '../../src/target/postgres/scratch-databases';
import { sampleScales } from '../../src/rehearse/run-rehearsal';
import { compareRehearsals } from '../../src/rehearse/compare-rehearsals';
import type { RehearsalResult } from '../../src/rehearse/rehearsal-result';
import { describeCutover, summarizeRun } from '../../src/run/run-summary';
import type { RunEventRow, RunRow } from '../../src/target/postgres/run-history';
import { parseEventLines } from '../../src/run/replay-events';
import { judge } from '../../src/checklist/run-checklist';
import { checklistPath, loadChecklist } from '../../src/checklist/load-checklist';
import { barChartSvg, lineChartSvg } from '../../src/report/charts';
import { buildReport, CHART_TABLES } from '../../src/report/report-blocks';

describe('production size and downtime prediction', () => {
  it('reads decimal and binary units', () => {
    expect(parseSize('10GB')).toBe(10e9);
    expect(parseSize('2 GiB')).toBe(2 * 1024 ** 3);
    expect(parseSize('512')).toBe(512);
    expect(() => parseSize('ten gigs')).toThrow(/not a size/);
  });

  it('reads row counts with k, M and G, and durations for people', () => {
    expect(parseCount('5M')).toBe(5e6);
    expect(parseCount('120k')).toBe(120_000);
    expect(parseCount('250000')).toBe(250_000);
    expect(() => parseCount('lots')).toThrow(/not a number of rows/);
    expect(() => parseCount('0')).toThrow(/at least 1/);
    expect(formatDuration(10_000)).toBe('2 h 46 min');
    expect(formatDuration(125)).toBe('2 min 05 s');
  });

  it('seeded rehearsals warm up at scale 1, then measure a quarter of the scale and the scale; a fraction of 1 measures the scale alone', () => {
    expect(sampleScales(400, 0.25)).toEqual({ warmUp: 1, scales: [100, 400] });
    expect(sampleScales(4, 0.25)).toEqual({ scales: [1, 4] });
    expect(sampleScales(1, 0.25)).toEqual({ scales: [1] });
    expect(sampleScales(400, 1)).toEqual({ scales: [400] });
  });
});

describe('refuseReset: a rehearsal resets only a scratch target it was told it may reset', () => {
  const empty: TargetBeforeReset = { exists: true, tables: 0, runs: [] };
  const base = { database: 'scratch', target: 'pg:5432/scratch' };
  const run = (over: Partial<TargetBeforeReset['runs'][number]>) => ({
    id: 'r1',
    pipeline: 'p',
    status: 'completed',
    endedAt: '2026-01-01T00:00:00.000Z',
    rehearsal: false,
    cutover: false,
    loaded: true,
    ...over,
  });
  it('needs the database named again, and never the cut-over target', () => {
    expect(refuseReset(empty, base)?.message).toMatch(/pass --reset-target scratch/);
    expect(refuseReset(empty, { ...base, confirmed: 'other' })?.message).toMatch(/does not name/);
    expect(refuseReset(empty, { ...base, confirmed: 'scratch' })).toBeUndefined();
    expect(refuseReset(empty, { ...base, confirmed: 'scratch', cutoverTarget: 'pg:5432/scratch' })?.message).toMatch(
      /is the cut-over's target/,
    );
  });
  it("refuses a target holding a completed cut-over or a load no rehearsal made; a rehearsal's own runs are fine", () => {
    const ok = { ...base, confirmed: 'scratch' };
    const cut = refuseReset({ ...empty, runs: [run({ cutover: true })] }, ok)!;
    expect(cut.code).toBe('TARGET_NOT_EMPTY');
    expect(cut.message).toMatch(/completed cut-over \(run r1/);
    expect(refuseReset({ ...empty, runs: [run({})] }, ok)?.message).toMatch(/completed load of run r1/);
    expect(refuseReset({ ...empty, runs: [run({ rehearsal: true })] }, ok)).toBeUndefined();
    expect(refuseReset({ ...empty, runs: [run({ status: 'failed' })] }, ok)).toBeUndefined();
    expect(refuseReset({ ...empty, runs: [run({ status: 'rolled_back' })] }, ok)).toBeUndefined();
  });
});

describe('compareRehearsals', () => {
  const r = (runId: string, s: number, rows = 100): RehearsalResult => ({
    pipeline: 'p',
    runId,
    at: runId,
    source: { database: 'src' },
    target: { database: 'tgt' },
    bytes: 1000,
    rows,
    samples: [],
    writeDowntimeSeconds: 3 * s,
    verified: true,
    cutover: { command: 'migrate', jobs: 2, keepFiles: false, verify: true },
    phases: [
      { phase: 'load', seconds: s, command: 'migrate' },
      { phase: 'verify', seconds: 2 * s, command: 'migrate' },
    ],
    tables: [
      {
        table: 'public.a',
        sourceTable: 'a',
        rowsIn: rows,
        rows,
        seconds: s,
        path: 'streamed',
        verify: 1,
        verified: true,
      },
    ],
  });
  it('gives per phase and per table deltas and flags a size change', () => {
    const c = compareRehearsals(r('one', 2), r('two', 3));
    expect(c.phases.find((d) => d.name === 'verify')).toMatchObject({ before: 4, after: 6, change: 2, percent: 50 });
    expect(c.tables[0]).toMatchObject({ name: 'public.a', before: 3, after: 4 });
    expect(c.sameSize).toBe(true);
    expect(c.writeDowntime).toMatchObject({ before: 6, after: 9 });
    expect(compareRehearsals(r('one', 2), r('two', 2, 200)).sameSize).toBe(false);
  });
});

describe('the report of a rehearsal with many tables', () => {
  it('lists every table, and the chart folds the rest into one bar that says which', () => {
    const tables = Array.from({ length: 35 }, (_, i) => ({
      table: `public.t${String(i).padStart(2, '0')}`,
      sourceTable: `t${i}`,
      rowsIn: 10,
      rows: 10,
      seconds: 35 - i,
      verify: 0,
      verified: true,
    }));
    const result: RehearsalResult = {
      pipeline: 'p',
      runId: 'r',
      at: '2026-01-01T00:00:00.000Z',
      source: { database: 'src' },
      target: { database: 'tgt' },
      cutover: { command: 'migrate', jobs: 2, keepFiles: false, verify: true },
      phases: [],
      tables,
      bytes: 1,
      rows: 350,
      samples: [],
      writeDowntimeSeconds: 1,
      verified: true,
    };
    const { blocks, charts } = buildReport({ createdAt: result.at, pipelines: [{ result, history: [result] }] });
    const perTable = charts.find((c) => c.title === 'p: migrate seconds per table')!;
    expect(perTable.type === 'bars' && perTable.rows.map((r) => r.label)).toEqual([
      ...tables.slice(0, CHART_TABLES - 1).map((t) => t.table),
      '6 other tables',
    ]);
    const note = blocks.find((b) => b.kind === 'note' && b.text.includes('folds the other 6'));
    expect(note && 'text' in note && note.text).toContain(
      'public.t29, public.t30, public.t31, public.t32, public.t33, public.t34',
    );
    const listed = blocks.find((b) => b.kind === 'table' && b.headers[0] === 'table')!;
    expect(listed.kind === 'table' && listed.rows.map((r) => r[0])).toEqual(tables.map((t) => t.table));
    expect(blocks.some((b) => b.kind === 'paragraph' && b.text.includes('No production size given'))).toBe(true);
  });
});

describe('summarizeRun', () => {
  const run: RunRow = {
    id: 'r',
    pipeline: 'p',
    status: 'failed',
    startedAt: '2026-01-01T00:00:00.000Z',
    endedAt: '2026-01-01T00:00:10.000Z',
    source: {},
    target: {},
    settings: {},
  };
  const ev = (
    id: number,
    kind: string,
    at: number,
    stage: string | null,
    table: string | null,
    payload: Record<string, unknown> = {},
  ): RunEventRow => ({ id, kind, stage, table, at: new Date(Date.UTC(2026, 0, 1, 0, 0, at)).toISOString(), payload });
  it('derives stage and table lines and collects errors', () => {
    const s = summarizeRun(run, [
      ev(1, 'run.created', 0, null, null),
      ev(2, 'stage.started', 1, 'export', null),
      ev(3, 'table.exported', 3, 'export', 'a', { rows: 5, bytes: 50, seconds: 2 }),
      ev(4, 'stage.started', 4, 'import', null),
      ev(5, 'table.failed', 6, 'import', 'public.a', { code: 'LOAD_REJECTED', message: 'bad row' }),
      ev(6, 'run.failed', 7, null, null, { code: 'LOAD_REJECTED', message: 'bad row' }),
    ]);
    expect(s.stages).toEqual([
      expect.objectContaining({ stage: 'export', seconds: 2, rows: 5, bytes: 50, outcome: 'ok' }),
      expect.objectContaining({ stage: 'import', seconds: 2, outcome: 'failed' }),
    ]);
    expect(s.tables[1]).toMatchObject({
      stage: 'import',
      table: 'public.a',
      outcome: 'failed',
      error: 'LOAD_REJECTED: bad row',
    });
    expect(s.errors.map((e) => e.message)).toEqual(['bad row', 'bad row']);
    expect(s.seconds).toBe(10);
    expect(s.cutover).toBeUndefined();
  });

  it('a followed run carries its last online switch and its write downtime', () => {
    const cut = (at: number, downtimeSeconds: number) =>
      ev(at, 'cutover.completed', at, 'follow', null, {
        position: { file: 'binlog.000002', position: 4242 + at },
        frozenAt: '2026-01-01T00:00:05.000Z',
        verifiedAt: '2026-01-01T00:00:09.500Z',
        downtimeSeconds,
        readOnly: true,
        tables: 3,
      });
    const s = summarizeRun({ ...run, status: 'completed' }, [
      ev(1, 'run.created', 0, null, null),
      cut(2, 9.1),
      cut(3, 4.5),
    ]);
    expect(s.cutover).toEqual({
      position: { file: 'binlog.000002', position: 4245 },
      frozenAt: '2026-01-01T00:00:05.000Z',
      verifiedAt: '2026-01-01T00:00:09.500Z',
      downtimeSeconds: 4.5,
      readOnly: true,
      tables: 3,
    });
    expect(describeCutover(s.cutover!)).toBe(
      'online cut-over at binlog.000002:4245: write downtime 4.5 s (frozen 2026-01-01T00:00:05.000Z, verified 2026-01-01T00:00:09.500Z; source read_only)',
    );
  });
});

describe('events.jsonl parsing', () => {
  it('skips only a torn last line and names the line of a corrupt one', () => {
    const good = JSON.stringify({ runId: 'r', kind: 'run.created', at: '2026-01-01T00:00:00Z' });
    expect(parseEventLines(`${good}\n{"runId":"r","ki`, 'f')).toHaveLength(1);
    expect(() => parseEventLines(`{oops\n${good}\n`, 'f')).toThrow(
      expect.objectContaining({ context: expect.objectContaining({ line: 1 }) }),
    );
    const [a, b] = parseEventLines(`${good}\n${good.replace('00:00:00', '00:00:01')}\n`, 'f');
    expect(a.key).not.toBe(b.key);
  });
});

describe('checklist', () => {
  it('compares result sets regardless of row order, and zero-checks', () => {
    const item = { id: 'x', section: 'authentication' as const, title: 't', source: 's', target: 't' };
    expect(
      judge(
        item,
        [
          ['b', '1'],
          ['a', '2'],
        ],
        [
          ['a', '2'],
          ['b', '1'],
        ],
      ).status,
    ).toBe('pass');
    expect(judge(item, [['a', '2']], [['a', '3']]).status).toBe('fail');
    const zero = { id: 'y', section: 'spaces' as const, title: 't', target: 't' };
    expect(judge(zero, undefined, [['0']]).status).toBe('pass');
    expect(judge(zero, undefined, [['4']]).detail).toContain('expected 0');
  });

  it.each(['kratos', 'alkemio'])(
    'runbooks/verification-checklist.md lists every %s item with its Postgres query',
    async (p) => {
      const list = await loadChecklist(checklistPath(p));
      const md = await fsp.readFile(
        path.join(path.dirname(path.dirname(list.file)), 'verification-checklist.md'),
        'utf8',
      );
      for (const i of list.items) {
        expect(md).toContain(`**${i.id}**`);
        if (i.target) expect(md).toContain(i.target);
      }
    },
  );
});

describe('chart SVG', () => {
  it('draws one bar per value, escapes labels, and a point per rehearsal', () => {
    const bars = barChartSvg({
      type: 'bars',
      title: 't<',
      unit: 's',
      series: ['a', 'b'],
      rows: [
        { label: '<x>', values: [1, 2] },
        { label: 'y', values: [0, 3] },
      ],
    });
    expect(bars.match(/<rect class="bar"/g)).toHaveLength(4);
    expect(bars).toContain('&lt;x&gt;');
    expect(bars).not.toContain('<x>');
    const line = lineChartSvg({
      type: 'line',
      title: 'h',
      unit: 's',
      labels: ['1', '2', '3'],
      lines: [{ name: 'n', values: [1, null, 3] }],
    });
    expect(line.match(/<circle class="point"/g)).toHaveLength(2);
  });
});

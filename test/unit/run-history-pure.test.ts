import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { parseSize, predictDowntime, stageThroughput, formatDuration } from '../../src/rehearse/predict-downtime';
import { compareRehearsals } from '../../src/rehearse/compare-rehearsals';
import type { RehearsalResult } from '../../src/rehearse/rehearsal-result';
import { describeCutover, summarizeRun } from '../../src/run/run-summary';
import type { RunEventRow, RunRow } from '../../src/target/postgres/run-history';
import { parseEventLines } from '../../src/run/replay-events';
import { judge } from '../../src/checklist/run-checklist';
import { checklistPath, loadChecklist } from '../../src/checklist/load-checklist';
import { barChartSvg, lineChartSvg } from '../../src/report/charts';

describe('production size and downtime prediction', () => {
  it('reads decimal and binary units', () => {
    expect(parseSize('10GB')).toBe(10e9);
    expect(parseSize('2 GiB')).toBe(2 * 1024 ** 3);
    expect(parseSize('512')).toBe(512);
    expect(() => parseSize('ten gigs')).toThrow(/not a size/);
  });

  it("extrapolates each of migrate's phases linearly from its measured bytes per second", () => {
    const t = stageThroughput({ load: 7, verify: 3 }, 1e6, 1000);
    expect(t.map((s) => s.stage)).toEqual(['load', 'verify']);
    const p = predictDowntime(t, 1e6, 1e9);
    expect(p.stages.map((s) => Math.round(s.seconds))).toEqual([7000, 3000]);
    expect(Math.round(p.totalSeconds)).toBe(10_000);
    expect(formatDuration(p.totalSeconds)).toBe('2 h 46 min');
    expect(() => predictDowntime(t, 0, 1e9)).toThrow(/no data bytes/);
  });
});

describe('compareRehearsals', () => {
  const r = (runId: string, s: number, rows = 100): RehearsalResult => ({
    pipeline: 'p',
    runId,
    at: runId,
    scale: 1,
    sourceRows: rows,
    sourceReused: false,
    bytes: 1000,
    rows,
    throughput: [],
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
    expect(compareRehearsals(r('one', 2), r('two', 2, 200)).sameSize).toBe(false);
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

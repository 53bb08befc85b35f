import { BenchResult, judgeTargets, markdownSection, tableRows, ToolResult, updateDocument } from '../../bench/report';

const machine = {
  cpus: 2,
  cpuModel: 'Test CPU',
  memoryGiB: 24,
  os: 'Debian',
  node: 'v20',
  mysql: 'MariaDB 10.11',
  postgres: 'PostgreSQL 15',
  pgloader: 'pgloader 3.6.9',
  loadAverage: [1, 1, 1],
};

function result(tools: ToolResult[]): BenchResult {
  const partial = {
    format: 'converge-bench/1' as const,
    scale: 0.5,
    startedAt: '2025-01-01T10:00:00.000Z',
    machine,
    dataset: { rows: { accounts: 10, events: 80, attachments: 10 }, totalRows: 100, csvBytes: 50e6 },
    tools,
  };
  return { ...partial, targets: judgeTargets(partial) };
}

const ok = (id: string, seconds: number, rss = 100 * 2 ** 20): ToolResult => ({
  id,
  label: id,
  status: 'ok',
  seconds,
  peakRssBytes: rss,
  problems: [],
});

describe('bench report', () => {
  it('computes throughput and ratios against the limit and pgloader', () => {
    const rows = tableRows(result([ok('converge', 10), ok('limit', 8), ok('pgloader', 40)]));
    expect(rows[0]).toMatchObject({
      seconds: '10.0',
      rowsPerSecond: '10',
      mbPerSecond: '5.0',
      peakRssMb: '100',
      vsLimit: '0.80',
      vsPgloader: '4.00',
    });
    expect(rows[1]).toMatchObject({ vsLimit: '1.00', vsPgloader: '5.00' });
    expect(rows[2]).toMatchObject({ vsLimit: '0.20', vsPgloader: '1.00' });
  });

  it('gives a failed tool no time and no ratio, and shows why', () => {
    const failed: ToolResult = {
      id: 'pgloader',
      label: 'pgloader',
      status: 'failed',
      peakRssBytes: 2e9,
      problems: ['events: 0 rows, the source has 80'],
    };
    const r = result([ok('converge-fused', 10), ok('limit', 8), failed]);
    const rows = tableRows(r);
    expect(rows[2]).toMatchObject({ status: 'FAILED', seconds: '–', rowsPerSecond: '–', vsLimit: '–' });
    expect(rows[0].vsPgloader).toBe('–');
    expect(r.targets[1]).toMatchObject({ what: expect.stringContaining('pgloader'), met: null });
    expect(markdownSection(r)).toContain('pgloader: failed: events: 0 rows, the source has 80');
  });

  it('judges the targets: staged 0.6 of the limit, migrate 1.0 of the limit and 2.5 times pgloader, RSS 256 MB', () => {
    const good = result([
      ok('converge', 13, 200 * 2 ** 20),
      ok('converge-fused', 8, 256 * 2 ** 20),
      ok('limit', 8),
      ok('pgloader', 20),
    ]).targets;
    expect(good.map((t) => [t.what.split(' / ')[0].split(' peak')[0], t.target, t.actual, t.met])).toEqual([
      ['converge staged end to end', '≥ 0.60', '0.62', true],
      ['converge staged end to end', '≤ 256 MB', '200 MB', true],
      ['converge migrate', '≥ 1.00', '1.00', true],
      ['converge migrate', '≥ 2.50', '2.50', true],
      ['converge migrate', '≤ 256 MB', '256 MB', true],
    ]);
    const bad = result([
      ok('converge', 14, 300 * 2 ** 20),
      ok('converge-fused', 8.1, 257 * 2 ** 20),
      ok('limit', 8),
      ok('pgloader', 20),
    ]).targets;
    expect(bad.map((t) => t.met)).toEqual([false, false, false, false, false]);
  });

  it('takes the paired ratio over the ratio of median times, and lists every run with its load', () => {
    const run = (round: number, seconds: number, load: number) => ({ round, seconds, loadAverage: load, problems: [] });
    const fused: ToolResult = {
      ...ok('converge-fused', 10),
      vsLimit: 1.05,
      runs: [run(1, 10, 1.2), run(2, 12, 3.4)],
    };
    const r = { ...result([fused, ok('limit', 9), ok('pgloader', 30)]), rounds: 2 };
    const partial = { ...r, targets: [] };
    expect(tableRows(partial)[0].vsLimit).toBe('1.05');
    expect(judgeTargets(partial)[0]).toMatchObject({ actual: '1.05', met: true });
    const md = markdownSection({ ...partial, targets: judgeTargets(partial) });
    expect(md).toContain('Paired runs: 2 rounds');
    expect(md).toContain('- converge-fused: 10.0 s (load 1.2), 12.0 s (load 3.4)');
  });

  it('replaces the section of the same scale and keeps the others', () => {
    const first = updateDocument('# Benchmarks\n\nintro\n\n<!-- bench-results end -->\n', result([ok('converge', 10)]));
    expect(first.indexOf('scale=0.5')).toBeLessThan(first.indexOf('<!-- bench-results end -->'));
    const other = updateDocument(first, { ...result([ok('converge', 10)]), scale: 1 });
    const again = updateDocument(other, result([ok('converge', 20)]));
    expect(again.match(/<!-- bench-results scale=0\.5 -->/g)).toHaveLength(1);
    const half = again.slice(
      again.indexOf('<!-- bench-results scale=0.5 -->'),
      again.indexOf('<!-- /bench-results scale=0.5 -->'),
    );
    expect(half).toContain('| 20.0 |');
    expect(half).not.toContain('| 10.0 |');
    expect(again).toContain('<!-- bench-results scale=1 -->');
    expect(again.startsWith('# Benchmarks\n\nintro')).toBe(true);
  });
});

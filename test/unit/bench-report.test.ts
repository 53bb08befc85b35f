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
    const r = result([ok('converge', 10), ok('limit', 8), failed]);
    const rows = tableRows(r);
    expect(rows[2]).toMatchObject({ status: 'FAILED', seconds: '–', rowsPerSecond: '–', vsLimit: '–' });
    expect(rows[0].vsPgloader).toBe('–');
    expect(r.targets[1].met).toBeNull();
    expect(markdownSection(r)).toContain('pgloader: failed: events: 0 rows, the source has 80');
  });

  it('judges the targets: 0.8 of the limit, 2.5 times pgloader, under 256 MB', () => {
    const good = result([ok('converge', 10, 200 * 2 ** 20), ok('limit', 8), ok('pgloader', 25)]).targets;
    expect(good.map((t) => t.met)).toEqual([true, true, true]);
    const bad = result([ok('converge', 11, 300 * 2 ** 20), ok('limit', 8), ok('pgloader', 25)]).targets;
    expect(bad.map((t) => t.met)).toEqual([false, false, false]);
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

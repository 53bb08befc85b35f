import {
  fitLine,
  forecastDowntime,
  MeasuredSample,
  repeatNoise,
  rowsForBytes,
  splitByTables,
} from '../../src/rehearse/downtime-model';

/**
 * A synthetic cut-over whose true costs are known: every stage takes `fixed` seconds plus, per
 * table, `perTable` seconds and `perRow` seconds a row. The model must recover them.
 */
const COST = { load: { fixed: 2, perTable: 0.1, perRow: 1e-4 }, verify: { fixed: 1, perTable: 0.05, perRow: 5e-5 } };
function sample(tableRows: number[], cost = COST, jobs = 1): MeasuredSample {
  const rows = tableRows.reduce((a, b) => a + b, 0);
  const tableSeconds = (stage: 'load' | 'verify', r: number) => cost[stage].perTable + cost[stage].perRow * r;
  const wall = (stage: 'load' | 'verify') =>
    cost[stage].fixed + tableRows.reduce((n, r) => n + tableSeconds(stage, r), 0) / jobs;
  return {
    rows,
    bytes: rows * 100,
    seconds: { load: wall('load'), verify: wall('verify') },
    tables: tableRows.map((r) => ({
      rows: r,
      seconds: { load: tableSeconds('load', r), verify: tableSeconds('verify', r) },
    })),
  };
}
const scaled = (k: number) => [10, 200, 1000, 5000, 20].map((r) => r * k);

describe('fitLine', () => {
  it('recovers an exact line, and refuses points that do not spread', () => {
    const l = fitLine([
      { x: 0, y: 3 },
      { x: 10, y: 5 },
      { x: 20, y: 7 },
    ])!;
    expect(l.fixedSeconds).toBeCloseTo(3, 9);
    expect(l.secondsPerRow).toBeCloseTo(0.2, 9);
    expect(l.residual).toBeCloseTo(0, 9);
    expect(fitLine([{ x: 5, y: 1 }])).toBeUndefined();
    expect(
      fitLine([
        { x: 5, y: 1 },
        { x: 5, y: 2 },
      ]),
    ).toBeUndefined();
  });

  it('reads a larger sample that was faster as all fixed cost, never a negative rate', () => {
    const l = fitLine([
      { x: 100, y: 3 },
      { x: 1000, y: 2 },
    ])!;
    expect(l.secondsPerRow).toBe(0);
    expect(l.fixedSeconds).toBeCloseTo(2.5, 9);
  });
});

describe('splitByTables', () => {
  it('averages the fixed part over samples, so its noise does not pass for a per-row rate', () => {
    const a = sample(scaled(1));
    const b = sample(scaled(4));
    // The non-table part of the larger run was 0.7 s faster (a busy server while the smaller ran).
    const noisyA = { ...a, seconds: { ...a.seconds, load: a.seconds.load + 0.7 } };
    const e = splitByTables([noisyA, b], 'load')!;
    expect(e.secondsPerRow).toBeCloseTo(1e-4, 9);
    expect(e.fixedSeconds).toBeCloseTo(2 + 5 * 0.1 + 0.35, 9);
  });

  it('splits one serial run into its fixed and per-row parts', () => {
    const s = sample(scaled(1));
    const e = splitByTables([s], 'load')!;
    expect(e.secondsPerRow).toBeCloseTo(1e-4, 9);
    // fixed = stage fixed + every table's own fixed cost
    expect(e.fixedSeconds).toBeCloseTo(2 + 5 * 0.1, 9);
  });

  it('divides the rate by the overlap of tables moved at once (--jobs), never beyond the wall time', () => {
    const s = sample(scaled(20), undefined, 2);
    const e = splitByTables([s], 'load')!;
    const tableSum = s.tables.reduce((n, t) => n + t.seconds.load, 0);
    expect(tableSum).toBeGreaterThan(s.seconds.load);
    expect(e.secondsPerRow).toBeCloseTo(1e-4 / (tableSum / s.seconds.load), 9);
    expect(e.secondsPerRow).toBeLessThan(1e-4);
    expect(e.fixedSeconds + e.secondsPerRow * s.rows).toBeCloseTo(s.seconds.load, 9);
    const tiny = splitByTables(
      [sample([1, 1000], { ...COST, load: { fixed: 0.001, perTable: 0, perRow: 1 } }, 1)],
      'load',
    )!;
    expect(tiny.fixedSeconds).toBeGreaterThanOrEqual(0);
  });
});

describe('forecastDowntime', () => {
  const truth = (k: number) => {
    const s = sample(scaled(k));
    return s.seconds.load + s.seconds.verify;
  };

  it('predicts 10× the sample from two sizes within a few percent, where linear extrapolation is far off', () => {
    const f = forecastDowntime([sample(scaled(0.25)), sample(scaled(1))], { rows: sample(scaled(10)).rows });
    expect(f.stages.map((s) => s.method)).toEqual(['tables', 'tables']);
    expect(f.stages[0].estimates.map((e) => e.method)).toEqual(['tables', 'sizes']);
    for (const e of f.stages[0].estimates) expect(e.seconds / (truth(10) - f.stages[1].seconds)).toBeCloseTo(1, 6);
    expect(f.seconds / truth(10)).toBeGreaterThan(0.97);
    expect(f.seconds / truth(10)).toBeLessThan(1.03);
    expect(f.low).toBeLessThanOrEqual(truth(10));
    expect(f.high).toBeGreaterThanOrEqual(truth(10));
    const linear = truth(1) * 10;
    expect(Math.abs(linear - truth(10)) / truth(10)).toBeGreaterThan(0.5);
    expect(f.scaleFactor).toBeCloseTo(10, 9);
  });

  it('from one size, splits by the tables and says it measured one size only', () => {
    const f = forecastDowntime([sample(scaled(1))], { rows: sample(scaled(10)).rows });
    expect(f.stages.map((s) => s.method)).toEqual(['tables', 'tables']);
    expect(f.seconds / truth(10)).toBeCloseTo(1, 6);
    expect(f.warnings.join('\n')).toMatch(/one size only/);
  });

  it('warns that a sample mostly made of fixed costs is too small to predict from', () => {
    const f = forecastDowntime([sample([1, 2, 3])], { rows: 600 });
    expect(f.variableShare).toBeLessThan(0.3);
    expect(f.tooSmall).toBe(true);
    expect(f.warnings.join('\n')).toMatch(/too small to predict from/);
  });

  it('warns when the production size is far beyond the largest sample', () => {
    const f = forecastDowntime([sample(scaled(0.25)), sample(scaled(1))], { rows: sample(scaled(1)).rows * 100 });
    expect(f.tooSmall).toBe(true);
    expect(f.warnings.join('\n')).toMatch(/extrapolates 100× beyond/);
  });

  it('takes a size in bytes at the largest sample’s bytes per row, and uses earlier rehearsals as samples', () => {
    const big = sample(scaled(4));
    expect(rowsForBytes(big.bytes * 3, big)).toBeCloseTo(big.rows * 3, 6);
    const f = forecastDowntime([sample(scaled(1))], { bytes: big.bytes * 2.5 }, [big]);
    expect(f.rows).toBeCloseTo(big.rows * 2.5, 6);
    // The bytes per row are this rehearsal's, not an earlier one's with other rows.
    const wider = { ...big, bytes: big.bytes * 4 };
    expect(forecastDowntime([sample(scaled(1))], { bytes: big.bytes * 2.5 }, [wider]).rows).toBeCloseTo(
      big.rows * 2.5,
      6,
    );
    expect(f.stages[0].estimates.map((e) => e.method)).toEqual(['tables', 'sizes']);
    expect(f.samples.map((s) => s.from)).toEqual(['this rehearsal', 'earlier rehearsal']);
    expect(f.seconds / truth(10)).toBeCloseTo(1, 6);
  });

  it('widens the range by the spread of repeated runs at one size', () => {
    const a = sample(scaled(1));
    const b = { ...a, seconds: { load: a.seconds.load * 1.4, verify: a.seconds.verify * 1.4 } };
    expect(repeatNoise([a, b])).toBeCloseTo(0.4 / 2.4, 9);
    expect(repeatNoise([a, sample(scaled(2))])).toBeUndefined();
    const narrow = forecastDowntime([a], { rows: a.rows * 5 });
    const wide = forecastDowntime([a], { rows: a.rows * 5 }, [b]);
    expect(wide.high - wide.low).toBeGreaterThan(narrow.high - narrow.low);
  });

  it('adds back what a first run paid beyond the line, measured by a warm-up run', () => {
    const warm = [sample(scaled(0.25)), sample(scaled(1))];
    const tiny = sample([1, 1, 1, 1, 1]);
    const cold = { ...tiny, seconds: { load: tiny.seconds.load + 1.5, verify: tiny.seconds.verify + 0.5 } };
    const size = { rows: sample(scaled(10)).rows };
    const f = forecastDowntime(warm, size, [], cold);
    expect(f.stages.map((s) => s.coldStartSeconds)).toEqual([expect.closeTo(1.5, 6), expect.closeTo(0.5, 6)]);
    expect(f.seconds - forecastDowntime(warm, size).seconds).toBeCloseTo(2, 6);
    expect(forecastDowntime(warm, size, [], tiny).stages.every((s) => s.coldStartSeconds < 1e-6)).toBe(true);
  });

  it("warns when the sample fits in the servers' caches and the production size does not", () => {
    const s = sample(scaled(1)); // 100 bytes a row
    const caches = { source: 128e6, target: 64e6 };
    const within = forecastDowntime([s], { bytes: 50e6 }, [], undefined, caches);
    expect(within.warnings.join('\n')).not.toMatch(/caches/);
    const beyond = forecastDowntime([s], { rows: 1e6 }, [], undefined, caches);
    expect(beyond.warnings.join('\n')).toMatch(
      /fits in the servers' caches \(MySQL buffer pool 128\.0 MB, Postgres shared_buffers 64\.0 MB\) and the production size \(100\.0 MB\) does not/,
    );
  });

  it('refuses a size of nothing', () => {
    expect(() => forecastDowntime([sample(scaled(1))], {})).toThrow(RangeError);
  });
});

import { formatDuration, formatProgressLine, progressFigures } from '../../src/progress/progress-line';

const base = { table: 'identities', rows: 250, bytes: 5_000_000, estimatedRows: 1000, startedAt: 0 };

test('rate and ETA from the rows so far and the server estimate', () => {
  const f = progressFigures(base, 10_000);
  expect(f.mbPerSecond).toBeCloseTo(0.5);
  expect(f.fraction).toBeCloseTo(0.25);
  expect(f.etaSeconds).toBeCloseTo(30);
});

test('an estimate below the rows read gives no ETA and never 100% before the end', () => {
  const f = progressFigures({ ...base, rows: 2000 }, 10_000);
  expect(f.etaSeconds).toBeUndefined();
  expect(f.fraction).toBe(0.99);
  expect(progressFigures({ ...base, doneAt: 4000 }, 10_000)).toMatchObject({ fraction: 1, etaSeconds: 0 });
});

test('terminal line: name, bar, percent, rows of estimate, MB/s, ETA or done', () => {
  expect(formatProgressLine(base, 10_000, 12, 8)).toBe(
    'identities   ██░░░░░░  25% 250/~1,000 rows    0.5 MB/s ETA 0:30',
  );
  expect(formatProgressLine({ ...base, rows: 1000, doneAt: 3_723_000 }, 3_800_000, 6, 4)).toBe(
    'ident… ████ 100% 1,000/1,000 rows    0.0 MB/s done in 1:02:03',
  );
  expect(formatDuration(undefined)).toBe('--:--');
});

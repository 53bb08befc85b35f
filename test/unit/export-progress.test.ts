import pino from 'pino';
import { createExportProgress } from '../../src/progress/export-progress';
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

describe('rates are measured from each table start', () => {
  const run = (steps: (p: ReturnType<typeof createExportProgress>, clock: { now: number }) => void) => {
    const clock = { now: 1_000_000 };
    const spy = jest.spyOn(Date, 'now').mockImplementation(() => clock.now);
    const written: string[] = [];
    const stream = { isTTY: true, write: (s: string) => (written.push(s), true) } as unknown as NodeJS.WriteStream;
    try {
      const p = createExportProgress({ stream, log: pino({ level: 'silent' }), tty: true });
      steps(p, clock);
      p.stop();
    } finally {
      spy.mockRestore();
    }
    return written.join('');
  };

  test('a small table that finishes before any progress report gets its own time, not a near-zero one', () => {
    // 4 MB in 2 s, reported only when done (the export never sent a progress line for it).
    const out = run((p, clock) => {
      clock.now += 5;
      p.done('small', 100, 4_000_000, 2);
    });
    expect(out).toMatch(/small .* 2\.0 MB\/s done in 0:02/);
  });

  test('a running table counts from its start, not from its first progress report', () => {
    const out = run((p, clock) => {
      p.start('big', 1000);
      clock.now += 10_000;
      p.update('big', 100, 5_000_000, 1000);
    });
    expect(out).toContain('0.5 MB/s');
  });

  test('a table kept by --resume (no time of its own) shows no rate', () => {
    expect(progressFigures({ ...base, startedAt: 5, doneAt: 5 }, 10).mbPerSecond).toBe(0);
  });
});

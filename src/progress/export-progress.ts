import type { Logger } from 'pino';
import { formatProgressLine, progressFigures, TableProgress } from './progress-line';

export interface ExportProgress {
  /** The table's first chunk started: its rate is measured from here. */
  start(table: string, estimatedRows: number): void;
  update(table: string, rows: number, bytes: number, estimatedRows: number): void;
  /** `seconds`: the table's own export time, which its final rate is computed from. */
  done(table: string, rows: number, bytes: number, seconds: number): void;
  stop(): void;
}

/**
 * On a terminal, a live block of lines (one per running table, finished ones above it), redrawn
 * a few times a second on `stream`; otherwise a structured log line per running table every
 * `logEveryMs`, so log collectors get rows, MB/s and ETA without control characters.
 */
export function createExportProgress(opts: {
  stream: NodeJS.WriteStream;
  log: Logger;
  tty?: boolean;
  logEveryMs?: number;
}): ExportProgress {
  const tables = new Map<string, TableProgress>();
  const touch = (table: string, rows: number, bytes: number, est: number) => {
    const p = tables.get(table) ?? { table, rows: 0, bytes: 0, estimatedRows: est, startedAt: Date.now() };
    p.rows = rows;
    p.bytes = bytes;
    p.estimatedRows = est || p.estimatedRows;
    tables.set(table, p);
    return p;
  };
  const finish = (table: string, rows: number, bytes: number, seconds: number) => {
    const p = touch(table, rows, bytes, rows);
    p.doneAt = Date.now();
    // A small table may finish before its first progress report: the rate is from its own
    // clock, never from the moment the display first heard of it (which gave 11,985 MB/s).
    p.startedAt = p.doneAt - seconds * 1000;
  };
  const start = (table: string, est: number) => void touch(table, 0, 0, est);
  return (opts.tty ?? opts.stream.isTTY === true)
    ? terminal(opts.stream, tables, touch, start, finish)
    : logLines(opts.log, tables, touch, start, finish, opts.logEveryMs ?? 10_000);
}

type Touch = (table: string, rows: number, bytes: number, est: number) => TableProgress;
type Start = ExportProgress['start'];
type Finish = ExportProgress['done'];

function terminal(
  stream: NodeJS.WriteStream,
  tables: Map<string, TableProgress>,
  touch: Touch,
  start: Start,
  finish: Finish,
): ExportProgress {
  let drawn = 0;
  const printed = new Set<string>();
  const draw = () => {
    const now = Date.now();
    const width = Math.min(40, Math.max(8, ...[...tables.keys()].map((k) => k.length)));
    const running = [...tables.values()].filter((p) => !p.doneAt);
    const lines = running.map((p) => formatProgressLine(p, now, width));
    // Move to the top of the block, clear it, redraw; finished tables were printed once above.
    let out = drawn ? `\x1b[${drawn}F\x1b[0J` : '';
    for (const p of tables.values()) {
      if (!p.doneAt || printed.has(p.table)) continue;
      out += formatProgressLine(p, now, width) + '\n';
      printed.add(p.table);
    }
    out += lines.map((l) => l + '\n').join('');
    drawn = lines.length;
    stream.write(out);
  };
  const timer = setInterval(draw, 250);
  timer.unref();
  return {
    start,
    update: (t, r, b, e) => void touch(t, r, b, e),
    done: finish,
    stop: () => {
      clearInterval(timer);
      draw();
    },
  };
}

function logLines(
  log: Logger,
  tables: Map<string, TableProgress>,
  touch: Touch,
  start: Start,
  finish: Finish,
  every: number,
): ExportProgress {
  const timer = setInterval(() => {
    const now = Date.now();
    for (const p of tables.values()) {
      if (p.doneAt) continue;
      const f = progressFigures(p, now);
      log.info(
        {
          table: p.table,
          rows: f.rows,
          estimatedRows: p.estimatedRows,
          mbPerSecond: Number(f.mbPerSecond.toFixed(2)),
          etaSeconds: f.etaSeconds === undefined ? null : Math.round(f.etaSeconds),
        },
        'export progress',
      );
    }
  }, every);
  timer.unref();
  return {
    start,
    update: (t, r, b, e) => void touch(t, r, b, e),
    done: finish,
    stop: () => clearInterval(timer),
  };
}

import type { Logger } from 'pino';
import { formatProgressLine, progressFigures, TableProgress } from './progress-line';

export interface ExportProgress {
  update(table: string, rows: number, bytes: number, estimatedRows: number): void;
  done(table: string, rows: number, bytes: number): void;
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
  return (opts.tty ?? opts.stream.isTTY === true)
    ? terminal(opts.stream, tables, touch)
    : logLines(opts.log, tables, touch, opts.logEveryMs ?? 10_000);
}

type Touch = (table: string, rows: number, bytes: number, est: number) => TableProgress;

function terminal(stream: NodeJS.WriteStream, tables: Map<string, TableProgress>, touch: Touch): ExportProgress {
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
    update: (t, r, b, e) => void touch(t, r, b, e),
    done: (t, r, b) => {
      const p = touch(t, r, b, r);
      p.doneAt = Date.now();
    },
    stop: () => {
      clearInterval(timer);
      draw();
    },
  };
}

function logLines(log: Logger, tables: Map<string, TableProgress>, touch: Touch, every: number): ExportProgress {
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
    update: (t, r, b, e) => void touch(t, r, b, e),
    done: (t, r, b) => {
      touch(t, r, b, r).doneAt = Date.now();
    },
    stop: () => clearInterval(timer),
  };
}

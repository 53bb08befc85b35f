/** What is known about one table while it exports. */
export interface TableProgress {
  table: string;
  rows: number;
  bytes: number;
  estimatedRows: number;
  startedAt: number;
  /** Set when the table is finished. */
  doneAt?: number;
}

export interface ProgressFigures {
  rows: number;
  estimatedRows: number;
  /** 0..1; the server's estimate can be low, so never above 0.99 before the table is done. */
  fraction: number;
  mbPerSecond: number;
  /** Seconds left from the row estimate and the rows per second so far; undefined when unknown. */
  etaSeconds?: number;
}

/** Rate and ETA of one table at `now` (ms). Pure: the renderers and the log lines share it. */
export function progressFigures(p: TableProgress, now: number): ProgressFigures {
  const seconds = ((p.doneAt ?? now) - p.startedAt) / 1000;
  const estimatedRows = Math.max(p.estimatedRows, p.rows);
  const fraction = p.doneAt ? 1 : estimatedRows > 0 ? Math.min(0.99, p.rows / estimatedRows) : 0;
  // No time measured (a table kept by --resume, or one just started): no rate rather than a wild one.
  const rowsPerSecond = seconds > 0 ? p.rows / seconds : 0;
  const etaSeconds = p.doneAt
    ? 0
    : rowsPerSecond > 0 && p.estimatedRows > p.rows
      ? (p.estimatedRows - p.rows) / rowsPerSecond
      : undefined;
  return { rows: p.rows, estimatedRows, fraction, mbPerSecond: seconds > 0 ? p.bytes / 1e6 / seconds : 0, etaSeconds };
}

export function formatDuration(s: number | undefined): string {
  if (s === undefined || !Number.isFinite(s)) return '--:--';
  const t = Math.round(s);
  const h = Math.floor(t / 3600);
  const m = Math.floor((t % 3600) / 60);
  const ss = String(t % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** One line for a terminal: name, bar, rows of estimate, MB/s, ETA (or "done"). */
export function formatProgressLine(p: TableProgress, now: number, nameWidth: number, barWidth = 20): string {
  const f = progressFigures(p, now);
  const filled = Math.round(f.fraction * barWidth);
  const bar = '█'.repeat(filled) + '░'.repeat(barWidth - filled);
  const name = p.table.length > nameWidth ? p.table.slice(0, nameWidth - 1) + '…' : p.table.padEnd(nameWidth);
  const rows = `${f.rows.toLocaleString('en-US')}/${p.doneAt ? f.rows.toLocaleString('en-US') : '~' + f.estimatedRows.toLocaleString('en-US')}`;
  const tail = p.doneAt
    ? `done in ${formatDuration((p.doneAt - p.startedAt) / 1000)}`
    : `ETA ${formatDuration(f.etaSeconds)}`;
  return `${name} ${bar} ${String(Math.floor(f.fraction * 100)).padStart(3)}% ${rows} rows ${f.mbPerSecond.toFixed(1).padStart(6)} MB/s ${tail}`;
}

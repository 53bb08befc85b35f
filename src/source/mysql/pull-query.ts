import type { MysqlConnection } from './connect';
import { queryRowBytes, RowBytesSink } from './row-bytes';
import { severMysql, stallLimitOf } from './connect';
import { ConvergeError } from '../../core/errors';
import { StallWatchdog } from '../../core/stall-watchdog';

/** Items queued before the socket is paused (the server then waits). */
const QUEUE_ITEMS = 4;

/** What a sink does with a row: emit() hands over a finished item, fail() stops the read with an error. */
export interface PullControl<T> {
  emit(item: T): void;
  fail(e: unknown): void;
}

/**
 * Turns the push-style row reader (row-bytes: rows arrive in the driver's packet callback) into
 * an async iterable with backpressure down to MySQL: when QUEUE_ITEMS items wait unconsumed the
 * socket is paused. `makeSink` builds the per-row code; it must never throw (the packet parser
 * would be left mid-stream) but call fail(). `flush` hands over the last partial item at the
 * end; `describe` turns a driver error into the error to throw. A read left half-way (the consumer threw, or fail()) cannot leave a result pending on a
 * shared connection, so the connection is destroyed.
 */
export async function* pullQuery<T>(
  conn: MysqlConnection,
  sql: string,
  params: unknown[],
  columns: number,
  makeSink: (c: PullControl<T>) => RowBytesSink,
  flush: () => T | undefined,
  describe: (e: unknown) => unknown,
): AsyncGenerator<T> {
  const queue: T[] = [];
  let paused = false;
  let finished = false;
  let failure: unknown;
  let failed = false;
  let wake: (() => void) | undefined;
  const signal = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  const control: PullControl<T> = {
    emit(item) {
      queue.push(item);
      if (queue.length >= QUEUE_ITEMS && !paused) {
        paused = true;
        // Our consumer is behind, not the server: no stall while we hold the socket still.
        watchdog.pause();
        query.pause();
      }
      signal();
    },
    fail(e) {
      if (failed) return;
      failed = true;
      failure = e;
      // Nothing more is wanted from this result: stop reading until the connection is destroyed.
      if (!paused) ((paused = true), query.pause());
      signal();
    },
  };
  const inner = makeSink(control);
  // Progress is a row from the server while we are ready for more; none for the limit (MySQL, or
  // the path to it, froze) destroys the connection and fails the read with a named error.
  const watchdog = new StallWatchdog(stallLimitOf(conn), (idle) => {
    control.fail(
      describe(
        new ConvergeError(
          'STALLED',
          `MySQL sent no rows for ${Math.round(idle / 1000)} s (stall time-out: --stall-timeout-ms or CONVERGE_STALL_TIMEOUT_MS); the connection was closed`,
          { stage: 'export' },
        ),
      ),
    );
    severMysql(conn);
  });
  const sink: RowBytesSink = {
    field: (i, b, s, e) => inner.field(i, b, s, e),
    endRow() {
      watchdog.touch();
      inner.endRow();
    },
  };
  const query = queryRowBytes(conn, sql, params, columns, sink);
  query.done.then(
    () => {
      finished = true;
      watchdog.stop();
      signal();
    },
    (e) => {
      if (!failed) ((failed = true), (failure = describe(e)));
      finished = true;
      signal();
    },
  );
  let complete = false;
  try {
    for (;;) {
      while (!queue.length && !finished && !failed) await new Promise<void>((r) => (wake = r));
      if (failed) throw failure;
      if (finished && !queue.length) {
        const last = flush();
        if (last !== undefined) queue.push(last);
      }
      const next = queue.shift();
      if (next === undefined) break;
      if (paused && queue.length < QUEUE_ITEMS / 2) {
        paused = false;
        watchdog.resume();
        query.resume();
      }
      yield next;
    }
    complete = true;
  } finally {
    watchdog.stop();
    if (!complete && !finished) severMysql(conn);
  }
}

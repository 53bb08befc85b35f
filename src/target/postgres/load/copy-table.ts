import { createReadStream } from 'node:fs';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { ConvergeError, isConvergeError, messageOf } from '../../../core/errors';
import { qualifiedPg, quotePg, severPg, stallLimitOf } from '../connect';
import { StallWatchdog } from '../../../core/stall-watchdog';
import { classifyLoadError, isConnectionLoss, parseRejectedKey, uniqueViolationText } from './load-error';
import { parseCopyContext, rowAtLine, rowWithValues } from './locate-row';

export interface CopyTarget {
  schema: string;
  table: string;
  /** Columns in the order of the CSV. */
  columns: string[];
  /** The table errors name when COPY goes into a staging table on its behalf. */
  label?: string;
}

export interface CopyRequest extends CopyTarget {
  files: string[];
}

/** Where a rejected row came from: a CSV file's line, or a source row's ordinal and key. */
export interface RowLocation {
  file?: string;
  csvLine?: number;
  row?: Record<string, string | null>;
  sourceRow?: number;
  sourceKey?: string;
}

/**
 * Finds the row behind a COPY error. Postgres names the physical line of the COPY data it
 * rejected (CONTEXT), or for key violations the key values (DETAIL); each feed knows how to turn
 * those into something an operator can find: a file and line, or a source primary key.
 */
export interface RowLocator {
  /** The file being loaded, when the feed is a file. */
  file?: string;
  /** What the operator re-runs after a lost connection. */
  rerun: string;
  atLine(line: number): Promise<RowLocation | undefined>;
  withValues(values: Record<string, string>): Promise<RowLocation | undefined>;
}

/** One COPY's input: converge CSV bytes, where to find a rejected row, and the feed's own failure. */
export interface CopyFeed {
  body: Readable;
  /** The body starts with the CSV header line (files do; streamed rows do not). */
  header: boolean;
  locate: RowLocator;
  /** The error that stopped the body itself (a source or mapping error), which wins over COPY's. */
  failure?: () => unknown;
}

/**
 * The one COPY of converge: streams a feed into `COPY … FROM STDIN (FORMAT csv)` on a client
 * already inside the table's transaction, with backpressure end to end. Destroying the COPY
 * stream on a feed error sends CopyFail, so the server drops what it received. Returns the rows
 * loaded (the server's COPY n tag). A rejected row becomes a LOAD_REJECTED error naming table,
 * column, constraint, detail and where the row came from (describeCopyError).
 */
export async function copyFeed(client: Client, t: CopyTarget, feed: CopyFeed): Promise<number> {
  const options = feed.header ? 'FORMAT csv, HEADER true' : 'FORMAT csv';
  const copy = client.query(
    copyFrom(
      `COPY ${qualifiedPg(t.schema, t.table)} (${t.columns.map(quotePg).join(', ')}) FROM STDIN WITH (${options})`,
    ),
  );
  // Progress is a chunk taken by COPY; none for the limit (Postgres, or the path to it, froze
  // mid-COPY or before its answer) cuts the session, which fails the COPY and rolls it back.
  let fed = false;
  const watchdog = new StallWatchdog(
    stallLimitOf(client),
    () => severPg(client),
    // Held up by Postgres: bytes wait to be taken, or all were sent and its answer is due. A
    // feed that is slow to produce (its source has its own watchdog) is not COPY's stall.
    () => fed || taken.readableLength > 0 || taken.writableLength > 0 || copy.writableNeedDrain,
  );
  feed.body.once('end', () => (fed = true));
  const taken = new Transform({
    transform(chunk, _enc, done) {
      watchdog.touch();
      done(null, chunk);
    },
  });
  try {
    await pipeline(feed.body, taken, copy);
  } catch (e) {
    const own = feed.failure?.();
    if (own !== undefined) throw own;
    if (watchdog.stalled) throw stalledCopy(t, watchdog.ms, feed.locate, e);
    if (isConvergeError(e)) throw e;
    throw await describeCopyError(e, t, feed.locate);
  } finally {
    watchdog.stop();
  }
  return Number(copy.rowCount ?? 0);
}

function stalledCopy(t: CopyTarget, ms: number, locate: RowLocator, cause: unknown): ConvergeError {
  const table = t.label ?? t.table;
  return new ConvergeError(
    'STALLED',
    `the COPY into ${table} made no progress for ${Math.round(ms / 1000)} s (stall time-out: --stall-timeout-ms or CONVERGE_STALL_TIMEOUT_MS); the Postgres session was closed, so nothing of this table was committed — ${locate.rerun}`,
    { stage: 'import', table, file: locate.file },
    { cause },
  );
}

/** COPYs CSV files (each with its header) into a table, one COPY per file, in order. */
export async function copyIntoTable(client: Client, req: CopyRequest): Promise<number> {
  let rows = 0;
  for (const file of req.files) {
    rows += await copyFeed(client, req, {
      body: createReadStream(file, { highWaterMark: 1 << 20 }),
      header: true,
      locate: fileLocator(file),
    });
  }
  return rows;
}

/** Rows of a converge CSV file, found by physical line or by key values. */
export function fileLocator(file: string): RowLocator {
  // Locating is a best effort on top of an error already in hand: a file that cannot be re-read
  // leaves the error without its row, never replaces it.
  const found = (l: { csvLine: number; row: Record<string, string | null> } | undefined): RowLocation =>
    l ? { file, csvLine: l.csvLine, row: l.row } : { file };
  return {
    file,
    rerun: 're-run the import (with --resume)',
    atLine: (line) => rowAtLine(file, line).then(found, () => ({ file })),
    withValues: (values) => rowWithValues(file, values).then(found, () => ({ file })),
  };
}

interface PgErrorFields {
  code?: string;
  detail?: string;
  constraint?: string;
  column?: string;
  where?: string;
  message?: string;
}

const LOST = /Connection terminated|ECONNRESET|EPIPE|connection.*(closed|ended)/i;

/** Turns an error of a COPY (or of the statements that finish a staged load) into an operator-ready one. */
export async function describeCopyError(e: unknown, t: CopyTarget, locate: RowLocator): Promise<ConvergeError> {
  const pe = e as PgErrorFields;
  const table = t.label ?? t.table;
  if (isConnectionLoss(pe.code) || (!pe.code && LOST.test(messageOf(e)))) {
    // The server went away (terminated backend, shutdown, network): not a bad row. The table's
    // transaction died with the connection, so nothing of it was committed.
    const why = pe.code ? `${pe.code}: ${pe.message}` : messageOf(e);
    return new ConvergeError(
      'CONNECT_FAILED',
      `the Postgres connection was lost while loading ${table} (${why}); nothing of this table was committed — ${locate.rerun}`,
      { stage: 'import', table, file: locate.file, sqlstate: pe.code },
      { cause: e },
    );
  }
  if (!pe.code) {
    if (locate.file) {
      return new ConvergeError(
        'IO_FAILED',
        `cannot stream ${locate.file} into ${table}: ${messageOf(e)}`,
        { stage: 'import', table, file: locate.file },
        { cause: e },
      );
    }
    // Neither the server nor a file: converge's own code failed while feeding the COPY.
    return new ConvergeError(
      'INTERNAL',
      `loading ${table} failed: ${messageOf(e)}`,
      { stage: 'import', table },
      { cause: e },
    );
  }
  // Only a data exception (22) or an integrity violation (23) is a row the operator must fix.
  if (!pe.code.startsWith('22') && !pe.code.startsWith('23'))
    return classifyLoadError(e, { stage: 'import', table, file: locate.file });
  const ctx = parseCopyContext(pe.where);
  const key = pe.code === '23503' || pe.code === '23505' ? parseRejectedKey(pe.detail) : undefined;
  let located = ctx.line ? await locate.atLine(ctx.line) : undefined;
  if (!located?.row && key?.byColumn) located = (await locate.withValues(key.byColumn)) ?? located;
  const column = pe.column ?? ctx.column ?? key?.columns[0];
  // A duplicate names every column of the index and the repeated values, in the words the
  // probe and the transform use (core/key-text.ts): the first column alone may not be the key.
  const what =
    pe.code === '23505' && key ? `duplicate key: ${uniqueViolationText(key, pe.constraint)}` : rejection(pe.code);
  return new ConvergeError(
    'LOAD_REJECTED',
    `${what}: ${pe.message}${located?.sourceKey ? ` (source row ${located.sourceKey})` : ''}`,
    {
      stage: 'import',
      table,
      file: locate.file,
      ...located,
      column,
      ...(key ? { columns: key.columns, values: key.values } : {}),
      constraint: pe.constraint,
      detail: pe.detail,
      sqlstate: pe.code,
    },
    { cause: e },
  );
}

function rejection(code: string): string {
  switch (code) {
    case '23503':
      return 'foreign key violation';
    case '23505':
      return 'duplicate key';
    case '23502':
      return 'NULL in a NOT NULL column';
    case '23514':
      return 'check constraint violation';
    default:
      return 'row rejected';
  }
}

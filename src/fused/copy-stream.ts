import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { promises as fsp } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { encodeLine } from '../csv/csv-encode';
import { ConvergeError, isConvergeError, messageOf } from '../core/errors';
import { createPrivateWriteStream, fsyncPath, ioError } from '../core/private-files';
import { isConnectionLoss } from '../import/copy-table';
import { parseCopyContext, parseKeyDetail } from '../import/locate-row';
import { qualifiedPg, quotePg } from '../target/postgres/connect';
import type { LineIndex } from './csv-chunks';
import type { SourceKeys } from './source-batches';

export interface CopyStreamRequest {
  client: Client;
  schema: string;
  table: string;
  /** Target columns, in the order of the CSV. */
  columns: string[];
  /** How errors name the table. */
  label: string;
  /** The table's rows as converge CSV (no header), chunk by chunk. */
  chunks: AsyncIterable<Buffer>;
  /** COPY line → source row ordinal, kept by whoever encoded the chunks. */
  lines: LineIndex;
  keys: SourceKeys;
  /** Also write the CSV (with its header) to this file: converge import and verify can reuse it. */
  tee?: string;
}

export interface CopyStreamResult {
  rows: number;
  bytes: number;
  /** sha256 of the tee file (header included), when there is one. */
  sha256?: string;
}

/**
 * Streams CSV chunks straight into `COPY … FROM STDIN` on a client already inside the table's
 * transaction. Backpressure runs end to end: Readable.from pulls the next chunk only when COPY
 * (and the tee file) took the last one, and chunks are read from MySQL only as they are pulled.
 * A mapping or source error destroys the COPY stream, which sends CopyFail: the server drops
 * what it received. A row Postgres rejects is named by the source primary key of its COPY line
 * (the line of a CSV file does not exist here).
 */
export async function copyStream(req: CopyStreamRequest): Promise<CopyStreamResult> {
  const hash = req.tee ? createHash('sha256') : undefined;
  const file = req.tee ? createPrivateWriteStream(req.tee) : undefined;
  let fileError: Error | undefined;
  file?.on('error', (e) => (fileError ??= e));
  const header = Buffer.from(encodeLine(req.columns) + '\n', 'utf8');
  let bytes = 0;
  let sourceError: unknown;

  async function* tee(): AsyncGenerator<Buffer> {
    if (file) {
      hash!.update(header);
      file.write(header);
    }
    try {
      for await (const buf of req.chunks) {
        bytes += buf.length;
        if (file) {
          if (fileError) throw ioError(fileError, `cannot write ${req.tee}`, req.tee);
          hash!.update(buf);
          if (!file.write(buf)) await once(file, 'drain');
        }
        yield buf;
      }
    } catch (e) {
      sourceError = e;
      throw e;
    }
  }

  const target = qualifiedPg(req.schema, req.table);
  const copy = req.client.query(
    copyFrom(`COPY ${target} (${req.columns.map(quotePg).join(', ')}) FROM STDIN WITH (FORMAT csv)`),
  );
  try {
    await pipeline(Readable.from(tee(), { objectMode: false, highWaterMark: 1 }), copy);
    if (file) {
      file.end();
      await once(file, 'finish');
      if (fileError) throw ioError(fileError, `cannot write ${req.tee}`, req.tee);
      await fsyncPath(req.tee!);
    }
  } catch (e) {
    const teeError = fileError; // before destroy(), whose pending writes fail too
    // As `converge transform` does: no partial file is left behind for a table that failed.
    if (file) {
      file.destroy();
      if (!file.closed) await once(file, 'close').catch(() => undefined);
      await fsp.rm(req.tee!, { force: true });
    }
    if (sourceError !== undefined && isConvergeError(sourceError)) throw withSourceKey(sourceError, req.keys);
    if (isConvergeError(e)) throw e;
    // The tee file failed (a full disk: `drain` rejects with its error): an I/O error, not a rejected row.
    if (teeError) throw ioError(teeError, `cannot write ${req.tee}`, req.tee);
    throw describeStreamError(e, req);
  }
  return { rows: Number(copy.rowCount ?? 0), bytes: bytes + (file ? header.length : 0), sha256: hash?.digest('hex') };
}

/**
 * A mapping error names the row by its ordinal in the source read (there is no CSV file): it
 * gets the row's primary key instead, which finds it in MySQL.
 */
export function withSourceKey(e: ConvergeError, keys: SourceKeys): ConvergeError {
  const ordinal = typeof e.context.csvLine === 'number' ? e.context.csvLine : undefined;
  const row = e.context.row;
  const key =
    keys.columns.length && row && keys.columns.every((c) => c in row)
      ? keys.columns.map((c) => row[c] ?? 'NULL')
      : ordinal !== undefined
        ? keys.keyOf(ordinal)
        : undefined;
  const sourceKey = key ? describeKey(keys.columns, key) : undefined;
  const { csvLine: _line, file, ...rest } = e.context;
  const out = new ConvergeError(
    e.code,
    sourceKey ? `${e.message} (source row ${sourceKey})` : e.message,
    // A row error's file is the source read, named by the key instead; a mapping error keeps its file:line.
    { ...rest, ...(ordinal === undefined && file !== undefined ? { file } : {}), sourceRow: ordinal, sourceKey },
    { cause: e.cause ?? e },
  );
  out.stack = e.stack;
  return out;
}

function describeKey(columns: string[], key: string[]): string {
  return columns.map((c, i) => `${c} = ${JSON.stringify(key[i])}`).join(', ');
}

function describeStreamError(e: unknown, req: CopyStreamRequest): ConvergeError {
  const pe = e as {
    code?: string;
    detail?: string;
    constraint?: string;
    column?: string;
    where?: string;
    message?: string;
  };
  const table = req.label;
  if (!pe.code || isConnectionLoss(pe.code)) {
    return new ConvergeError(
      'CONNECT_FAILED',
      `the Postgres connection was lost while loading ${table}: ${messageOf(e)}; nothing of this table was committed`,
      { stage: 'import', table, sqlstate: pe.code },
      { cause: e },
    );
  }
  const ctx = parseCopyContext(pe.where);
  const ordinal = ctx.line ? req.lines.ordinalAt(ctx.line) : undefined;
  const key = ordinal !== undefined ? req.keys.keyOf(ordinal) : undefined;
  const sourceKey = key ? describeKey(req.keys.columns, key) : undefined;
  const keyDetail = parseKeyDetail(pe.detail);
  const column = pe.column ?? ctx.column ?? (keyDetail ? Object.keys(keyDetail)[0] : undefined);
  const what =
    pe.code === '23503'
      ? 'foreign key violation'
      : pe.code === '23505'
        ? 'duplicate key'
        : pe.code === '23502'
          ? 'NULL in a NOT NULL column'
          : pe.code === '23514'
            ? 'check constraint violation'
            : 'row rejected';
  return new ConvergeError(
    'LOAD_REJECTED',
    `${what}: ${pe.message}${sourceKey ? ` (source row ${sourceKey})` : ''}`,
    {
      stage: 'import',
      table,
      column,
      constraint: pe.constraint,
      detail: pe.detail,
      sqlstate: pe.code,
      sourceRow: ordinal,
      sourceKey,
    },
    { cause: e },
  );
}

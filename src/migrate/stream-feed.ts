import { promises as fsp } from 'node:fs';
import { Readable } from 'node:stream';
import { CsvFileWriter } from '../csv/csv-file-writer';
import type { LineIndex } from '../csv/csv-chunks';
import { ConvergeError, isConvergeError } from '../core/errors';
import type { SourceKeys } from '../source/mysql/row-source';
import type { CopyFeed, RowLocator } from '../target/postgres/load/copy-table';

export interface StreamFeedRequest {
  /** Target columns, in the order of the CSV (the tee file's header). */
  columns: string[];
  /** The table's rows as converge CSV (no header), chunk by chunk. */
  chunks: AsyncIterable<Buffer>;
  /** COPY line → source row ordinal, kept by whoever encoded the chunks. */
  lines: LineIndex;
  keys: SourceKeys;
  /** Also write the CSV (with its header) to this 0600 file: converge import and verify can reuse it. */
  tee?: string;
}

export interface StreamFeed {
  feed: CopyFeed;
  /** After the COPY: closes and syncs the tee file; bytes and sha256 of what was sent (header included when teed). */
  finish(): Promise<{ bytes: number; sha256?: string }>;
  /** After a failure: closes and removes the tee file. */
  abort(): Promise<void>;
}

/**
 * Rows mapped from MySQL as a COPY feed. Backpressure runs end to end: Readable.from pulls the
 * next chunk only when COPY (and the tee file) took the last one, and chunks are read from MySQL
 * only as they are pulled. A rejected row is named by its source primary key (the line of a CSV
 * file does not exist here); a mapping or source error wins over the COPY error it causes.
 */
export function streamFeed(req: StreamFeedRequest): StreamFeed {
  // The tee is the one CSV file writer (0600, hashed as written, synced on close).
  const file = req.tee ? new CsvFileWriter(req.tee, req.columns) : undefined;
  let bytes = 0;
  let sourceError: unknown;

  async function* body(): AsyncGenerator<Buffer> {
    try {
      for await (const buf of req.chunks) {
        bytes += buf.length;
        if (file) {
          file.appendEncoded(buf, 0);
          await file.flushIfFull();
        }
        yield buf;
      }
    } catch (e) {
      sourceError = e;
      throw e;
    }
  }

  const locate: RowLocator = {
    rerun: 're-run the migrate',
    atLine: async (line) => {
      const ordinal = req.lines.ordinalAt(line);
      const key = ordinal !== undefined ? req.keys.keyOf(ordinal) : undefined;
      return ordinal === undefined
        ? undefined
        : { sourceRow: ordinal, sourceKey: key ? describeKey(req.keys.columns, key) : undefined };
    },
    // The rows are gone once sent: a key from the error's detail cannot be searched for.
    withValues: async () => undefined,
  };

  return {
    feed: {
      body: Readable.from(body(), { objectMode: false, highWaterMark: 1 }),
      header: false,
      locate,
      failure: () => {
        if (sourceError === undefined || !isConvergeError(sourceError)) return undefined;
        // The tee file failed (a full disk): an I/O error naming the file, not a rejected row.
        if (sourceError.code === 'IO_FAILED') return sourceError;
        return withSourceKey(sourceError, req.keys);
      },
    },
    async finish() {
      if (!file) return { bytes };
      const { bytes: written, sha256 } = await file.close();
      return { bytes: written, sha256 };
    },
    async abort() {
      // As `converge transform` does: no partial file is left behind for a table that failed.
      if (!file) return;
      await file.destroy();
      await fsp.rm(req.tee!, { force: true });
    },
  };
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

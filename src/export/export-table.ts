import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import type { MysqlConnection } from '../source/mysql/connect';
import { exportEncoding, MysqlTable } from '../source/mysql/catalog';
import { rangeWhere } from '../source/mysql/key-ranges';
import { quoteMysql } from '../source/mysql/quote';
import { queryRowBytes, RowBytesQuery, RowBytesSink } from '../source/mysql/row-bytes';
import { selectList, shortestFloat32 } from '../source/mysql/stream-rows';
import { CsvRowWriter } from '../csv/csv-row-writer';
import { encodeRecord } from '../csv/csv-encode';
import { fsyncPath, ioError } from '../core/private-files';
import { ConvergeError, messageOf } from '../core/errors';
import type { KeyRange, ManifestColumn } from '../manifest';

export interface ExportTableResult {
  rows: number;
  bytes: number;
  sha256: string;
}

export interface ExportTableOptions {
  /** Only the rows of this key range (a chunk); the whole table when absent. */
  range?: KeyRange | null;
  /** Called every few thousand rows and at the end with the rows and bytes written so far. */
  onRows?: (rows: number, bytes: number) => void;
}

/** Bytes in flight to the file before the connection is paused. */
const FILE_BUFFER = 4 << 20;

/** The manifest's description of a table's columns. */
export function manifestColumns(table: MysqlTable): ManifestColumn[] {
  return table.columns.map((c) => ({
    name: c.name,
    sourceType: c.columnType,
    dataType: c.dataType,
    nullable: c.nullable,
    encoding: exportEncoding(c),
  }));
}

/**
 * Streams one table (or one key range of it) into a CSV file, hashing while writing, and syncs
 * the file before returning: the caller may then mark it complete in the manifest. Rows go from
 * the packet bytes to CSV bytes without JS values in between. Memory stays bounded: when the file
 * lags, the connection is paused (the server waits) until the file has drained.
 */
export async function exportTable(
  conn: MysqlConnection,
  table: MysqlTable,
  file: string,
  opts: ExportTableOptions = {},
): Promise<ExportTableResult> {
  const cols = table.columns;
  const { select, binary, float32 } = selectList(table);
  // binary: key columns in a range are bound as bytes.
  const where = opts.range ? rangeWhere(opts.range, binary) : undefined;
  const order = table.primaryKey.length ? ` ORDER BY ${table.primaryKey.map(quoteMysql).join(', ')}` : '';
  const sql = `SELECT ${select} FROM ${quoteMysql(table.name)}${where ? ` WHERE ${where.sql}` : ''}${order}`;
  const hash = createHash('sha256');
  let rows = 0;
  let bytes = 0;
  let writeError: Error | undefined;
  const hex = cols.map((c) => exportEncoding(c) === 'hex');
  const csv = new CsvRowWriter();
  csv.bytes(Buffer.from(encodeRecord(cols.map((c) => c.name)), 'utf8'));
  const out = createWriteStream(file, { flags: 'w', mode: 0o600, highWaterMark: FILE_BUFFER });
  let paused = false;
  let query: RowBytesQuery | undefined;
  out.on('error', (e) => {
    writeError ??= e;
    // No 'drain' will come: read the rest of the result (discarded) so the connection is free.
    if (paused) ((paused = false), query?.resume());
  });
  const flush = () => {
    const buf = csv.take();
    if (buf && !writeError) {
      hash.update(buf);
      bytes += buf.length;
      if (!out.write(buf) && !paused && query) {
        paused = true;
        query.pause();
        out.once('drain', () => {
          paused = false;
          query!.resume();
        });
      }
    }
  };
  const isFloat = cols.map((c) => float32.has(c.name));
  const field = (i: number, b: Buffer | null, s: number, e: number) => {
    if (b === null) csv.nul(i);
    else if (hex[i]) csv.hex(i, b, s, e);
    else csv.raw(i, b, s, e);
  };
  const sink: RowBytesSink = {
    field: float32.size
      ? (i, b, s, e) => {
          if (b === null || !isFloat[i]) return field(i, b, s, e);
          const text = Buffer.from(shortestFloat32(b.toString('latin1', s, e)), 'latin1');
          field(i, text, 0, text.length);
        }
      : field,
    endRow: () => {
      csv.endRow();
      rows++;
      // Taken at the writer's half-full mark: a block is never outgrown (grown and copied) between writes.
      if (csv.full) flush();
      if ((rows & 0x3fff) === 0) opts.onRows?.(rows, bytes);
    },
  };
  try {
    query = queryRowBytes(conn, sql, where?.params ?? [], cols.length, sink);
    await query.done;
    flush();
    out.end();
    // An 'error' here is kept in writeError by the stream's handler and thrown just below.
    if (!writeError) await Promise.race([once(out, 'finish'), once(out, 'error')]).catch(() => undefined);
    if (writeError) throw writeError;
  } catch (e) {
    out.destroy();
    if (e === writeError) throw ioError(e, `cannot write ${file}`, file);
    throw new ConvergeError(
      'EXPORT_FAILED',
      `export of ${table.name} failed: ${messageOf(e)}`,
      { stage: 'export', table: table.name, file, sql: sql.length > 500 ? sql.slice(0, 500) + '…' : sql },
      { cause: e },
    );
  }
  await fsyncPath(file);
  opts.onRows?.(rows, bytes);
  return { rows, bytes, sha256: hash.digest('hex') };
}

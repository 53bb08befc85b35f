import { createHash } from 'node:crypto';
import { Transform, TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { MysqlConnection } from '../source/mysql/connect';
import { exportEncoding, MysqlTable } from '../source/mysql/catalog';
import { quoteMysql } from '../source/mysql/quote';
import { rawTypeCast, selectList } from '../source/mysql/stream-rows';
import { encodeField, encodeRecord } from '../csv/csv-encode';
import { createPrivateWriteStream, fsyncPath, ioError } from '../core/private-files';
import { ConvergeError, messageOf } from '../core/errors';
import type { ManifestColumn } from './manifest';

export interface ExportTableResult {
  rows: number;
  bytes: number;
  sha256: string;
  columns: ManifestColumn[];
}

/**
 * Streams one table (or one key range of it) into a CSV file, hashing while writing, and syncs
 * the file before returning: the caller may then mark it complete in the manifest.
 */
export async function exportTable(conn: MysqlConnection, table: MysqlTable, file: string, opts: { where?: string; whereParams?: unknown[]; onRows?: (n: number, bytes: number) => void } = {}): Promise<ExportTableResult> {
  const cols = table.columns;
  const hexCols = cols.map((c) => exportEncoding(c) === 'hex');
  const { select, binary } = selectList(table);
  const order = table.primaryKey.length ? ` ORDER BY ${table.primaryKey.map(quoteMysql).join(', ')}` : '';
  const sql = `SELECT ${select} FROM ${quoteMysql(table.name)}${opts.where ? ` WHERE ${opts.where}` : ''}${order}`;
  const hash = createHash('sha256');
  let rows = 0;
  let bytes = 0;
  const header = encodeRecord(cols.map((c) => c.name));
  const width = cols.length;

  const toCsv = new Transform({
    writableObjectMode: true,
    readableHighWaterMark: 1 << 20,
    transform(row: Array<string | Buffer | null>, _enc, cb: TransformCallback) {
      let line = '';
      for (let i = 0; i < width; i++) {
        if (i > 0) line += ',';
        const v = row[i];
        if (v === null) continue;
        if (hexCols[i] || Buffer.isBuffer(v)) line += '\\x' + (Buffer.isBuffer(v) ? v : Buffer.from(String(v))).toString('hex');
        else line += encodeField(v);
      }
      line += '\n';
      rows++;
      const buf = Buffer.from(line, 'utf8');
      hash.update(buf);
      bytes += buf.length;
      if ((rows & 0x3fff) === 0) opts.onRows?.(rows, bytes);
      cb(null, buf);
    },
  });

  const out = createPrivateWriteStream(file);
  const headBuf = Buffer.from(header, 'utf8');
  hash.update(headBuf);
  bytes += headBuf.length;
  out.write(headBuf);
  // mysql2's streaming query honours backpressure: it pauses the socket when the file is slow.
  const source = (conn as unknown as { connection: { query(o: object, p?: unknown[]): { stream(o: object): NodeJS.ReadableStream } } }).connection
    .query({ sql, rowsAsArray: true, typeCast: rawTypeCast(binary) }, opts.whereParams ?? [])
    .stream({ highWaterMark: 256 });
  try {
    await pipeline(source, toCsv, out);
  } catch (e) {
    out.destroy();
    const code = (e as NodeJS.ErrnoException).code;
    if (code && /^E[A-Z]+$/.test(code) && !code.startsWith('ER_')) throw ioError(e, `cannot write ${file}`, file);
    throw new ConvergeError('EXPORT_FAILED', `export of ${table.name} failed: ${messageOf(e)}`, { stage: 'export', table: table.name, file }, { cause: e });
  }
  await fsyncPath(file);
  opts.onRows?.(rows, bytes);
  return {
    rows,
    bytes,
    sha256: hash.digest('hex'),
    columns: cols.map((c) => ({ name: c.name, sourceType: c.columnType, dataType: c.dataType, nullable: c.nullable, encoding: exportEncoding(c) })),
  };
}

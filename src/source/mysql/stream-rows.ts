import type { MysqlConnection } from './connect';
import { exportEncoding, MysqlTable, selectExpression } from './catalog';
import { quoteMysql } from './quote';
import type { CsvRecord } from '../../csv/csv-decode';

type Field = { type: string; charsetNr?: number; characterSet?: number; string(): string | null; buffer(): Buffer | null };
const BINARY_WIRE_TYPES = new Set(['BLOB', 'TINY_BLOB', 'MEDIUM_BLOB', 'LONG_BLOB', 'STRING', 'VAR_STRING', 'VARCHAR']);

/** The server's own text for every value; bytes for binary-charset strings (see export-table). */
export function rawTypeCast(field: Field): string | Buffer | null {
  const cs = field.charsetNr ?? field.characterSet;
  if (cs === 63 && BINARY_WIRE_TYPES.has(field.type)) return field.buffer();
  return field.string();
}

/**
 * Streams a live table as the same values an export CSV would hold (binary as \x hex), in
 * batches, so verification can run the mapping over the source without a CSV in between.
 * The "line" of a row is its 1-based ordinal.
 */
export async function* streamTableRecords(conn: MysqlConnection, table: MysqlTable, batchSize = 2000): AsyncGenerator<CsvRecord[]> {
  const hex = table.columns.map((c) => exportEncoding(c) === 'hex');
  const select = table.columns.map((c) => selectExpression(c, quoteMysql(c.name))).join(', ');
  const core = (conn as unknown as { connection: { query(o: object): { stream(o: object): AsyncIterable<Array<string | Buffer | null>> & { destroy(): void } } } }).connection;
  const stream = core.query({ sql: `SELECT ${select} FROM ${quoteMysql(table.name)}`, rowsAsArray: true, typeCast: rawTypeCast }).stream({ highWaterMark: batchSize });
  let n = 0;
  let batch: CsvRecord[] = [];
  try {
    for await (const row of stream) {
      const fields = row.map((v, i) => (v === null ? null : hex[i] || Buffer.isBuffer(v) ? '\\x' + (Buffer.isBuffer(v) ? v : Buffer.from(String(v))).toString('hex') : String(v)));
      batch.push({ fields, line: ++n });
      if (batch.length >= batchSize) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length) yield batch;
  } finally {
    stream.destroy();
  }
}

import { ConvergeError } from '../../../core/errors';
import { exportEncoding, isFloat32, MysqlColumn, MysqlTable } from '../catalog';
import { shortestFloat32 } from '../stream-rows';

/**
 * A row image from the binary log as the snapshot's row reader gives the same row: the
 * server's text (dates as 'YYYY-MM-DD hh:mm:ss[.ffffff]' in UTC, DECIMAL exact, BIT as its
 * unsigned integer, FLOAT as its shortest float32 text), binary columns as \x hex. The table
 * program then sees a change exactly as it sees a snapshot row, so one mapping serves both.
 * The binlog client is configured for this (dateStrings, timezone Z, jsonStrings, exact
 * decimals); what it cannot give the same way is refused by name, never guessed.
 */
export function binlogFields(table: MysqlTable, image: Record<string, unknown>): Array<string | null> {
  return table.columns.map((c) => {
    if (!(c.name in image))
      throw new ConvergeError(
        'BINLOG_UNSUITABLE',
        `the binary log's row image of ${table.name} has no column ${c.name}: binlog_row_image must be FULL`,
        { stage: 'follow', table: table.name, column: c.name },
      );
    return binlogText(c, image[c.name], table.name);
  });
}

const SPATIAL =
  /^(geometry|point|linestring|polygon|multipoint|multilinestring|multipolygon|geometrycollection|geomcollection)$/;

/** One value of a row image as export text (see binlogFields). */
export function binlogText(c: MysqlColumn, v: unknown, table: string): string | null {
  if (v === null || v === undefined) return null;
  if (SPATIAL.test(c.dataType))
    throw new ConvergeError(
      'FOLLOW_UNSUPPORTED',
      `column ${c.name} of ${table} is spatial (${c.dataType}): its changes cannot be followed as WKT; migrate it offline`,
      { stage: 'follow', table, column: c.name },
    );
  if (c.dataType === 'bit') return Buffer.isBuffer(v) ? bitsToInteger(v) : String(v);
  if (Buffer.isBuffer(v)) {
    if (exportEncoding(c) === 'hex') return '\\x' + v.toString('hex');
    return v.toString('utf8');
  }
  if (typeof v === 'number') {
    if (isFloat32(c)) return shortestFloat32(String(v));
    if (c.dataType === 'double' || c.dataType === 'real') return doubleText(v);
    return String(v);
  }
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'string') return v;
  if (v instanceof Date)
    throw new ConvergeError(
      'INTERNAL',
      `column ${c.name} of ${table} came as a Date: the binlog client must give date strings`,
      {
        stage: 'follow',
        table,
        column: c.name,
      },
    );
  // JSON values the client parsed (jsonStrings should prevent it): their text.
  return JSON.stringify(v);
}

/** BIT(n) bytes, big-endian, as the unsigned integer `CAST(b AS UNSIGNED)` prints. */
export function bitsToInteger(b: Buffer): string {
  let n = 0n;
  for (const byte of b) n = (n << 8n) | BigInt(byte);
  return n.toString();
}

/**
 * A DOUBLE as its shortest round-trip digits (the digits the server prints too). Where the
 * server switches to exponent form differs from JavaScript's ('1e15' against
 * '1000000000000000'), so a DOUBLE mapped to text may be spelt differently; a numeric target
 * column reads both as the same value.
 */
export function doubleText(x: number): string {
  return String(x).replace('e+', 'e');
}

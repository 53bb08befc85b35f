import type { MysqlConnection } from './connect';
import { exportEncoding, MysqlTable } from './catalog';
import { quoteMysql } from './quote';
import { rawTypeCast } from './stream-rows';
import type { KeyRange } from '../../manifest';

export interface ChunkSizing {
  /** Rows per chunk at most (estimated from the server's row count). */
  chunkRows: number;
  /** Bytes per chunk at most, estimated from the table's average row length. */
  chunkBytes: number;
}

const INTEGER_TYPES = new Set(['tinyint', 'smallint', 'mediumint', 'int', 'integer', 'bigint']);
/** Beyond this a plan costs more than it saves; chunks then grow instead. */
const MAX_CHUNKS = 10_000;

/** Rows per chunk for this table: the smaller of the row and the byte budget. */
export function rowsPerChunk(table: Pick<MysqlTable, 'estimatedRows' | 'dataBytes'>, s: ChunkSizing): number {
  const avg = table.estimatedRows > 0 ? table.dataBytes / table.estimatedRows : 0;
  const byBytes = avg > 0 ? Math.floor(s.chunkBytes / avg) : s.chunkRows;
  return Math.max(1, Math.min(s.chunkRows, byBytes));
}

/**
 * Splits a table into primary-key ranges, read inside the caller's snapshot transaction so the
 * bounds describe the same rows the chunks will read. A single integer key is cut arithmetically
 * between MIN and MAX (cheap; sparse keys give uneven chunks, as with mydumper); any other key
 * (CHAR(36) UUIDs, composite keys) is walked in key order, one bound every `rows` rows.
 * Returns [] when the table should be exported whole (no key, or small enough).
 */
export async function planKeyRanges(conn: MysqlConnection, table: MysqlTable, s: ChunkSizing): Promise<KeyRange[]> {
  const key = table.primaryKey;
  if (!key.length) return [];
  const rows = rowsPerChunk(table, s);
  if (table.estimatedRows <= rows) return [];
  const cols = key.map((k) => table.columns.find((c) => c.name === k)!);
  const pieces = Math.min(MAX_CHUNKS, Math.ceil(table.estimatedRows / rows));
  if (cols.length === 1 && INTEGER_TYPES.has(cols[0].dataType)) return integerRanges(conn, table, pieces);
  return walkedRanges(conn, table, Math.max(rows, Math.ceil(table.estimatedRows / MAX_CHUNKS)));
}

async function integerRanges(conn: MysqlConnection, table: MysqlTable, pieces: number): Promise<KeyRange[]> {
  const k = quoteMysql(table.primaryKey[0]);
  const [rows] = await rawQuery(conn, `SELECT MIN(${k}), MAX(${k}) FROM ${quoteMysql(table.name)}`, [], new Set());
  const [lo, hi] = rows[0] ?? [null, null];
  if (lo === null || hi === null) return [];
  const min = BigInt(String(lo));
  const max = BigInt(String(hi));
  const span = max - min + 1n;
  const n = BigInt(pieces) < span ? BigInt(pieces) : span;
  if (n <= 1n) return [];
  const step = (span + n - 1n) / n;
  const bounds: string[] = [];
  for (let b = min + step - 1n; b < max; b += step) bounds.push(b.toString());
  return rangesFromBounds(
    table.primaryKey,
    bounds.map((b) => [b]),
  );
}

async function walkedRanges(conn: MysqlConnection, table: MysqlTable, rows: number): Promise<KeyRange[]> {
  const key = table.primaryKey;
  const binary = new Set(key.filter((k) => exportEncoding(table.columns.find((c) => c.name === k)!) === 'hex'));
  const select = key.map(quoteMysql).join(', ');
  const bounds: string[][] = [];
  let after: string[] | undefined;
  for (;;) {
    const w = after ? rangeWhere({ key, after }, binary) : undefined;
    const sql = `SELECT ${select} FROM ${quoteMysql(table.name)}${w ? ` WHERE ${w.sql}` : ''} ORDER BY ${select} LIMIT 1 OFFSET ${rows - 1}`;
    const [found] = await rawQuery(conn, sql, w?.params ?? [], binary);
    if (!found.length) break;
    after = found[0].map((v) => (Buffer.isBuffer(v) ? '\\x' + v.toString('hex') : String(v)));
    bounds.push(after);
  }
  return rangesFromBounds(key, bounds);
}

/** Consecutive ranges around sorted inclusive upper bounds: (−∞, b1], (b1, b2], …, (bn, +∞). */
export function rangesFromBounds(key: string[], bounds: string[][]): KeyRange[] {
  if (!bounds.length) return [];
  const out: KeyRange[] = [];
  for (let i = 0; i <= bounds.length; i++) {
    const r: KeyRange = { key };
    if (i > 0) r.after = bounds[i - 1];
    if (i < bounds.length) r.upTo = bounds[i];
    out.push(r);
  }
  return out;
}

/**
 * The WHERE condition of a range, comparing the key column by column (written out rather than
 * as a row constructor, which not every server version can use for an index range).
 * `binary` names key columns whose values are \x hex in the range and bytes on the server.
 */
export function rangeWhere(
  range: KeyRange,
  binary: Set<string> = new Set(),
): { sql: string; params: unknown[] } | undefined {
  const parts: string[] = [];
  const params: unknown[] = [];
  const value = (col: string, v: string) =>
    binary.has(col) && v.startsWith('\\x') ? Buffer.from(v.slice(2), 'hex') : v;
  const bound = (values: string[], strict: '>' | '<', last: '>' | '<=') => {
    const build = (i: number): string => {
      const c = quoteMysql(range.key[i]);
      if (i === range.key.length - 1) {
        params.push(value(range.key[i], values[i]));
        return `${c} ${last} ?`;
      }
      params.push(value(range.key[i], values[i]), value(range.key[i], values[i]));
      return `(${c} ${strict} ? OR (${c} = ? AND ${build(i + 1)}))`;
    };
    parts.push(build(0));
  };
  if (range.after) bound(range.after, '>', '>');
  if (range.upTo) bound(range.upTo, '<', '<=');
  return parts.length ? { sql: parts.join(' AND '), params } : undefined;
}

type RawRow = Array<string | Buffer | null>;

async function rawQuery(
  conn: MysqlConnection,
  sql: string,
  params: unknown[],
  binary: Set<string>,
): Promise<[RawRow[]]> {
  // Key values as the server's text (no JS number rounding of BIGINT UNSIGNED), binary as bytes.
  const [rows] = await conn.query({ sql, rowsAsArray: true, typeCast: rawTypeCast(binary) as never }, params);
  return [rows as unknown as RawRow[]];
}

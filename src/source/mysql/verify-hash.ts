import type { MysqlConnection } from './connect';
import { quoteMysql } from './quote';

/**
 * Row counts and row-hash sums of key segments of a source table, computed by MySQL/MariaDB:
 * the source half of verify's pushdown (its Postgres half: target/postgres/verify/segment-sums.ts,
 * which hashes the same way). Each column's value is turned in SQL into the text Postgres prints
 * for the loaded value (the `kind` says which mapping step is mirrored); a row hashes to the first
 * 15 hex digits of the md5 of its values as `byte length:text` (N for NULL), read as an unsigned
 * integer and summed exactly per segment.
 */
export type MysqlTextKind =
  /** Text as it is (utf8mb4). */
  | 'text'
  /** Text without trailing spaces (a Postgres character(n) column). */
  | 'rtrim'
  /** A number's text, as MySQL prints it (integers; DECIMAL with its scale). */
  | 'number'
  /** Text lower-cased (uuid text into a uuid column). */
  | 'lower'
  /** 0 → f, anything else → t. */
  | 'boolean'
  /** 'YYYY-MM-DD HH:MM:SS[.f]' without trailing fraction zeros. */
  | 'datetime'
  | 'date'
  /** 'HH:MM:SS[.f]' without trailing fraction zeros. */
  | 'time'
  /** Binary as \x and lower-case hex. */
  | 'hex'
  /** Only NULL against not NULL (a column verify cannot compare). */
  | 'presence';

export interface MysqlHashColumn {
  column: string;
  kind: MysqlTextKind;
  /** A zero date ('0000-00-00', a zero month or day) becomes NULL, as the mapping's zeroDate: null does. */
  zeroDateNull?: boolean;
}

export function mysqlHashText(c: MysqlHashColumn): string {
  const x = quoteMysql(c.column);
  const text = (() => {
    switch (c.kind) {
      case 'text':
        return x;
      case 'rtrim':
        return `TRIM(TRAILING ' ' FROM ${x})`;
      case 'number':
        return `CAST(${x} AS CHAR)`;
      case 'lower':
        return `LOWER(${x})`;
      case 'boolean':
        return `CASE WHEN ${x} IS NULL THEN NULL WHEN ${x} = 0 THEN 'f' ELSE 't' END`;
      case 'datetime':
        return `TRIM(TRAILING '.' FROM TRIM(TRAILING '0' FROM DATE_FORMAT(${x}, '%Y-%m-%d %H:%i:%s.%f')))`;
      case 'date':
        return `DATE_FORMAT(${x}, '%Y-%m-%d')`;
      case 'time':
        return `TRIM(TRAILING '.' FROM TRIM(TRAILING '0' FROM TIME_FORMAT(${x}, '%H:%i:%s.%f')))`;
      case 'hex':
        return `CONCAT(CHAR(92 USING utf8mb4), 'x', LOWER(HEX(${x})))`;
      case 'presence':
        return `CASE WHEN ${x} IS NULL THEN NULL ELSE '' END`;
    }
  })();
  // Text that may hold any character is taken as utf8mb4 (its bytes are hashed); the other kinds
  // print ASCII in the connection's utf8mb4 already.
  const t = mysqlFreeText(c.kind) ? `CONVERT(${text} USING utf8mb4)` : text;
  return c.zeroDateNull
    ? `CASE WHEN YEAR(${x}) = 0 OR MONTH(${x}) = 0 OR DAYOFMONTH(${x}) = 0 THEN NULL ELSE ${t} END`
    : t;
}

/** Whether a kind's text may hold any character (then it is hashed with its length, else as it is). */
export function mysqlFreeText(kind: MysqlTextKind): boolean {
  return kind === 'text' || kind === 'rtrim';
}

/**
 * A value in the row's hash: `byte length:text` when the text may hold any character, the text
 * itself when it cannot hold a comma (numbers, dates, hex, t/f); N for NULL; values joined by
 * commas. Computing a value once instead of twice is most of the source's cost.
 */
export interface HashText {
  sql: string;
  free: boolean;
}
const token = (x: HashText) =>
  x.free ? `IFNULL(CONCAT(LENGTH(${x.sql}), ':', ${x.sql}), 'N')` : `IFNULL(${x.sql}, 'N')`;
const concat = (xs: HashText[]) =>
  xs.length > 1 ? `CONCAT_WS(',', ${xs.map(token).join(', ')})` : xs.length ? token(xs[0]) : `''`;
const hash60 = (xs: HashText[]) => `CAST(CONV(SUBSTRING(MD5(${concat(xs)}), 1, 15), 16, 10) AS UNSIGNED)`;
/** The 48-bit bucket hash of a row's key (the same number Postgres computes from the same text). */
const keyHash = (keyTexts: string[]) =>
  `CAST(CONV(SUBSTRING(MD5(${concat(keyTexts.map((sql) => ({ sql, free: true })))}), 1, 12), 16, 10) AS UNSIGNED)`;

export interface MysqlHashSpec {
  table: string;
  /** Hash text expressions (mysqlHashText) of the columns hashed in SQL. */
  texts: HashText[];
  /** Hash text expressions of the key, for hash buckets. */
  keyTexts: string[];
}

/** Integer key ranges [lo, hi] (inclusive), or the 256 hash buckets under one bucket prefix. */
export type MysqlSegments =
  | { mode: 'range'; column: string; ranges: Array<[string, string]> }
  | { mode: 'hash'; modulus: string; prefix: string };

export interface MysqlSegmentSum {
  id: number;
  rows: number;
  sum: bigint;
}

export async function mysqlSegmentSums(
  conn: MysqlConnection,
  spec: MysqlHashSpec,
  seg: MysqlSegments,
): Promise<MysqlSegmentSum[]> {
  const from = quoteMysql(spec.table);
  const sums = `COUNT(*) AS n, CAST(COALESCE(SUM(${hash60(spec.texts)}), 0) AS CHAR) AS s`;
  const out: MysqlSegmentSum[] = [];
  if (seg.mode === 'range') {
    for (let i = 0; i < seg.ranges.length; i++) {
      const [lo, hi] = seg.ranges[i];
      const r = await one(conn, `SELECT ${sums} FROM ${from} WHERE ${rangeSql(seg.column, lo, hi)}`);
      out.push({ id: i, rows: Number(r.n), sum: BigInt(String(r.s)) });
    }
    return out;
  }
  const h = keyHash(spec.keyTexts);
  const [rows] = await conn.query(
    `SELECT (${h} DIV ${int(seg.modulus)}) MOD 256 AS id, ${sums} FROM ${from} WHERE ${bucketSql(h, seg.modulus, seg.prefix)} GROUP BY 1`,
  );
  for (const r of rows as Array<Record<string, unknown>>)
    out.push({ id: Number(r.id), rows: Number(r.n), sum: BigInt(String(r.s)) });
  return out;
}

/** The smallest and largest value of an integer key, as text (null on an empty table). */
export async function mysqlKeyBounds(conn: MysqlConnection, table: string, column: string) {
  const k = quoteMysql(column);
  const r = await one(
    conn,
    `SELECT CAST(MIN(${k}) AS CHAR) AS lo, CAST(MAX(${k}) AS CHAR) AS hi FROM ${quoteMysql(table)}`,
  );
  return { lo: r.lo === null ? null : String(r.lo), hi: r.hi === null ? null : String(r.hi) };
}

/**
 * The condition selecting one segment's rows, for the row reader (which takes none as
 * parameters: bounds are integers, checked here, and written as literals).
 */
export function mysqlSegmentWhere(
  spec: Pick<MysqlHashSpec, 'keyTexts'>,
  seg: { mode: 'range'; column: string; lo: string; hi: string } | { mode: 'hash'; modulus: string; prefix: string },
): string {
  if (seg.mode === 'range') return rangeSql(seg.column, seg.lo, seg.hi);
  return bucketSql(keyHash(spec.keyTexts), seg.modulus, seg.prefix);
}

/** The rows of one key hash bucket; the top bucket (modulus 1) is every row, with no md5 per row to say so. */
const bucketSql = (h: string, modulus: string, prefix: string) =>
  int(modulus) === '1' ? 'TRUE' : `${h} MOD ${int(modulus)} = ${int(prefix)}`;

// Integer literals, not parameters: a BIGINT compared with a string parameter is compared as a
// double, which loses the low digits of large keys.
const rangeSql = (column: string, lo: string, hi: string) =>
  `${quoteMysql(column)} >= ${int(lo)} AND ${quoteMysql(column)} <= ${int(hi)}`;

function int(v: string): string {
  if (!/^-?\d+$/.test(v)) throw new RangeError(`not an integer: ${v}`);
  return v;
}

async function one(conn: MysqlConnection, sql: string): Promise<Record<string, unknown>> {
  const [rows] = await conn.query(sql);
  return (rows as Array<Record<string, unknown>>)[0];
}

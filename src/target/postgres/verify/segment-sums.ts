import type { Client } from 'pg';
import { qualifiedPg, quotePg } from '../connect';

/**
 * Row counts and row-hash sums of key segments of a target table, computed by Postgres.
 * Each row gives two hashes: `a` over the columns the source also hashes in SQL, a 60-bit hash
 * (the first 15 hex digits of an md5, so both engines read it as the same positive integer); `b`
 * over the key and the columns the source hashes on its stream, hashtextextended of the same
 * tokens (64 bits, signed; converge computes it as Postgres does, pg-text-hash.ts: md5 cost more
 * than the rest of a row). Sums are exact (numeric), so a range's
 * sum does not depend on row order. Values are joined by commas; a value that may hold any
 * character is `byte length:text`, so no comma inside it can shift the next one; NULL is N, so
 * NULL, '' and 'N' differ.
 */
export interface PgHashSpec {
  schema: string;
  table: string;
  /** Hash text expressions (hash-text.ts) hashed into `a`, as the source hashes them. */
  sqlTexts: PgHashText[];
  /** Hash text expressions hashed into `b`: the key's first, then the streamed columns'. */
  streamTexts: string[];
  /** Hash text expressions of the key, for hash buckets. */
  keyTexts: string[];
}

/** Integer key ranges [lo, hi] (inclusive), or the 256 hash buckets under one bucket prefix. */
export type PgSegments =
  | { mode: 'range'; column: string; ranges: Array<[string, string]> }
  | { mode: 'hash'; modulus: string; prefix: string };

export interface PgSegmentSum {
  /** The range's index, or the child bucket (0..255). */
  id: number;
  rows: number;
  a: bigint;
  b: bigint;
}

/** A value's hash text, and whether it may hold any character (then it is hashed with its byte length). */
export interface PgHashText {
  sql: string;
  free: boolean;
}
const token = (x: PgHashText) =>
  x.free ? `coalesce(octet_length(${x.sql})::text || ':' || ${x.sql}, 'N')` : `coalesce(${x.sql}, 'N')`;
const concat = (xs: PgHashText[]) => (xs.length ? xs.map(token).join(` || ',' || `) : `''`);
const hash60 = (xs: PgHashText[]) => `('x' || substr(md5(${concat(xs)}), 1, 15))::bit(60)::bigint`;
/** The streamed half's row hash: the tokens' bytes through Postgres's own 64-bit text hash (converge: verify/pg-text-hash.ts). */
const textHash = (xs: PgHashText[]) => `hashtextextended((${concat(xs)}) COLLATE "C", 0)`;
const free = (xs: string[]) => xs.map((sql) => ({ sql, free: true }));
/** The 48-bit bucket hash of a row's key. */
export const pgKeyHash = (keyTexts: string[]) =>
  `('x' || substr(md5(${concat(free(keyTexts))}), 1, 12))::bit(48)::bigint`;

export async function pgSegmentSums(pg: Client, spec: PgHashSpec, seg: PgSegments): Promise<PgSegmentSum[]> {
  const from = qualifiedPg(spec.schema, spec.table);
  // Each hash text is computed once per row, in an inner query the planner keeps apart (OFFSET 0):
  // a free text is named twice (its length, then itself), and a jsonb's text is most of a row's cost.
  const texts = [...new Set([...spec.sqlTexts.map((x) => x.sql), ...spec.streamTexts, ...spec.keyTexts])];
  const alias = (sql: string) => `h${texts.indexOf(sql)}`;
  const inner = (where: string) =>
    `(SELECT ${texts.map((t, i) => `${t} AS h${i}`).join(', ')} FROM ${from} WHERE ${where} OFFSET 0) s`;
  const sqlTexts = spec.sqlTexts.map((x) => ({ sql: alias(x.sql), free: x.free }));
  const sums = `count(*)::text AS n, coalesce(sum(${hash60(sqlTexts)}), 0)::text AS a, coalesce(sum(${spec.streamTexts.length ? textHash(free(spec.streamTexts.map(alias))) : '0'}), 0)::text AS b`;
  const out: PgSegmentSum[] = [];
  if (seg.mode === 'range') {
    const k = quotePg(seg.column);
    const sql = `SELECT ${sums} FROM ${inner(`${k} >= $1 AND ${k} <= $2`)}`;
    for (let i = 0; i < seg.ranges.length; i++) {
      const r = (await pg.query(sql, seg.ranges[i])).rows[0];
      out.push({ id: i, rows: Number(r.n), a: BigInt(r.a), b: BigInt(r.b) });
    }
    return out;
  }
  // The top bucket (modulus 1) is every row: no key hash per row to say so.
  const top = seg.modulus === '1';
  const where = top ? 'TRUE' : `(${pgKeyHash(spec.keyTexts)}) % $1::bigint = $2::bigint`;
  const rows = (
    await pg.query(
      `SELECT ((${pgKeyHash(spec.keyTexts.map(alias))}) / $1::bigint) % 256 AS id, ${sums} FROM ${inner(where)} GROUP BY 1`,
      top ? [seg.modulus] : [seg.modulus, seg.prefix],
    )
  ).rows;
  for (const r of rows) out.push({ id: Number(r.id), rows: Number(r.n), a: BigInt(r.a), b: BigInt(r.b) });
  return out;
}

/** The smallest and largest value of an integer key, as text (null on an empty table). */
export async function pgKeyBounds(pg: Client, schema: string, table: string, column: string) {
  const k = quotePg(column);
  const r = (await pg.query(`SELECT min(${k})::text AS lo, max(${k})::text AS hi FROM ${qualifiedPg(schema, table)}`))
    .rows[0];
  return { lo: r.lo as string | null, hi: r.hi as string | null };
}

/**
 * The WHERE condition that selects one segment's rows, for fetching them with COPY (which takes
 * no parameters: the bounds are integers, checked here, and written as literals).
 */
export function pgSegmentWhere(
  spec: Pick<PgHashSpec, 'keyTexts'>,
  seg: { mode: 'range'; column: string; lo: string; hi: string } | { mode: 'hash'; modulus: string; prefix: string },
): string {
  if (seg.mode === 'range') {
    const k = quotePg(seg.column);
    return `${k} >= ${int(seg.lo)} AND ${k} <= ${int(seg.hi)}`;
  }
  // The top bucket (modulus 1) is every row: no md5 per row to say so.
  if (int(seg.modulus) === '1') return 'TRUE';
  return `(${pgKeyHash(spec.keyTexts)}) % ${int(seg.modulus)} = ${int(seg.prefix)}`;
}

function int(v: string): string {
  if (!/^-?\d+$/.test(v)) throw new RangeError(`not an integer: ${v}`);
  return v;
}

/** hashtextextended of a text in this session, for verify to check converge computes the same. */
export async function pgTextHashOf(pg: Client, text: string): Promise<string> {
  return (await pg.query(`SELECT hashtextextended($1::text COLLATE "C", 0)::text AS h`, [text])).rows[0].h as string;
}

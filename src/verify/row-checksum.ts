import { createHash, hash } from 'node:crypto';
import type { Canon } from './canonical';

const MASK = (1n << 64n) - 1n;

/**
 * An order-independent checksum of a table: the sum (mod 2^64) of a 64-bit hash of every row's
 * canonical values, with the row count. Two tables agree only if they hold the same multiset of
 * rows (up to a 2^-64 collision chance). NULL and '' hash differently.
 */
export class TableChecksum {
  sum = 0n;
  rows = 0;

  constructor(private readonly canon: Canon[]) {}

  add(fields: ReadonlyArray<string | null>): void {
    this.sum = (this.sum + rowHash(fields, this.canon)) & MASK;
    this.rows++;
  }

  hex(): string {
    return this.sum.toString(16).padStart(16, '0');
  }
}

export function rowHash(fields: ReadonlyArray<string | null>, canon: Canon[]): bigint {
  const h = createHash('sha1');
  for (let i = 0; i < fields.length; i++) {
    const v = fields[i];
    h.update(v === null ? '\u0000N\u0001' : canon[i](v) + '\u0001');
  }
  return h.digest().readBigUInt64BE(0);
}

/**
 * The pushdown's row hash, as both databases compute it in SQL (source/mysql/verify-hash.ts,
 * target/postgres/verify/segment-sums.ts): md5 of the values as `byte length:text` (N for
 * NULL) joined by commas, its first 15 hex digits as a positive integer.
 */
export function hash60(texts: ReadonlyArray<string | null>): bigint {
  return md5Tokens(texts).readBigUInt64BE(0) >> 4n;
}

/** The key's bucket hash: the first 12 hex digits of the same md5 over the key's values. */
export function keyHash48(texts: ReadonlyArray<string | null>): bigint {
  return md5Tokens(texts).readBigUInt64BE(0) >> 16n;
}

/** Every value with its byte length (the streamed values may hold any character), joined by commas. */
function md5Tokens(texts: ReadonlyArray<string | null>): Buffer {
  // One string, one one-shot hash: a hash object per row costs more than building the text.
  let s = '';
  for (let i = 0; i < texts.length; i++) {
    const x = texts[i];
    if (i) s += ',';
    s += x === null ? 'N' : `${Buffer.byteLength(x)}:${x}`;
  }
  return hash('md5', s, 'buffer');
}

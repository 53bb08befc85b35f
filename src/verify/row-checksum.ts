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
 * The key's bucket hash, as both databases compute it in SQL (source/mysql/verify-hash.ts,
 * target/postgres/verify/segment-sums.ts): the first 12 hex digits of the md5 of the key's tokens.
 */
export function keyHash48(texts: ReadonlyArray<string | null>): bigint {
  return md5Tokens(texts).readBigUInt64BE(0) >> 16n;
}

/** Every value with its byte length (the streamed values may hold any character), joined by commas. */
function md5Tokens(texts: ReadonlyArray<string | null>): Buffer {
  // One string, one one-shot hash: a hash object per row costs more than building the text.
  return hash('md5', hashTokens(texts), 'buffer');
}

/** A row's values as the pushdown hashes them: `byte length:text` (N for NULL), joined by commas. */
export function hashTokens(texts: ReadonlyArray<string | null>): string {
  let s = '';
  for (let i = 0; i < texts.length; i++) {
    const x = texts[i];
    if (i) s += ',';
    s += x === null ? 'N' : `${Buffer.byteLength(x)}:${x}`;
  }
  return s;
}

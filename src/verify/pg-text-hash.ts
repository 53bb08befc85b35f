/**
 * Postgres's hashtextextended(text COLLATE "C", 0) computed in converge: Bob Jenkins' lookup3 as
 * Postgres's hash_bytes_extended writes it (src/common/hashfn.c), over the text's UTF-8 bytes,
 * read as a signed 64-bit integer. The streamed half of verify's row hashes uses it on both sides:
 * Postgres computes it for the cost of reading the bytes, where md5 cost more than every other
 * step of a row together, and so does this thread. Postgres reads the bytes in its machine's byte
 * order: a big-endian server gives other numbers, which verify checks before it relies on them
 * (pgTextHashProbe).
 */

const rot = (x: number, k: number) => (x << k) | (x >>> (32 - k));

/** Bytes the rows of a batch are written into (grown when a row needs more). */
let buf = Buffer.alloc(1 << 16);

/** The hash of `text`'s UTF-8 bytes as two 32-bit halves: high in hi, low in lo (both unsigned). */
export function pgTextHash(text: string, out: { hi: number; lo: number }): void {
  if (text.length * 3 > buf.length) buf = Buffer.alloc(text.length * 3 + 1024);
  const len = buf.write(text, 0, 'utf8');
  hashBytes(buf, len, out);
}

/** hash_bytes_extended(k, len, 0), little-endian reads. */
export function hashBytes(k: Uint8Array, keylen: number, out: { hi: number; lo: number }): void {
  let a = (0x9e3779b9 + keylen + 3923095) | 0;
  let b = a;
  let c = a;
  let i = 0;
  let len = keylen;
  while (len >= 12) {
    a = (a + (k[i] | (k[i + 1] << 8) | (k[i + 2] << 16) | (k[i + 3] << 24))) | 0;
    b = (b + (k[i + 4] | (k[i + 5] << 8) | (k[i + 6] << 16) | (k[i + 7] << 24))) | 0;
    c = (c + (k[i + 8] | (k[i + 9] << 8) | (k[i + 10] << 16) | (k[i + 11] << 24))) | 0;
    // mix(a, b, c)
    a = (a - c) | 0;
    a ^= rot(c, 4);
    c = (c + b) | 0;
    b = (b - a) | 0;
    b ^= rot(a, 6);
    a = (a + c) | 0;
    c = (c - b) | 0;
    c ^= rot(b, 8);
    b = (b + a) | 0;
    a = (a - c) | 0;
    a ^= rot(c, 16);
    c = (c + b) | 0;
    b = (b - a) | 0;
    b ^= rot(a, 19);
    a = (a + c) | 0;
    c = (c - b) | 0;
    c ^= rot(b, 4);
    b = (b + a) | 0;
    i += 12;
    len -= 12;
  }
  // The last 0 to 11 bytes (Postgres's switch that falls through); c's lowest byte stays free.
  if (len >= 11) c = (c + (k[i + 10] << 24)) | 0;
  if (len >= 10) c = (c + (k[i + 9] << 16)) | 0;
  if (len >= 9) c = (c + (k[i + 8] << 8)) | 0;
  if (len >= 8) b = (b + (k[i + 7] << 24)) | 0;
  if (len >= 7) b = (b + (k[i + 6] << 16)) | 0;
  if (len >= 6) b = (b + (k[i + 5] << 8)) | 0;
  if (len >= 5) b = (b + k[i + 4]) | 0;
  if (len >= 4) a = (a + (k[i + 3] << 24)) | 0;
  if (len >= 3) a = (a + (k[i + 2] << 16)) | 0;
  if (len >= 2) a = (a + (k[i + 1] << 8)) | 0;
  if (len >= 1) a = (a + k[i]) | 0;
  // final(a, b, c)
  c ^= b;
  c = (c - rot(b, 14)) | 0;
  a ^= c;
  a = (a - rot(c, 11)) | 0;
  b ^= a;
  b = (b - rot(a, 25)) | 0;
  c ^= b;
  c = (c - rot(b, 16)) | 0;
  a ^= c;
  a = (a - rot(c, 4)) | 0;
  b ^= a;
  b = (b - rot(a, 14)) | 0;
  c ^= b;
  c = (c - rot(b, 24)) | 0;
  out.hi = b >>> 0;
  out.lo = c >>> 0;
}

/** The hash as Postgres returns it (bigint, signed). */
export function pgTextHash64(text: string): bigint {
  const h = { hi: 0, lo: 0 };
  pgTextHash(text, h);
  return BigInt.asIntN(64, (BigInt(h.hi) << 32n) | BigInt(h.lo));
}

/** A text whose hash verify asks Postgres for before relying on its hashes being converge's. */
export const PG_TEXT_HASH_PROBE = 'converge verify: 12 bytes, then 11 more, é ✓ 🎉';

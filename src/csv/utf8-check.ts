import { isUtf8 } from 'node:buffer';

/**
 * The end of the last whole UTF-8 character in b: b.length, or the start of a character whose
 * bytes continue in the next block. A malformed tail is left in place for isUtf8 to refuse.
 */
export function completeUtf8End(b: Buffer): number {
  const n = b.length;
  for (let k = 1; k <= 3 && k <= n; k++) {
    const c = b[n - k];
    if ((c & 0xc0) === 0x80) continue;
    // 0xF8 and up never start a character: not cut, just wrong.
    if (c >= 0xf8) return n;
    const need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
    return need > k ? n - k : n;
  }
  return n;
}

/**
 * Where b (known to be invalid UTF-8) first goes wrong: the longest prefix that is valid, a cut
 * last character allowed, found by halving with the native check. Errors name this byte's line.
 */
export function firstInvalidUtf8(b: Buffer): number {
  let lo = 0;
  let hi = b.length;
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    const prefix = b.subarray(0, mid);
    if (isUtf8(prefix.subarray(0, completeUtf8End(prefix)))) lo = mid;
    else hi = mid;
  }
  // The longest good prefix may end inside the character that goes wrong: return its start.
  return completeUtf8End(b.subarray(0, lo));
}

/**
 * Byte-level twins of the string transforms' "already canonical" checks, for the raw-CSV fast path.
 *
 * Each checker answers "would the string transform return this exact value unchanged, without
 * throwing?" for the bytes b[s, e) of one CSV field. A true lets the caller copy the raw bytes
 * without decoding them; a false only costs the slow path, so when in doubt a checker says false.
 * The range is valid UTF-8 (checked earlier), so any byte >= 0x80 belongs to a non-ASCII character,
 * which none of the ASCII-only grammars here accept outside a JSON string.
 *
 * Nothing here allocates per value: these run on every field of every row.
 */

const DASH = 0x2d;
const COLON = 0x3a;
const DOT = 0x2e;
const SPACE = 0x20;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** Mirrors uuidFromText's no-op case (isLowerUuid): upper-case input is rewritten, so it is not a match. */
export function isLowerUuidBytes(b: Buffer, s: number, e: number): boolean {
  if (e - s !== 36) return false;
  for (let i = 0; i < 36; i++) {
    const c = b[s + i];
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (c !== DASH) return false;
    } else if (!((c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66))) return false;
  }
  return true;
}

/**
 * Mirrors isCanonicalDateTime in timestamp.ts: makeTimestamp('UTC') returns such a value as is.
 * Zero dates fail the month/day range checks, so they fall back to the string path and its policy.
 */
export function isCanonicalDateTimeBytes(b: Buffer, s: number, e: number): boolean {
  const n = e - s;
  if (n !== 19 && (n < 21 || n > 26)) return false;
  if (b[s + 4] !== DASH || b[s + 7] !== DASH || b[s + 10] !== SPACE || b[s + 13] !== COLON || b[s + 16] !== COLON)
    return false;
  const Y = num(b, s, 4),
    M = num(b, s + 5, 2),
    D = num(b, s + 8, 2);
  const H = num(b, s + 11, 2),
    I = num(b, s + 14, 2),
    S = num(b, s + 17, 2);
  if (Y < 0 || M < 1 || M > 12 || D < 1 || H < 0 || H > 23 || I < 0 || I > 59 || S < 0 || S > 59 || D > daysIn(Y, M))
    return false;
  if (n === 19) return true;
  // A bare '.' with no digits is not a fraction (n === 20 was rejected above).
  if (b[s + 19] !== DOT) return false;
  return num(b, s + 20, n - 20) >= 0;
}

/**
 * 'YYYY-MM-DD' that dateValue accepts and that is not a zero date. Year 0000 passes dateValue but
 * isZeroDate claims it for the zero-date policy, so it must take the string path.
 */
export function isPlainDateBytes(b: Buffer, s: number, e: number): boolean {
  if (e - s !== 10 || b[s + 4] !== DASH || b[s + 7] !== DASH) return false;
  const Y = num(b, s, 4),
    M = num(b, s + 5, 2),
    D = num(b, s + 8, 2);
  return Y > 0 && M >= 1 && M <= 12 && D >= 1 && D <= daysIn(Y, M);
}

/** /^-?\d+$/ (integerValue). */
export function isIntegerBytes(b: Buffer, s: number, e: number): boolean {
  let i = s;
  if (i < e && b[i] === DASH) i++;
  if (i >= e) return false;
  for (; i < e; i++) if (!isDigit(b[i])) return false;
  return true;
}

/** /^-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/ (numericValue; floatValue accepts a superset). */
export function isNumericBytes(b: Buffer, s: number, e: number): boolean {
  let i = s;
  if (i < e && b[i] === DASH) i++;
  const intStart = i;
  while (i < e && isDigit(b[i])) i++;
  const intDigits = i - intStart;
  if (i < e && b[i] === DOT) {
    i++;
    const fracStart = i;
    while (i < e && isDigit(b[i])) i++;
    // '1.' is fine, '.5' is fine, '.' alone is not.
    if (intDigits === 0 && i === fracStart) return false;
  } else if (intDigits === 0) return false;
  if (i < e && (b[i] === 0x65 || b[i] === 0x45)) {
    i++;
    if (i < e && (b[i] === 0x2b || b[i] === DASH)) i++;
    const expStart = i;
    while (i < e && isDigit(b[i])) i++;
    if (i === expStart) return false;
  }
  return i === e;
}

/** /^\\x([0-9a-fA-F]{2})*$/ (byteaValue). */
export function isHexByteaBytes(b: Buffer, s: number, e: number): boolean {
  if (e - s < 2 || (e - s) % 2 !== 0 || b[s] !== BACKSLASH || b[s + 1] !== 0x78) return false;
  for (let i = s + 2; i < e; i++) if (!isHex(b[i])) return false;
  return true;
}

/**
 * Whether textValue would reject the value: in valid UTF-8 a 0x00 byte is exactly U+0000.
 * indexOf runs natively; the range bound is applied to its answer instead of slicing the buffer.
 */
export function hasNulByte(b: Buffer, s: number, e: number): boolean {
  if (s >= e) return false;
  const at = b.indexOf(0, s);
  return at >= 0 && at < e;
}

const IN_ARRAY = 1;
const IN_OBJECT = 2;

/**
 * Open containers of the JSON being checked. Shared and grown on demand so a deep document costs
 * no recursion (100000 '[' must not overflow the call stack) and a shallow one no allocation.
 */
let stack = new Uint8Array(256);

/**
 * Whether jsonValue(v, jsonb) returns v, where v is the UTF-8 text of b[s, e) with each '""' read as
 * one '"' when doubledQuotes (a quoted CSV field with its escaping still in place). A lone '"' in
 * doubled mode means the range is not a well-formed CSV field: false.
 *
 * The grammar is JSON.parse's (ECMA-404): V8 accepts exactly this and nothing more, so a true here
 * means JSON.parse succeeds. With jsonb, a \u0000 escape is refused as jsonValue refuses it.
 */
export function isValidJsonBytes(b: Buffer, s: number, e: number, doubledQuotes: boolean, jsonb: boolean): boolean {
  let depth = 0;
  let i = skipWs(b, s, e);
  for (;;) {
    // A value starts at i.
    if (i >= e) return false;
    const c = b[i];
    if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (depth === stack.length) growStack();
      stack[depth++] = c === 0x5b ? IN_ARRAY : IN_OBJECT;
      i = skipWs(b, i + 1, e);
      if (i >= e) return false;
      if (b[i] === (c === 0x5b ? 0x5d : 0x7d)) {
        depth--;
        i++;
      } else {
        if (c === 0x7b) {
          i = memberKey(b, i, e, doubledQuotes, jsonb);
          if (i < 0) return false;
        }
        continue;
      }
    } else if (c === QUOTE) {
      i = string(b, i, e, doubledQuotes, jsonb);
      if (i < 0) return false;
    } else if (c === DASH || isDigit(c)) {
      i = number(b, i, e);
      if (i < 0) return false;
    } else if (c === 0x74 /* t */) {
      if (!(i + 4 <= e && b[i + 1] === 0x72 && b[i + 2] === 0x75 && b[i + 3] === 0x65)) return false;
      i += 4;
    } else if (c === 0x66 /* f */) {
      if (!(i + 5 <= e && b[i + 1] === 0x61 && b[i + 2] === 0x6c && b[i + 3] === 0x73 && b[i + 4] === 0x65))
        return false;
      i += 5;
    } else if (c === 0x6e /* n */) {
      if (!(i + 4 <= e && b[i + 1] === 0x75 && b[i + 2] === 0x6c && b[i + 3] === 0x6c)) return false;
      i += 4;
    } else return false;

    // A value ended just before i: close containers until one wants another element.
    for (;;) {
      i = skipWs(b, i, e);
      if (depth === 0) return i === e;
      if (i >= e) return false;
      const d = b[i];
      const top = stack[depth - 1];
      if (d === 0x2c /* , */) {
        i = skipWs(b, i + 1, e);
        if (top === IN_OBJECT) {
          i = memberKey(b, i, e, doubledQuotes, jsonb);
          if (i < 0) return false;
        }
        break;
      }
      if (d !== (top === IN_ARRAY ? 0x5d /* ] */ : 0x7d) /* } */) return false;
      depth--;
      i++;
    }
  }
}

function growStack(): void {
  const bigger = new Uint8Array(stack.length * 2);
  bigger.set(stack);
  stack = bigger;
}

/** `"key" :` plus the whitespace after it; returns where the member's value starts, or -1. */
function memberKey(b: Buffer, i: number, e: number, dq: boolean, jsonb: boolean): number {
  if (i >= e || b[i] !== QUOTE) return -1;
  i = string(b, i, e, dq, jsonb);
  if (i < 0) return -1;
  i = skipWs(b, i, e);
  if (i >= e || b[i] !== COLON) return -1;
  return skipWs(b, i + 1, e);
}

/** One logical '"' at i (two bytes when doubled); the index after it, or -1 for a lone quote. */
function quote(b: Buffer, i: number, e: number, dq: boolean): number {
  if (!dq) return i + 1;
  return i + 1 < e && b[i + 1] === QUOTE ? i + 2 : -1;
}

/** A JSON string opening at i; the index after its closing quote, or -1. */
function string(b: Buffer, i: number, e: number, dq: boolean, jsonb: boolean): number {
  i = quote(b, i, e, dq);
  if (i < 0) return -1;
  while (i < e) {
    const c = b[i];
    if (c === QUOTE) return quote(b, i, e, dq);
    if (c < 0x20) return -1;
    if (c !== BACKSLASH) {
      i++;
      continue;
    }
    if (i + 1 >= e) return -1;
    const x = b[i + 1];
    if (x === QUOTE) {
      // The escaped quote is still CSV-escaped too: \"" in doubled mode.
      i = quote(b, i + 1, e, dq);
      if (i < 0) return -1;
    } else if (x === BACKSLASH || x === 0x2f || x === 0x62 || x === 0x66 || x === 0x6e || x === 0x72 || x === 0x74) {
      i += 2;
    } else if (x === 0x75 /* u */) {
      if (i + 6 > e || !isHex(b[i + 2]) || !isHex(b[i + 3]) || !isHex(b[i + 4]) || !isHex(b[i + 5])) return -1;
      // jsonb cannot store U+0000; lone surrogates are JSON.parse's business and it takes them.
      if (jsonb && b[i + 2] === 0x30 && b[i + 3] === 0x30 && b[i + 4] === 0x30 && b[i + 5] === 0x30) return -1;
      i += 6;
    } else return -1;
  }
  return -1;
}

/** -?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)? at i; the index after it, or -1. What follows is the caller's. */
function number(b: Buffer, i: number, e: number): number {
  if (b[i] === DASH) i++;
  if (i >= e) return -1;
  if (b[i] === 0x30) i++;
  else if (b[i] >= 0x31 && b[i] <= 0x39) {
    i++;
    while (i < e && isDigit(b[i])) i++;
  } else return -1;
  if (i < e && b[i] === DOT) {
    i++;
    const start = i;
    while (i < e && isDigit(b[i])) i++;
    if (i === start) return -1;
  }
  if (i < e && (b[i] === 0x65 || b[i] === 0x45)) {
    i++;
    if (i < e && (b[i] === 0x2b || b[i] === DASH)) i++;
    const start = i;
    while (i < e && isDigit(b[i])) i++;
    if (i === start) return -1;
  }
  return i;
}

/** JSON whitespace is exactly these four; JSON.parse rejects a BOM or U+00A0. */
function skipWs(b: Buffer, i: number, e: number): number {
  while (i < e) {
    const c = b[i];
    if (c !== SPACE && c !== 0x09 && c !== 0x0a && c !== 0x0d) break;
    i++;
  }
  return i;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);
}

/** The decimal number in b[i, i+len), or -1 when a byte is not an ASCII digit. */
function num(b: Buffer, i: number, len: number): number {
  let x = 0;
  for (let k = i; k < i + len; k++) {
    const c = b[k] - 0x30;
    if (!(c >= 0 && c <= 9)) return -1;
    x = x * 10 + c;
  }
  return x;
}

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** As timestamp.ts counts them: proleptic Gregorian, year 0 is leap. */
function daysIn(y: number, m: number): number {
  return m === 2 && y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : DAYS[m - 1];
}

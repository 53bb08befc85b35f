/**
 * The quoting rule of csv-encode.ts, on bytes, for the writer that copies values from MySQL
 * packets without decoding them (csv-row-writer.ts).
 */
export const QUOTE = 0x22;
export const COMMA = 0x2c;
export const LF = 0x0a;
export const CR = 0x0d;

/** A value holding '"', ',', LF or CR, or exactly `\.`, is quoted. */
export function needsQuotes(b: Buffer, start: number, end: number): boolean {
  const len = end - start;
  if (len === 2 && b[start] === 0x5c && b[start + 1] === 0x2e) return true;
  if (len < 64) {
    for (let i = start; i < end; i++) {
      const c = b[i];
      if (c === QUOTE || c === COMMA || c === LF || c === CR) return true;
    }
    return false;
  }
  // indexOf from `start` (no subarray object per value); a hit past `end` is another value's.
  return (
    within(b, QUOTE, start, end) ||
    within(b, COMMA, start, end) ||
    within(b, LF, start, end) ||
    within(b, CR, start, end)
  );
}

function within(b: Buffer, c: number, start: number, end: number): boolean {
  const at = b.indexOf(c, start);
  return at !== -1 && at < end;
}

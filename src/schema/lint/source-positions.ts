/**
 * Converts between the three ways a position in SQL text gets counted. The parser reports AST
 * locations in UTF-8 bytes and error cursors in characters (code points), while JavaScript
 * indexes UTF-16 code units; a migration with an "é" in a comment would otherwise put every
 * later finding on the wrong column.
 */
export class SourcePositions {
  /** bytesBefore[i]: UTF-8 bytes before UTF-16 index i; likewise for code points and lines. */
  private readonly bytesBefore: Uint32Array;
  private readonly codePointsBefore: Uint32Array;
  private readonly lineStarts: number[] = [0];

  constructor(private readonly text: string) {
    const n = text.length;
    this.bytesBefore = new Uint32Array(n + 1);
    this.codePointsBefore = new Uint32Array(n + 1);
    let bytes = 0;
    let points = 0;
    for (let i = 0; i < n; i++) {
      this.bytesBefore[i] = bytes;
      this.codePointsBefore[i] = points;
      const c = text.charCodeAt(i);
      if (c >= 0xdc00 && c <= 0xdfff && i > 0 && isHighSurrogate(text.charCodeAt(i - 1))) {
        // The low half of a pair: the high half already counted the 4 bytes and the code point.
      } else if (isHighSurrogate(c) && i + 1 < n) {
        bytes += 4;
        points += 1;
      } else {
        bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
        points += 1;
      }
      if (c === 10) this.lineStarts.push(i + 1);
    }
    this.bytesBefore[n] = bytes;
    this.codePointsBefore[n] = points;
  }

  /** The JS index of a UTF-8 byte offset counted from the JS index `from`. */
  indexOfByte(byteOffset: number, from = 0): number {
    return lowerBound(this.bytesBefore, this.bytesBefore[from] + byteOffset);
  }

  /** The JS index of a code-point offset counted from the JS index `from`. */
  indexOfCodePoint(pointOffset: number, from = 0): number {
    return lowerBound(this.codePointsBefore, this.codePointsBefore[from] + pointOffset);
  }

  /** 1-based line and column (in code points) of a JS index. */
  lineColumn(index: number): { line: number; column: number } {
    const i = Math.max(0, Math.min(index, this.text.length));
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid] <= i) lo = mid;
      else hi = mid - 1;
    }
    const column = this.codePointsBefore[i] - this.codePointsBefore[this.lineStarts[lo]] + 1;
    return { line: lo + 1, column };
  }
}

function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}

/** The first index whose prefix count reaches `target` (counts never decrease). */
function lowerBound(counts: Uint32Array, target: number): number {
  let lo = 0;
  let hi = counts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (counts[mid] < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

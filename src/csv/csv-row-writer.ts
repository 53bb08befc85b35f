/**
 * converge's CSV dialect (csv/csv-encode.ts) written into byte chunks: the one byte-level
 * encoder, used by the export (values copied from the MySQL packet, binary as \x hex) and by
 * migrate's direct path (a value the mapping left unchanged copied as bytes, anything else
 * written from its string once, without a per-row line string, a per-chunk join or a second
 * UTF-8 encode). Text values are never decoded to JS strings and encoded back where they need
 * not be: a 1 MB JSON value took ~100 ms to quote as a string, ~2 ms as bytes. Output is
 * byte-identical to encodeRecord on the decoded values. A hot loop, hence one longer file.
 */
import { COMMA, LF, needsQuotes, QUOTE } from './csv-bytes-quoting';

const CHUNK = 1 << 18;

type WriteBuffer = Buffer & { utf8Write(s: string, offset: number): number };

export class CsvRowWriter {
  private buf = Buffer.allocUnsafe(CHUNK) as WriteBuffer;
  private pos = 0;
  /** New lines inside the current record's quoted values (Postgres counts physical lines). */
  private rowBreaks = 0;

  /** Time to take(): half the chunk is used (the rest leaves room for the next record). */
  get full(): boolean {
    return this.pos >= CHUNK >> 1;
  }

  /** New lines inside quoted values of the record being written. */
  get breaks(): number {
    return this.rowBreaks;
  }

  /** Bytes written and not yet taken. */
  get length(): number {
    return this.pos;
  }

  /** Bytes as they are (a header line). */
  bytes(b: Buffer): void {
    this.ensure(b.length);
    this.pos += b.copy(this.buf, this.pos);
  }

  /** Field i as binary: `\x` + lower-case hex of src[start, end) (bytea's input form). */
  hex(i: number, src: Buffer, start: number, end: number): void {
    this.ensure(3 + (end - start) * 2);
    if (i > 0) this.buf[this.pos++] = COMMA;
    this.buf[this.pos++] = 0x5c; // backslash
    this.buf[this.pos++] = 0x78; // x
    if (end > start) this.pos += this.buf.write(src.toString('hex', start, end), this.pos, 'latin1');
  }

  /** Field i is NULL: an empty unquoted field. */
  nul(i: number): void {
    if (i > 0) this.byte(COMMA);
  }

  /** Field i from a JS string. */
  text(i: number, v: string): void {
    const n = v.length;
    this.ensure(n * 3 + 3);
    const b = this.buf;
    if (i > 0) b[this.pos++] = COMMA;
    if (n === 0) {
      b[this.pos++] = QUOTE;
      b[this.pos++] = QUOTE;
      return;
    }
    let quote = n === 2 && v === '\\.';
    for (let k = 0; k < n && !quote; k++) {
      const c = v.charCodeAt(k);
      if (c <= 44 && (c === 44 || c === 34 || c === 10 || c === 13)) quote = true;
    }
    if (!quote) {
      this.pos += b.utf8Write(v, this.pos);
      return;
    }
    for (let k = v.indexOf('\n'); k !== -1; k = v.indexOf('\n', k + 1)) this.rowBreaks++;
    const q = v.indexOf('"') === -1 ? v : v.replaceAll('"', '""');
    this.ensure(q.length * 3 + 2);
    this.buf[this.pos++] = QUOTE;
    this.pos += this.buf.utf8Write(q, this.pos);
    this.buf[this.pos++] = QUOTE;
  }

  /** Field i as the UTF-8 bytes src[start, end) (a value the mapping did not change). */
  raw(i: number, src: Buffer, start: number, end: number): void {
    const len = end - start;
    this.ensure(len * 2 + 3);
    const out = this.buf;
    let p = this.pos;
    if (i > 0) out[p++] = COMMA;
    if (len === 0) {
      out[p++] = QUOTE;
      out[p++] = QUOTE;
    } else if (!needsQuotes(src, start, end)) {
      if (len < 32) for (let k = start; k < end; k++) out[p++] = src[k];
      else p += src.copy(out, p, start, end);
    } else {
      out[p++] = QUOTE;
      // A plain loop: JSON has a quote every few bytes, and a native call per quote costs more.
      for (let k = start; k < end; k++) {
        const c = src[k];
        out[p++] = c;
        if (c === QUOTE) out[p++] = QUOTE;
        else if (c === LF) this.rowBreaks++;
      }
      out[p++] = QUOTE;
    }
    this.pos = p;
  }

  endRow(): void {
    this.byte(LF);
    this.rowBreaks = 0;
  }

  /** Everything written since the last take; undefined when nothing was. */
  take(): Buffer | undefined {
    if (this.pos === 0) return undefined;
    const out = this.buf.subarray(0, this.pos);
    this.buf = Buffer.allocUnsafe(CHUNK) as WriteBuffer;
    this.pos = 0;
    return out;
  }

  private byte(c: number): void {
    if (this.pos === this.buf.length) this.ensure(1);
    this.buf[this.pos++] = c;
  }

  /** Room for `need` more bytes: a record never spans two chunks, so the buffer grows instead. */
  private ensure(need: number): void {
    if (this.pos + need <= this.buf.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + need)) as WriteBuffer;
    this.buf.copy(bigger, 0, 0, this.pos);
    this.buf = bigger;
  }
}

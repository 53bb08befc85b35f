/**
 * converge's CSV dialect (see csv/csv-encode.ts) written straight from the driver's bytes into
 * large output buffers: text values are never decoded to JS strings and encoded back, which is
 * where an export spent most of its time (a 1 MB JSON value took ~100 ms to quote as a string,
 * ~2 ms as bytes). The output is byte-identical to encodeRecord on the decoded values.
 * A hot loop, hence one longer file.
 */
import { COMMA, LF, needsQuotes, QUOTE } from '../csv/csv-bytes-quoting';

const BLOCK = 1 << 18;

export class CsvBytesWriter {
  private buf = Buffer.allocUnsafe(BLOCK);
  private pos = 0;
  private readonly full: Buffer[] = [];
  private fullBytes = 0;

  /** `hex[i]`: column i is binary, written as \x + hex. */
  constructor(private readonly hex: boolean[]) {}

  /** Bytes buffered and not yet taken. */
  get length(): number {
    return this.pos + this.fullBytes;
  }

  /** Appends one record; values are raw bytes (UTF-8 text or binary), strings, or null. */
  row(values: ReadonlyArray<Buffer | string | null>): void {
    for (let i = 0; i < this.hex.length; i++) {
      const v = values[i];
      if (v === null || v === undefined) this.field(i, null, 0, 0);
      else {
        const b = typeof v === 'string' ? Buffer.from(v, 'utf8') : v;
        this.field(i, b, 0, b.length);
      }
    }
    this.endRow();
  }

  /** Appends field i of the current record: src[start, end), or NULL when src is null. */
  field(i: number, src: Buffer | null, start: number, end: number): void {
    if (i > 0) this.byte(COMMA);
    if (src === null) return;
    if (this.hex[i]) this.hexField(src, start, end);
    else this.textField(src, start, end);
  }

  endRow(): void {
    this.byte(LF);
  }

  /** Appends bytes as they are (the header line). */
  raw(b: Buffer): void {
    this.ensure(b.length);
    this.pos += b.copy(this.buf, this.pos);
  }

  /** Hands over everything written so far as buffers, in order. */
  take(): Buffer[] {
    const out = this.full.splice(0);
    this.fullBytes = 0;
    if (this.pos > 0) {
      out.push(this.buf.subarray(0, this.pos));
      this.buf = Buffer.allocUnsafe(BLOCK);
      this.pos = 0;
    }
    return out;
  }

  private byte(c: number): void {
    if (this.pos === this.buf.length) this.ensure(1);
    this.buf[this.pos++] = c;
  }

  private ensure(need: number): void {
    if (this.pos + need <= this.buf.length) return;
    if (this.pos > 0) {
      this.full.push(this.buf.subarray(0, this.pos));
      this.fullBytes += this.pos;
    }
    this.buf = Buffer.allocUnsafe(Math.max(BLOCK, need));
    this.pos = 0;
  }

  private hexField(src: Buffer, start: number, end: number): void {
    this.ensure(2 + (end - start) * 2);
    this.buf[this.pos++] = 0x5c; // backslash
    this.buf[this.pos++] = 0x78; // x
    if (end > start) this.pos += this.buf.write(src.toString('hex', start, end), this.pos, 'latin1');
  }

  private textField(src: Buffer, start: number, end: number): void {
    const len = end - start;
    if (len === 0) {
      this.ensure(2);
      this.buf[this.pos++] = QUOTE;
      this.buf[this.pos++] = QUOTE;
      return;
    }
    if (!needsQuotes(src, start, end)) {
      this.ensure(len);
      if (len < 32) for (let i = start; i < end; i++) this.buf[this.pos++] = src[i];
      else this.pos += src.copy(this.buf, this.pos, start, end);
      return;
    }
    this.ensure(len * 2 + 2);
    const out = this.buf;
    let p = this.pos;
    out[p++] = QUOTE;
    // A plain loop: JSON has a quote every few bytes, and a native call per quote costs more.
    for (let i = start; i < end; i++) {
      const c = src[i];
      out[p++] = c;
      if (c === QUOTE) out[p++] = QUOTE;
    }
    out[p++] = QUOTE;
    this.pos = p;
  }
}

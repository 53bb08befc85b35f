/**
 * A growable output block for CSV bytes: raw field bytes are copied in, new values written as
 * UTF-8. take() hands the filled bytes over and starts a fresh block, so a block given to a
 * writer is never written again.
 */
export class ByteSink {
  private buf: Buffer;
  pos = 0;

  constructor(private readonly initial = 1 << 20) {
    this.buf = Buffer.allocUnsafe(initial);
  }

  /** Room for n more bytes. */
  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  byte(c: number): void {
    if (this.pos === this.buf.length) this.ensure(1);
    this.buf[this.pos++] = c;
  }

  /** Copies src[s, e). Short ranges by a loop: a native call costs more than a few bytes. */
  copy(src: Buffer, s: number, e: number): void {
    const n = e - s;
    this.ensure(n);
    const out = this.buf;
    let p = this.pos;
    if (n < 24) {
      for (let k = s; k < e; k++) out[p++] = src[k];
    } else {
      src.copy(out, p, s, e);
      p += n;
    }
    this.pos = p;
  }

  /** Writes text as UTF-8. */
  text(v: string): void {
    const n = v.length;
    // ASCII (the usual new value: 't', a label, a timestamp) byte by byte; anything else natively.
    if (n < 64) {
      this.ensure(n);
      const out = this.buf;
      const p = this.pos;
      let k = 0;
      for (; k < n; k++) {
        const c = v.charCodeAt(k);
        if (c >= 0x80) break;
        out[p + k] = c;
      }
      if (k === n) {
        this.pos = p + n;
        return;
      }
    }
    const bytes = Buffer.byteLength(v, 'utf8');
    this.ensure(bytes);
    this.pos += this.buf.write(v, this.pos, bytes, 'utf8');
  }

  /** Back to an earlier position (a row a policy dropped). */
  rewind(to: number): void {
    this.pos = to;
  }

  /** The bytes written since the last take(); the sink continues in a new block. */
  take(): Buffer {
    const out = this.buf.subarray(0, this.pos);
    this.buf = Buffer.allocUnsafe(Math.max(this.initial, this.pos + (this.pos >>> 3)));
    this.pos = 0;
    return out;
  }
}

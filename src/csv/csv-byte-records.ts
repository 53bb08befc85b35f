import { isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { ConvergeError } from '../core/errors';
import { ioError } from '../core/private-files';
import { checkHeader, CsvReadOptions } from './read-csv';
import { firstInvalidUtf8 } from './utf8-check';

const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;

const DOUBLED_QUOTE = /""/g;

/** Field flags. */
export const QUOTED = 1;
/** Quoted and holding doubled quotes: the bytes still carry the CSV escaping. */
export const ESCAPED = 2;

/**
 * Where the fields of one record lie in the block: content ranges [starts[i], ends[i]) (inside
 * the quotes for a quoted field) and flags. Reused for every record: nothing is allocated per row.
 * A field that is unquoted and empty is NULL.
 */
export class FieldSpans {
  starts = new Int32Array(64);
  ends = new Int32Array(64);
  flags = new Uint8Array(64);
  count = 0;

  grow(): void {
    const n = this.starts.length * 2;
    const s = new Int32Array(n);
    s.set(this.starts);
    const e = new Int32Array(n);
    e.set(this.ends);
    const f = new Uint8Array(n);
    f.set(this.flags);
    this.starts = s;
    this.ends = e;
    this.flags = f;
  }

  /** The field as text, unescaped; null for NULL. For headers and error messages, not the hot path. */
  text(buf: Buffer, i: number): string | null {
    const fl = this.flags[i];
    if (fl === 0 && this.starts[i] === this.ends[i]) return null;
    const t = buf.toString('utf8', this.starts[i], this.ends[i]);
    return fl & ESCAPED ? t.replace(DOUBLED_QUOTE, '"') : t;
  }

  texts(buf: Buffer): Array<string | null> {
    const out: Array<string | null> = new Array(this.count);
    for (let i = 0; i < this.count; i++) out[i] = this.text(buf, i);
    return out;
  }
}

/**
 * Called once per data record with the block that holds it and its field spans; `at` is where the
 * record starts in `buf`, for RecordReader.lineAt (line numbers are only worked out for errors).
 */
export type OnByteRecord = (buf: Buffer, spans: FieldSpans, at: number, lines: LineLocator) => void;

export interface LineLocator {
  /** The physical line (1-based) of position at in the block being parsed. */
  lineAt(at: number): number;
}

export interface ByteReadResult {
  records: number;
}

/**
 * The byte-level twin of readCsvBatches: the same dialect, the same checks (header, width, UTF-8,
 * sha256, malformed or truncated input, each error with its line), but records are never decoded
 * to strings. Each 1 MiB block is checked as UTF-8 once, split into records by byte scans, and
 * handed to onRecord as field ranges; afterBlock runs between blocks (the caller's flush point).
 * A record longer than a block is carried over until its end arrives, found by one pass over
 * its quotes, so a 100 MB value costs one copy rather than one per block.
 */
export async function readCsvByteRecords(
  opts: CsvReadOptions,
  onRecord: OnByteRecord,
  afterBlock: () => Promise<void>,
  blockBytes = 1 << 20,
): Promise<ByteReadResult> {
  const reader = new RecordReader(opts);
  // blockBytes is for tests, which cross block boundaries at every position with small blocks.
  const stream = createReadStream(opts.file, { highWaterMark: blockBytes });
  const hash = opts.expectSha256 ? createHash('sha256') : undefined;
  try {
    for await (const chunk of stream) {
      const buf = chunk as Buffer;
      hash?.update(buf);
      const work = reader.take(buf);
      if (work) {
        reader.parse(work, onRecord);
        await afterBlock();
      }
    }
    const sha256 = hash?.digest('hex');
    if (sha256 !== undefined && sha256 !== opts.expectSha256) {
      throw new ConvergeError(
        'CSV_CHECKSUM',
        `file changed since its manifest was written: sha256 is ${sha256}, the manifest recorded ${opts.expectSha256}`,
        { file: opts.file },
      );
    }
    reader.end();
    return { records: reader.records };
  } catch (e) {
    if (e instanceof ConvergeError) throw e;
    throw ioError(e, `cannot read ${opts.file}`, opts.file);
  } finally {
    stream.destroy();
  }
}

/** The state between blocks: the carried partial record, the line count, the header. */
class RecordReader implements LineLocator {
  records = 0;
  private readonly spans = new FieldSpans();
  private width = -1;
  /** Physical line (1-based) at the first byte of the current block. */
  private blockLine = 1;
  private block: Buffer = Buffer.alloc(0);
  /** The unfinished record's bytes, and where its scan stands at their end. */
  private carry: Buffer[] = [];
  private carryLen = 0;
  private carryState = FIELD_START;

  constructor(private readonly opts: CsvReadOptions) {}

  /**
   * Adds a chunk; returns the bytes ready to parse (complete records, starting with any carried
   * record), or undefined while a carried record is still unfinished.
   */
  take(chunk: Buffer): Buffer | undefined {
    if (this.carryLen === 0) return chunk;
    const end = recordEnd(chunk, 0, this.carryState);
    if (end.at < 0) {
      this.carry.push(chunk);
      this.carryLen += chunk.length;
      this.carryState = end.state;
      return undefined;
    }
    const work = Buffer.concat([...this.carry, chunk], this.carryLen + chunk.length);
    this.carry = [];
    this.carryLen = 0;
    return work;
  }

  /** Parses every complete record of work; keeps the unfinished tail for the next chunk. */
  parse(work: Buffer, onRecord: OnByteRecord): void {
    this.block = work;
    const lastLf = work.lastIndexOf(LF);
    // A '\n' is never inside a multi-byte character, so the bytes up to the last one can be
    // checked on their own; the tail is checked with the next block.
    if (lastLf >= 0 && !isUtf8(work.subarray(0, lastLf + 1))) {
      // The records before the bad byte's line are still read: an error in one of them comes
      // first, as it does in the file (and in the string reader).
      const cut = work.lastIndexOf(LF, firstInvalidUtf8(work.subarray(0, lastLf + 1))) + 1;
      this.parseFrom(work.subarray(0, cut), 0, onRecord);
      throw new ConvergeError('CSV_INVALID', 'file is not valid UTF-8', {
        file: this.opts.file,
        csvLine: this.lineAt(cut),
      });
    }
    const used = this.parseFrom(work, 0, onRecord);
    this.blockLine += countLf(work, 0, used);
    if (used < work.length) {
      const tail = work.subarray(used);
      this.carry = [tail];
      this.carryLen = tail.length;
      this.carryState = recordEnd(tail, 0, FIELD_START).state;
    }
  }

  /** The physical line of position at in the current block. */
  lineAt(at: number): number {
    return this.blockLine + countLf(this.block, 0, at);
  }

  end(): void {
    if (this.carryLen === 0) {
      if (this.width < 0)
        throw new ConvergeError('CSV_INVALID', 'file is empty: no header line', { file: this.opts.file, csvLine: 1 });
      return;
    }
    // The unfinished record is everything left: validate it and say how it was cut.
    const tail = Buffer.concat(this.carry, this.carryLen);
    this.block = tail;
    if (!isUtf8(tail))
      throw new ConvergeError('CSV_INVALID', 'file is not valid UTF-8', {
        file: this.opts.file,
        csvLine: this.lineAt(firstInvalidUtf8(tail)),
      });
    const line = this.lineAt(tail.length);
    if (this.carryState === IN_QUOTES) throw this.error('file ends inside a quoted field (truncated file?)', line);
    throw this.error('last record has no final newline (truncated file?)', line);
  }

  /** Splits records from position p; returns where the first unfinished record starts. */
  private parseFrom(buf: Buffer, p: number, onRecord: OnByteRecord): number {
    const n = buf.length;
    const spans = this.spans;
    while (p < n) {
      const recordStart = p;
      let nf = 0;
      for (;;) {
        if (nf === spans.starts.length) spans.grow();
        if (p >= n) return recordStart;
        if (buf[p] === QUOTE) {
          let q = buf.indexOf(QUOTE, p + 1);
          let flags = QUOTED;
          while (q !== -1 && q + 1 < n && buf[q + 1] === QUOTE) {
            flags = QUOTED | ESCAPED;
            q = buf.indexOf(QUOTE, q + 2);
          }
          if (q === -1 || q + 1 >= n) return recordStart;
          spans.starts[nf] = p + 1;
          spans.ends[nf] = q;
          spans.flags[nf] = flags;
          nf++;
          const d = buf[q + 1];
          p = q + 2;
          if (d === COMMA) continue;
          if (d === LF) break;
          throw this.error(
            d === CR ? 'carriage return outside quotes' : 'text after a closing quote',
            this.lineAt(q + 1),
          );
        }
        let j = p;
        let d = 0;
        // Every special byte is at most ','; one comparison filters the rest.
        for (; j < n; j++) {
          d = buf[j];
          if (d <= COMMA && (d === COMMA || d === LF || d === QUOTE || d === CR)) break;
        }
        if (j >= n) return recordStart;
        if (d === QUOTE) throw this.error('quote inside an unquoted field', this.lineAt(j));
        if (d === CR) throw this.error('carriage return outside quotes', this.lineAt(j));
        spans.starts[nf] = p;
        spans.ends[nf] = j;
        spans.flags[nf] = 0;
        nf++;
        p = j + 1;
        if (d === LF) break;
      }
      spans.count = nf;
      if (this.width < 0) {
        this.checkHeader(buf, recordStart);
        continue;
      }
      if (nf !== this.width) {
        throw new ConvergeError('CSV_INVALID', `record has ${nf} fields, the header has ${this.width}`, {
          file: this.opts.file,
          csvLine: this.lineAt(recordStart),
        });
      }
      this.records++;
      onRecord(buf, spans, recordStart, this);
    }
    return p;
  }

  private checkHeader(buf: Buffer, at: number): void {
    const names = this.spans.texts(buf).map((f) => f ?? '');
    checkHeader(names, this.opts, this.lineAt(at));
    this.width = names.length;
  }

  private error(what: string, line: number): ConvergeError {
    return new ConvergeError('CSV_INVALID', `malformed CSV: ${what}`, { file: this.opts.file, csvLine: line, line });
  }
}

// Where a carried record's scan stands between chunks (the CsvDecoder's states).
const FIELD_START = 0;
const UNQUOTED = 1;
const IN_QUOTES = 2;
const QUOTE_SEEN = 3;

/**
 * Where the record that continues at `from` ends (just past its '\n'), given the scan state at
 * `from`; at = -1 when it does not end in buf, with the state at the end of buf. Malformed text
 * also ends the scan there: the parser then reads the record and reports it with its line.
 */
function recordEnd(buf: Buffer, from: number, state: number): { at: number; state: number } {
  const n = buf.length;
  let p = from;
  while (p < n) {
    if (state === IN_QUOTES) {
      const q = buf.indexOf(QUOTE, p);
      if (q === -1) return { at: -1, state };
      state = QUOTE_SEEN;
      p = q + 1;
      continue;
    }
    const c = buf[p];
    if (state === QUOTE_SEEN) {
      if (c === QUOTE) state = IN_QUOTES;
      else if (c === COMMA) state = FIELD_START;
      else return { at: p + 1, state };
      p++;
      continue;
    }
    if (state === FIELD_START && c === QUOTE) {
      state = IN_QUOTES;
      p++;
      continue;
    }
    state = UNQUOTED;
    if (c === COMMA) state = FIELD_START;
    else if (c === LF || c === QUOTE || c === CR) return { at: p + 1, state };
    p++;
  }
  return { at: -1, state };
}

function countLf(buf: Buffer, from: number, to: number): number {
  let n = 0;
  for (let k = buf.indexOf(LF, from); k !== -1 && k < to; k = buf.indexOf(LF, k + 1)) n++;
  return n;
}

import { ConvergeError } from '../core/errors';

/** A parsed record with where it started in the file, for error messages an operator can follow. */
export interface CsvRecord {
  fields: Array<string | null>;
  /** 1-based physical line where the record starts. */
  line: number;
}

// Where the parser stands between two chunks.
const FIELD_START = 0; // before the first character of a field
const UNQUOTED = 1; // inside an unquoted field (`partial` holds its text so far, never empty)
const QUOTED = 2; // inside quotes
const QUOTE_SEEN = 3; // inside quotes, the last character was a quote: an escape or the closing one

const COMMA = 44;
const LF = 10;
const CR = 13;
const QUOTE = 34;
// A global regex replace builds one flat string; replaceAll with a string pattern builds a rope.
const DOUBLED_QUOTE = /""/g;

/**
 * Incremental RFC 4180 parser for converge's dialect (see csv-encode.ts): distinguishes NULL
 * (unquoted empty) from '' (quoted empty), keeps embedded newlines, reports the physical line
 * of each record. Feed it string chunks; it never holds more than one partial record.
 * Hand-written for speed and for the NULL/'' distinction; the tests check it against csv-parse.
 *
 * The hot loop: an unquoted field is found by a charCode scan and taken with one slice; a quoted
 * field by indexOf('"') with one slice per run between quotes, so only values holding escaped
 * quotes (or split across chunks) are built by concatenation. Field values are slices of the
 * chunk: whoever keeps one beyond the current batch should copy it (see flatCopy).
 */
export class CsvDecoder {
  private fields: Array<string | null> = [];
  private partial = '';
  private state = FIELD_START;
  private line = 1;
  private recordLine = 1;
  /** Position of the next '\n' in the current chunk at or after the last place looked (n: none). */
  private nextLf = -1;
  private readonly file: string;

  constructor(file: string) {
    this.file = file;
  }

  /** The physical line the parser has reached (1-based). */
  get currentLine(): number {
    return this.line;
  }

  /** Parses a chunk; calls onRecord for every complete record. */
  push(chunk: string, onRecord: (r: CsvRecord) => void): void {
    const n = chunk.length;
    let i = 0;
    this.nextLf = -1;
    if (this.state !== FIELD_START) {
      i = this.resume(chunk, 0, onRecord);
      if (i >= n) return;
    }
    let fields = this.fields;
    let nextComma = -1;
    let nextQuote = -1;
    let nextCr = -1;
    while (i < n) {
      const c = chunk.charCodeAt(i);
      if (c === COMMA) {
        fields.push(null);
        i++;
      } else if (c === LF) {
        fields.push(null);
        onRecord({ fields, line: this.recordLine });
        this.fields = fields = [];
        this.recordLine = ++this.line;
        i++;
      } else if (c === QUOTE) {
        // Quoted field: find its closing quote (a quote not followed by another), then take the
        // text with one slice and undo the doubled quotes with one replace. Appending piece by
        // piece made a rope of dozens of strings per JSON value, all of which the GC had to copy.
        let q = chunk.indexOf('"', i + 1);
        let escaped = false;
        while (q !== -1 && q + 1 < n && chunk.charCodeAt(q + 1) === QUOTE) {
          escaped = true;
          q = chunk.indexOf('"', q + 2);
        }
        if (q === -1 || q + 1 >= n) {
          // The field (or the character after it) is in the next chunk: the slow path.
          this.state = QUOTED;
          this.partial = '';
          i = this.resume(chunk, i + 1, onRecord);
          fields = this.fields;
          continue;
        }
        this.countLf(chunk, i + 1, q);
        const raw = chunk.slice(i + 1, q);
        fields.push(escaped ? raw.replace(DOUBLED_QUOTE, '"') : raw);
        const d = chunk.charCodeAt(q + 1);
        if (d === COMMA) {
          i = q + 2;
        } else if (d === LF) {
          onRecord({ fields, line: this.recordLine });
          this.fields = fields = [];
          this.recordLine = ++this.line;
          i = q + 2;
        } else {
          throw this.error(d === CR ? 'carriage return outside quotes' : 'text after a closing quote');
        }
      } else if (c === CR) {
        // Only '\n' ends records in our files; a bare CR outside quotes is malformed input.
        throw this.error('carriage return outside quotes');
      } else {
        // Unquoted field: it ends at the next ',' or '\n' and must hold no '"' or '\r'. Found with
        // indexOf (native scans), each position remembered until the parser passes it.
        if (nextComma < i) nextComma = indexOr(chunk, ',', i, n);
        let lf = this.nextLf;
        if (lf < i) this.nextLf = lf = indexOr(chunk, '\n', i, n);
        const j = nextComma < lf ? nextComma : lf;
        if (nextQuote < i) nextQuote = indexOr(chunk, '"', i, n);
        if (nextCr < i) nextCr = indexOr(chunk, '\r', i, n);
        if (nextQuote < j || nextCr < j) {
          const bad = nextQuote < nextCr ? nextQuote : nextCr;
          throw this.error(bad === nextQuote ? 'quote inside an unquoted field' : 'carriage return outside quotes');
        }
        if (j === n) {
          this.partial = chunk.slice(i);
          this.state = UNQUOTED;
          return;
        }
        const d = j === lf ? LF : COMMA;
        fields.push(chunk.slice(i, j));
        if (d === COMMA) {
          i = j + 1;
        } else if (d === LF) {
          onRecord({ fields, line: this.recordLine });
          this.fields = fields = [];
          this.recordLine = ++this.line;
          i = j + 1;
        }
      }
    }
  }

  /**
   * The slow states: continues a field that began earlier (in this chunk or a previous one) from
   * position i, until the field ends or the chunk does. Returns where the fast loop resumes.
   */
  private resume(chunk: string, i: number, onRecord: (r: CsvRecord) => void): number {
    const n = chunk.length;
    while (i < n) {
      if (this.state === QUOTED) {
        const q = chunk.indexOf('"', i);
        const end = q === -1 ? n : q;
        this.countLf(chunk, i, end);
        if (end > i) this.partial += chunk.slice(i, end);
        if (q === -1) return n;
        this.state = QUOTE_SEEN;
        i = q + 1;
        continue;
      }
      const c = chunk.charCodeAt(i);
      if (this.state === QUOTE_SEEN) {
        if (c === QUOTE) {
          this.partial += '"';
          this.state = QUOTED;
          i++;
          continue;
        }
        if (c !== COMMA && c !== LF)
          throw this.error(c === CR ? 'carriage return outside quotes' : 'text after a closing quote');
      } else {
        // UNQUOTED
        let j = i;
        for (; j < n; j++) {
          const d = chunk.charCodeAt(j);
          if (d <= COMMA && (d === COMMA || d === LF || d === QUOTE || d === CR)) break;
        }
        if (j > i) this.partial += chunk.slice(i, j);
        if (j === n) return n;
        i = j;
        const d = chunk.charCodeAt(j);
        if (d === QUOTE) throw this.error('quote inside an unquoted field');
        if (d === CR) throw this.error('carriage return outside quotes');
      }
      // The field ends at i, on ',' or '\n'.
      this.fields.push(this.partial);
      this.partial = '';
      this.state = FIELD_START;
      if (chunk.charCodeAt(i) === LF) {
        onRecord({ fields: this.fields, line: this.recordLine });
        this.fields = [];
        this.recordLine = ++this.line;
      }
      return i + 1;
    }
    return n;
  }

  /** Signals end of input: a partial record means the file was cut short. */
  end(onRecord: (r: CsvRecord) => void): void {
    void onRecord;
    if (this.state === QUOTED) throw this.error('file ends inside a quoted field (truncated file?)');
    if (this.state !== FIELD_START || this.fields.length > 0) {
      throw this.error('last record has no final newline (truncated file?)');
    }
  }

  /** Counts the '\n's in chunk[from, to), remembering the next one so each is found once. */
  private countLf(chunk: string, from: number, to: number): void {
    let k = this.nextLf;
    if (k < from) {
      k = chunk.indexOf('\n', from);
      if (k === -1) k = chunk.length;
    }
    while (k < to) {
      this.line++;
      k = chunk.indexOf('\n', k + 1);
      if (k === -1) k = chunk.length;
    }
    this.nextLf = k;
  }

  private error(what: string): ConvergeError {
    return new ConvergeError('CSV_INVALID', `malformed CSV: ${what}`, {
      file: this.file,
      csvLine: this.line,
      line: this.line,
    });
  }
}

/** Position of c in s at or after from; n (the length) when there is none. */
function indexOr(s: string, c: string, from: number, n: number): number {
  const k = s.indexOf(c, from);
  return k === -1 ? n : k;
}

/**
 * A copy of s that shares no memory with the chunk it was sliced from. A value kept for the
 * whole file (a key's winning timestamp) would otherwise keep its entire 1 MiB chunk alive.
 */
export function flatCopy(s: string): string {
  // Short strings are copied by slice already; for longer ones, a one-character prefix makes a
  // new cons string that flattening turns into an independent sequential string.
  if (s.length < 13) return s;
  return (' ' + s).slice(1);
}

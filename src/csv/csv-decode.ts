import { ConvergeError } from '../core/errors';

/** A parsed record with where it started in the file, for error messages an operator can follow. */
export interface CsvRecord {
  fields: Array<string | null>;
  /** 1-based physical line where the record starts. */
  line: number;
}

/**
 * Incremental RFC 4180 parser for converge's dialect (see csv-encode.ts): distinguishes NULL
 * (unquoted empty) from '' (quoted empty), keeps embedded newlines, reports the physical line
 * of each record. Feed it string chunks; it never holds more than one partial record.
 * Hand-written for speed and for the NULL/'' distinction; the tests check it against csv-parse.
 */
export class CsvDecoder {
  private field = '';
  private fields: Array<string | null> = [];
  private quoted = false;
  private inQuotes = false;
  private quoteSeen = false; // last char inside quotes was a quote (either close or escape)
  private atFieldStart = true;
  private line = 1;
  private recordLine = 1;
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
    while (i < n) {
      if (this.inQuotes) {
        // Fast path: copy up to the next quote.
        const q = chunk.indexOf('"', i);
        if (!this.quoteSeen) {
          if (q === -1) {
            const part = chunk.slice(i);
            this.countNewlines(part);
            this.field += part;
            return;
          }
          const part = chunk.slice(i, q);
          this.countNewlines(part);
          this.field += part;
          this.quoteSeen = true;
          i = q + 1;
          continue;
        }
        // Previous char was a quote: either an escaped quote or the closing one.
        const c = chunk.charCodeAt(i);
        if (c === 34) {
          this.field += '"';
          this.quoteSeen = false;
          i++;
          continue;
        }
        this.inQuotes = false;
        this.quoteSeen = false;
        continue; // reprocess c outside quotes
      }
      const c = chunk.charCodeAt(i);
      if (c === 44) {
        this.endField();
        i++;
      } else if (c === 10) {
        this.endField();
        this.endRecord(onRecord);
        this.line++;
        this.recordLine = this.line;
        i++;
      } else if (c === 13) {
        // Only '\n' ends records in our files; a bare CR outside quotes is malformed input.
        throw this.error('carriage return outside quotes');
      } else if (c === 34) {
        if (!this.atFieldStart) throw this.error('quote inside an unquoted field');
        this.inQuotes = true;
        this.quoted = true;
        this.atFieldStart = false;
        i++;
      } else {
        if (this.quoted) throw this.error('text after a closing quote');
        // Fast path: copy up to the next delimiter.
        let j = i + 1;
        while (j < n) {
          const d = chunk.charCodeAt(j);
          if (d === 44 || d === 10 || d === 13 || d === 34) break;
          j++;
        }
        this.field += chunk.slice(i, j);
        this.atFieldStart = false;
        i = j;
      }
    }
  }

  /** Signals end of input: a partial record means the file was cut short. */
  end(onRecord: (r: CsvRecord) => void): void {
    if (this.inQuotes && !this.quoteSeen) throw this.error('file ends inside a quoted field (truncated file?)');
    if (this.inQuotes) this.inQuotes = false;
    if (!this.atFieldStart || this.fields.length > 0 || this.quoted) {
      throw this.error('last record has no final newline (truncated file?)');
    }
  }

  private countNewlines(s: string): void {
    let k = s.indexOf('\n');
    while (k !== -1) {
      this.line++;
      k = s.indexOf('\n', k + 1);
    }
  }

  private endField(): void {
    this.fields.push(this.quoted || this.field.length > 0 ? this.field : null);
    this.field = '';
    this.quoted = false;
    this.atFieldStart = true;
  }

  private endRecord(onRecord: (r: CsvRecord) => void): void {
    const fields = this.fields;
    this.fields = [];
    onRecord({ fields, line: this.recordLine });
  }

  private error(what: string): ConvergeError {
    return new ConvergeError('CSV_INVALID', `malformed CSV: ${what}`, { file: this.file, csvLine: this.line, line: this.line });
  }
}

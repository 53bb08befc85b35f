import { createReadStream } from 'node:fs';
import { ConvergeError } from '../core/errors';
import { ioError } from '../core/private-files';
import { CsvDecoder, CsvRecord } from './csv-decode';

export interface CsvReadOptions {
  file: string;
  /** Column names the header must equal, in order. */
  expectHeader?: string[];
  /** Reject invalid UTF-8 instead of replacing it silently. */
  strictUtf8?: boolean;
}

/**
 * Streams a converge CSV file record by record (the header checked, not yielded), with the
 * physical line of each record. Invalid UTF-8 is an error naming the line, never a silent U+FFFD.
 */
export async function* readCsvRecords(opts: CsvReadOptions): AsyncGenerator<CsvRecord> {
  for await (const batch of readCsvBatches(opts)) yield* batch;
}

/** The same, a chunk's worth of records at a time: the hot loops avoid one await per row. */
export async function* readCsvBatches(opts: CsvReadOptions): AsyncGenerator<CsvRecord[]> {
  const decoder = new CsvDecoder(opts.file);
  const utf8 = new TextDecoder('utf-8', { fatal: opts.strictUtf8 !== false });
  const stream = createReadStream(opts.file, { highWaterMark: 1 << 20 });
  let header: string[] | undefined;
  let pending: CsvRecord[] = [];
  const collect = (r: CsvRecord) => pending.push(r);
  const width = () => header?.length ?? 0;
  const takeBatch = (): CsvRecord[] => {
    const out: CsvRecord[] = [];
    for (const r of pending) {
      if (!header) {
        header = checkHeader(r, opts);
        continue;
      }
      if (r.fields.length !== width()) throw wrongWidth(opts.file, r, width());
      out.push(r);
    }
    pending = [];
    return out;
  };
  try {
    for await (const buf of stream) {
      let text: string;
      try {
        text = utf8.decode(buf as Buffer, { stream: true });
      } catch (e) {
        // Locate the bad bytes: decode leniently, feed what comes before U+FFFD, report that line.
        const lenient = new TextDecoder('utf-8').decode(buf as Buffer);
        const bad = lenient.indexOf('\ufffd');
        const before = bad >= 0 ? lenient.slice(0, bad) : '';
        throw new ConvergeError('CSV_INVALID', 'file is not valid UTF-8', { file: opts.file, csvLine: decoder.currentLine + countLines(before) }, { cause: e });
      }
      decoder.push(text, collect);
      const out = takeBatch();
      if (out.length) yield out;
    }
    decoder.push(utf8.decode(), collect);
    decoder.end(collect);
    const last = takeBatch();
    if (last.length) yield last;
    if (!header) throw new ConvergeError('CSV_INVALID', 'file is empty: no header line', { file: opts.file, csvLine: 1 });
  } catch (e) {
    if (e instanceof ConvergeError) throw e;
    throw ioError(e, `cannot read ${opts.file}`, opts.file);
  } finally {
    stream.destroy();
  }
}

function countLines(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i !== -1; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

function checkHeader(r: CsvRecord, opts: CsvReadOptions): string[] {
  const names = r.fields.map((f) => f ?? '');
  if (opts.expectHeader && names.join(',') !== opts.expectHeader.join(',')) {
    throw new ConvergeError('CSV_INVALID', `header does not match the manifest: expected [${opts.expectHeader.join(', ')}], found [${names.join(', ')}]`, { file: opts.file, csvLine: 1 });
  }
  return names;
}

function wrongWidth(file: string, r: CsvRecord, width: number): ConvergeError {
  return new ConvergeError('CSV_INVALID', `record has ${r.fields.length} fields, the header has ${width}`, { file, csvLine: r.line });
}


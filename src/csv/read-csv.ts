import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { ConvergeError } from '../core/errors';
import { ioError } from '../core/private-files';
import { CsvDecoder, CsvRecord, flatCopy } from './csv-decode';

export interface CsvReadOptions {
  file: string;
  /** Column names the header must equal, in order. */
  expectHeader?: string[];
  /** Reject invalid UTF-8 instead of replacing it silently. */
  strictUtf8?: boolean;
  /** The sha256 a manifest recorded: a file that changed since is a CSV_CHECKSUM error at its end. */
  expectSha256?: string;
}

/** Bytes decoded per batch (the file is read in 1 MiB blocks). */
const BATCH_BYTES = 1 << 16;

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
  const hash = opts.expectSha256 ? createHash('sha256') : undefined;
  let header: string[] | undefined;
  let width = 0;
  // Records go straight into the batch the caller gets: one array per chunk, no copying.
  let batch: CsvRecord[] = [];
  const collect = (r: CsvRecord): void => {
    if (header === undefined) {
      header = checkHeader(r, opts);
      width = header.length;
      return;
    }
    if (r.fields.length !== width) throw wrongWidth(opts.file, r, width);
    batch.push(r);
  };
  const takeBatch = (): CsvRecord[] => {
    const out = batch;
    batch = [];
    return out;
  };
  try {
    for await (const chunk of stream) {
      const buf = chunk as Buffer;
      hash?.update(buf);
      // Decoded, parsed and yielded a slice at a time. Two reasons: a batch's records all live
      // until the caller is done with them, and the fewer survive a young-generation GC the
      // cheaper it is; and Node makes a decoded string of over ~1 MB an external string, whose
      // memory only a full GC gives back (hundreds of MB of them piled up).
      for (let at = 0; at < buf.length; at += BATCH_BYTES) {
        const part = buf.length <= BATCH_BYTES ? buf : buf.subarray(at, at + BATCH_BYTES);
        let text: string;
        try {
          text = utf8.decode(part, { stream: true });
        } catch (e) {
          throw new ConvergeError('CSV_INVALID', 'file is not valid UTF-8', { file: opts.file, csvLine: decoder.currentLine + linesBeforeInvalid(part) }, { cause: e });
        }
        decoder.push(text, collect);
        const out = takeBatch();
        if (out.length) yield out;
      }
    }
    // Checked before the last record is parsed: a file cut short is reported as changed, which it is.
    const sha256 = hash?.digest('hex');
    if (sha256 !== undefined && sha256 !== opts.expectSha256) {
      throw new ConvergeError('CSV_CHECKSUM', `file changed since its manifest was written: sha256 is ${sha256}, the manifest recorded ${opts.expectSha256}`, { file: opts.file });
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

/** Lines before the first invalid byte of part: decoded leniently, counted up to the first U+FFFD. */
function linesBeforeInvalid(part: Buffer): number {
  // Continuation bytes at the start belong to a character begun in the previous part.
  let from = 0;
  while (from < 3 && from < part.length && (part[from] & 0xc0) === 0x80) from++;
  const lenient = new TextDecoder('utf-8').decode(part.subarray(from));
  const bad = lenient.indexOf('\ufffd');
  return bad >= 0 ? countLines(lenient.slice(0, bad)) : 0;
}

function countLines(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i !== -1; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

function checkHeader(r: CsvRecord, opts: CsvReadOptions): string[] {
  // Copied: the header lives as long as the file is read, its chunk need not.
  const names = r.fields.map((f) => flatCopy(f ?? ''));
  if (opts.expectHeader && names.join(',') !== opts.expectHeader.join(',')) {
    throw new ConvergeError('CSV_INVALID', `header does not match the manifest: expected [${opts.expectHeader.join(', ')}], found [${names.join(', ')}]`, { file: opts.file, csvLine: 1 });
  }
  return names;
}

function wrongWidth(file: string, r: CsvRecord, width: number): ConvergeError {
  return new ConvergeError('CSV_INVALID', `record has ${r.fields.length} fields, the header has ${width}`, { file, csvLine: r.line });
}


import { isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { ConvergeError } from '../core/errors';
import { ioError } from '../core/private-files';
import { CsvDecoder, CsvRecord, flatCopy } from './csv-decode';
import { completeUtf8End, firstInvalidUtf8 } from './utf8-check';

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
  const strict = opts.strictUtf8 !== false;
  const stream = createReadStream(opts.file, { highWaterMark: 1 << 20 });
  const hash = opts.expectSha256 ? createHash('sha256') : undefined;
  let header: string[] | undefined;
  let width = 0;
  // Records go straight into the batch the caller gets: one array per chunk, no copying.
  let batch: CsvRecord[] = [];
  const collect = (r: CsvRecord): void => {
    if (header === undefined) {
      // Copied: the header lives as long as the file is read, its chunk need not.
      header = r.fields.map((f) => flatCopy(f ?? ''));
      checkHeader(header, opts, r.line);
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
  /** The first character of the next part when the last one cut it (at most 3 bytes). */
  let pending: Buffer | undefined;
  try {
    for await (const chunk of stream) {
      const buf = chunk as Buffer;
      hash?.update(buf);
      // Decoded, parsed and yielded a slice at a time. Two reasons: a batch's records all live
      // until the caller is done with them, and the fewer survive a young-generation GC the
      // cheaper it is; and Node makes a decoded string of over ~1 MB an external string, whose
      // memory only a full GC gives back (hundreds of MB of them piled up).
      for (let at = 0; at < buf.length; at += BATCH_BYTES) {
        let part = buf.length <= BATCH_BYTES ? buf : buf.subarray(at, at + BATCH_BYTES);
        if (pending) part = Buffer.concat([pending, part]);
        const end = completeUtf8End(part);
        pending = end < part.length ? part.subarray(end) : undefined;
        let invalid = false;
        let text: string;
        if (strict && !isUtf8(part.subarray(0, end))) {
          // Records before the bad byte's line are still parsed and handed on: an error in one
          // of them comes first, as it comes first in the file (and in the byte reader).
          const cut = part.lastIndexOf(LF, firstInvalidUtf8(part.subarray(0, end))) + 1;
          text = part.toString('utf8', 0, cut);
          invalid = true;
        } else {
          text = part.toString('utf8', 0, end);
        }
        yield* parsed(text);
        if (invalid)
          throw new ConvergeError('CSV_INVALID', 'file is not valid UTF-8', {
            file: opts.file,
            csvLine: decoder.currentLine,
          });
      }
    }
    // Checked before the last record is parsed: a file cut short is reported as changed, which it is.
    const sha256 = hash?.digest('hex');
    if (sha256 !== undefined && sha256 !== opts.expectSha256) {
      throw new ConvergeError(
        'CSV_CHECKSUM',
        `file changed since its manifest was written: sha256 is ${sha256}, the manifest recorded ${opts.expectSha256}`,
        { file: opts.file },
      );
    }
    if (pending) {
      if (strict)
        throw new ConvergeError('CSV_INVALID', 'file is not valid UTF-8', {
          file: opts.file,
          csvLine: decoder.currentLine,
        });
      yield* parsed(pending.toString('utf8'));
    }
    decoder.end(collect);
    if (!header)
      throw new ConvergeError('CSV_INVALID', 'file is empty: no header line', { file: opts.file, csvLine: 1 });
  } catch (e) {
    if (e instanceof ConvergeError) throw e;
    throw ioError(e, `cannot read ${opts.file}`, opts.file);
  } finally {
    stream.destroy();
  }

  /** Parses text and yields its records; on malformed text, first the records before it. */
  function* parsed(text: string): Generator<CsvRecord[]> {
    try {
      decoder.push(text, collect);
    } catch (e) {
      const before = takeBatch();
      if (before.length) yield before;
      throw e;
    }
    const out = takeBatch();
    if (out.length) yield out;
  }
}

const LF = 0x0a;

/**
 * The header must be the manifest's column list. Shared with the byte reader; a byte order mark
 * (which converge never writes, and COPY would take as part of the first name) is named as such.
 */
export function checkHeader(names: string[], opts: CsvReadOptions, line: number): void {
  if (names.length > 0 && names[0].startsWith('\uFEFF')) {
    throw new ConvergeError(
      'CSV_INVALID',
      'file starts with a UTF-8 byte order mark (BOM), which converge files never hold: remove it or re-export',
      { file: opts.file, csvLine: line },
    );
  }
  if (opts.expectHeader && names.join(',') !== opts.expectHeader.join(',')) {
    throw new ConvergeError(
      'CSV_INVALID',
      `header does not match the manifest: expected [${opts.expectHeader.join(', ')}], found [${names.join(', ')}]`,
      { file: opts.file, csvLine: line },
    );
  }
}

function wrongWidth(file: string, r: CsvRecord, width: number): ConvergeError {
  return new ConvergeError('CSV_INVALID', `record has ${r.fields.length} fields, the header has ${width}`, {
    file,
    csvLine: r.line,
  });
}

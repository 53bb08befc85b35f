import { ByteSink } from '../csv/byte-sink';
import { readCsvByteRecords } from '../csv/csv-byte-records';
import type { CsvRecord } from '../csv/csv-decode';
import type { CsvFileWriter } from '../csv/csv-file-writer';
import { readCsvBatches } from '../csv/read-csv';
import type { TableRule } from '../mapping/load-mapping';
import { compileByteTable } from './byte-table';
import type { CompiledTable } from './compile-table';
import { mapRows } from './map-rows';

export interface TableFilesInput {
  compiled: CompiledTable;
  rule: TableRule;
  timezone: string;
  /** The table's CSV files in key order, each with the sha256 its manifest recorded. */
  files: Array<{ file: string; sha256?: string }>;
  /** The source column names every file's header must hold. */
  header: string[];
  writer: CsvFileWriter;
  /** Natural keys the target already holds (existing: skip | fail act on them, replace counts them). */
  existing?: Set<string>;
  origin: string;
  /** 'strings' forces the decoded path (tests compare the two); default: bytes where the table allows. */
  engine?: 'auto' | 'strings';
}

export interface TableFilesResult {
  rowsIn: number;
  engine: 'bytes' | 'strings';
}

/**
 * Transforms one table's files into the writer. Tables whose rules compare decoded values
 * across rows (unique, existing) take the string path; the rest the byte path, which copies
 * every value a transform would return unchanged as the bytes it came in.
 */
export async function transformTableFiles(t: TableFilesInput): Promise<TableFilesResult> {
  // `existing: replace` over keys the target holds takes the string path too: it decodes each
  // row's key to count the rows the load will replace (existingReplaced).
  const replacing = t.rule.existing?.policy === 'replace' && !!t.existing?.size;
  const bytes = t.engine === 'strings' || replacing ? undefined : compileByteTable(t.compiled, t.rule, t.timezone);
  if (bytes) {
    const sink = new ByteSink();
    let rowsIn = 0;
    let rowsOut = 0;
    for (const { file, sha256 } of t.files) {
      await readCsvByteRecords(
        { file, expectHeader: t.header, expectSha256: sha256 },
        (buf, spans, at, lines) => {
          rowsIn++;
          if (bytes.write(buf, spans, at, lines, sink)) rowsOut++;
        },
        async () => {
          t.writer.appendEncoded(sink.take(), rowsOut);
          rowsOut = 0;
          await t.writer.flushIfFull();
        },
      );
    }
    t.writer.appendEncoded(sink.take(), rowsOut);
    return { rowsIn, engine: 'bytes' };
  }
  let rowsIn = 0;
  const batches = (): AsyncIterable<CsvRecord[]> => countingBatches(t.files, t.header, (n) => (rowsIn = n));
  for await (const batch of mapRows(t.compiled, t.rule, batches, { existing: t.existing, origin: t.origin })) {
    for (const r of batch) t.writer.append(r.fields);
    await t.writer.flushIfFull();
  }
  return { rowsIn, engine: 'strings' };
}

/** Reads a table's CSV files (chunks in key order) as batches, checking each header against the manifest and counting rows read. */
function countingBatches(
  files: Array<{ file: string; sha256?: string }>,
  header: string[],
  setCount: (n: number) => void,
): AsyncIterable<CsvRecord[]> {
  return (async function* () {
    let n = 0;
    for (const { file, sha256 } of files) {
      for await (const b of readCsvBatches({ file, expectHeader: header, expectSha256: sha256 })) {
        n += b.length;
        setCount(n);
        yield b;
      }
    }
  })();
}

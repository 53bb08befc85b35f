import { CsvFileWriter } from '../csv/csv-file-writer';
import type { MysqlConnection } from '../source/mysql/connect';
import { exportEncoding, MysqlTable } from '../source/mysql/catalog';
import { sourceRows } from '../source/mysql/row-source';
import type { KeyRange, ManifestColumn } from '../manifest';

export interface ExportTableResult {
  rows: number;
  bytes: number;
  sha256: string;
}

export interface ExportTableOptions {
  /** Only the rows of this key range (a chunk); the whole table when absent. */
  range?: KeyRange | null;
  /** Called every few thousand rows and at the end with the rows and bytes written so far. */
  onRows?: (rows: number, bytes: number) => void;
}

/** Rows between progress reports. */
const PROGRESS_ROWS = 16_384;

/** The manifest's description of a table's columns. */
export function manifestColumns(table: MysqlTable): ManifestColumn[] {
  return table.columns.map((c) => ({
    name: c.name,
    sourceType: c.columnType,
    dataType: c.dataType,
    nullable: c.nullable,
    encoding: exportEncoding(c),
  }));
}

/** The export's table program: every value as the source holds it. */
const identity = (fields: ReadonlyArray<string | null>) => fields;
/** Every value passes the identity unchanged: its bytes are copied without being decoded. */
const passes = () => true;

/**
 * Streams one table (or one key range of it) into a CSV file: the MySQL row source through the
 * identity program into the CSV file writer, which hashes as it writes and syncs the file before
 * returning, so the caller may then mark it complete in the manifest. Values go from the packet
 * bytes to CSV bytes without JS values in between; memory stays bounded because the row source
 * pauses the MySQL socket while the file lags.
 */
export async function exportTable(
  conn: MysqlConnection,
  table: MysqlTable,
  file: string,
  opts: ExportTableOptions = {},
): Promise<ExportTableResult> {
  const src = sourceRows(conn, table, opts.range);
  const writer = new CsvFileWriter(
    file,
    table.columns.map((c) => c.name),
  );
  let reported = 0;
  try {
    const every = table.columns.map((_, k) => k);
    for await (const buf of src.encoded(
      identity,
      every,
      undefined,
      every.map(() => passes),
    )) {
      writer.appendEncoded(buf, 0);
      await writer.flushIfFull();
      if (src.rowsRead - reported >= PROGRESS_ROWS) opts.onRows?.((reported = src.rowsRead), writer.bytes);
    }
  } catch (e) {
    // The source's error names the table (EXPORT_FAILED), the writer's names the file (IO_FAILED).
    await writer.destroy();
    throw e;
  }
  // close() flushes, syncs the file and throws a write error as an I/O error naming the file.
  const { bytes, sha256 } = await writer.close();
  opts.onRows?.(src.rowsRead, bytes);
  return { rows: src.rowsRead, bytes, sha256 };
}

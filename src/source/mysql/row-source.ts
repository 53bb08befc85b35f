import type { CsvRecord } from '../../csv/csv-decode';
import type { MysqlConnection } from './connect';
import { exportEncoding, MysqlTable } from './catalog';
import { quoteMysql } from './quote';
import { describeReadError } from './read-error';
import { rangeWhere } from './key-ranges';
import type { KeyRange } from '../../manifest';
import type { RowBytesSink } from './row-bytes';
import { selectList, shortestFloat32 } from './stream-rows';
import { LineIndex, RING } from '../../csv/csv-chunks';
import { CsvRowWriter } from '../../csv/csv-row-writer';
import { pullQuery } from './pull-query';

/**
 * Whether a value's bytes (start s, end e) pass its column unchanged, so it need not be decoded.
 * The caller (the transform's byte-table) builds these; the engine only calls them.
 */
export type UnchangedCheck = (b: Buffer, s: number, e: number) => boolean;

/** Buffer's encoding-specific slices (Node's own, behind toString, which checks and dispatches per call). */
type SliceBuffer = Buffer & {
  utf8Slice(s: number, e: number): string;
  latin1Slice(s: number, e: number): string;
  hexSlice(s: number, e: number): string;
};

/** A row's mapping; `passed[k] === 1` marks a source field not decoded because its bytes passed. */
export type RowTransform = (
  fields: ReadonlyArray<string | null>,
  ordinal: number,
  passed?: Uint8Array,
) => ReadonlyArray<string | null>;

/** Stands for a field not decoded (its bytes passed): never a value, only compared by identity. */
const PASSED = '\u0000converge-passed\u0000';

/** Rows per batch handed to the mapping's row policies. */
const BATCH_ROWS = 1024;

/** Where a source row came from, for errors: its primary key's values by row ordinal. */
export interface SourceKeys {
  columns: string[];
  /** The key of the row with this ordinal (1-based), while it is among the last RING read. */
  keyOf(ordinal: number): string[] | undefined;
}

export interface SourceRows {
  /** Batches for the mapping's row policies (mapRows); a new read each call, in one snapshot. */
  batches: () => AsyncIterable<CsvRecord[]>;
  /**
   * The direct path, for tables without row policies: each row is mapped as it leaves the
   * packet and encoded at once; yields CSV chunks. No record objects, no batches. `from[j]` is
   * the source column of target column j (-1 for none): a value the mapping returned unchanged
   * is copied as the packet's bytes. `unchanged[k]`, when given, vouches on its bytes that source
   * column k's value passes its column unchanged: such a value is not decoded at all.
   */
  encoded(
    transform: RowTransform,
    from: ReadonlyArray<number>,
    lines?: LineIndex,
    unchanged?: ReadonlyArray<UnchangedCheck | undefined>,
  ): AsyncIterable<Buffer>;
  keys: SourceKeys;
  /** Rows read by the last (or running) read. */
  readonly rowsRead: number;
}

/**
 * A live table as the export's CSV text would hold it (text as UTF-8, binary as \x hex, FLOAT
 * as its shortest float32 text), read with the export's row reader (row-bytes) in primary-key
 * order, with backpressure down to the MySQL socket (pull-query.ts).
 */
export function sourceRows(
  conn: MysqlConnection,
  table: MysqlTable,
  opts: {
    range?: KeyRange | null;
    /** A condition of its own restricting the rows read (verify reads one key segment; verify-hash.ts builds it). */
    segment?: string;
    limit?: number;
  } = {},
): SourceRows {
  const range = opts.range;
  const cols = table.columns;
  const n = cols.length;
  const { select, float32, binary } = selectList(table);
  // binary: key columns in a range are bound as bytes.
  const where = range ? rangeWhere(range, binary) : undefined;
  const params = where?.params ?? [];
  const hex = cols.map((c) => exportEncoding(c) === 'hex');
  const isFloat = cols.map((c) => float32.has(c.name));
  const pkIdx = table.primaryKey.map((k) => cols.findIndex((c) => c.name === k));
  const pk0 = pkIdx.length ? pkIdx[0] : -1;
  const order = table.primaryKey.length ? ` ORDER BY ${table.primaryKey.map(quoteMysql).join(', ')}` : '';
  // A sample (map check --probe --sample) is the first rows in key order: the same rows every time.
  const limit = opts.limit !== undefined ? ` LIMIT ${Math.max(0, Math.floor(opts.limit))}` : '';
  const conditions = [where?.sql, opts.segment].filter((c): c is string => !!c);
  const sql = `SELECT ${select} FROM ${quoteMysql(table.name)}${conditions.length ? ` WHERE ${conditions.map((c) => `(${c})`).join(' AND ')}` : ''}${order}${limit}`;
  // A single-column key is kept as its value (no array per row).
  const ring: Array<string | null | Array<string | null> | undefined> = new Array(RING);
  let read = 0;
  const describe = (e: unknown) => describeReadError(e, table.name);

  const decode = (fields: Array<string | null>, i: number, b: Buffer | null, s: number, e: number) => {
    if (b === null) fields[i] = null;
    else if (hex[i]) fields[i] = '\\x' + (b as SliceBuffer).hexSlice(s, e);
    else if (isFloat[i]) fields[i] = shortestFloat32((b as SliceBuffer).latin1Slice(s, e));
    else fields[i] = (b as SliceBuffer).utf8Slice(s, e);
  };
  const remember = (ordinal: number, fields: ReadonlyArray<string | null>) => {
    if (pk0 >= 0) ring[ordinal & (RING - 1)] = pkIdx.length === 1 ? fields[pk0] : pkIdx.map((k) => fields[k]);
  };

  function batches(): AsyncIterable<CsvRecord[]> {
    read = 0;
    let batch: CsvRecord[] = [];
    const take = () => (batch.length ? batch.splice(0) : undefined);
    return pullQuery<CsvRecord[]>(
      conn,
      sql,
      params,
      n,
      (c): RowBytesSink => {
        let fields: Array<string | null> = new Array(n);
        return {
          field: (i, b, s, e) => decode(fields, i, b, s, e),
          endRow() {
            remember(++read, fields);
            batch.push({ fields, line: read });
            fields = new Array(n);
            if (batch.length >= BATCH_ROWS) c.emit(take()!);
          },
        };
      },
      take,
      describe,
    );
  }

  function encoded(
    transform: RowTransform,
    from: ReadonlyArray<number>,
    lines?: LineIndex,
    unchanged?: ReadonlyArray<UnchangedCheck | undefined>,
  ): AsyncIterable<Buffer> {
    read = 0;
    const w = new CsvRowWriter();
    // Target column j copies source column from[j]'s packet bytes when the mapping left the value
    // as it was (binary columns as their \x hex, written from the bytes).
    const raw = from.map((k) => (k >= 0 && !isFloat[k] ? k : -1));
    const targets = raw.length;
    // A field may go undecoded only where it is copied as bytes, and never a key column (errors
    // name rows by their key). A check reads the packet's bytes: a binary column's raw value.
    const copied = new Set(raw.filter((k) => k >= 0));
    const checks: Array<UnchangedCheck | undefined> = cols.map((_, k) =>
      copied.has(k) && !pkIdx.includes(k) ? unchanged?.[k] : undefined,
    );
    const anyCheck = checks.some((c) => c !== undefined);
    return pullQuery<Buffer>(
      conn,
      sql,
      params,
      n,
      (c): RowBytesSink => {
        // One array for every row: the transform copies what it keeps.
        const fields: Array<string | null> = new Array(n);
        const starts = new Int32Array(n);
        const ends = new Int32Array(n);
        const passed = new Uint8Array(n);
        let packet: Buffer | null = null;
        let stopped = false;
        return {
          field(i, b, s, e) {
            if (b !== null) ((packet = b), (starts[i] = s), (ends[i] = e));
            const check = checks[i];
            if (check !== undefined && b !== null && check(b, s, e)) {
              passed[i] = 1;
              fields[i] = PASSED;
              return;
            }
            passed[i] = 0;
            decode(fields, i, b, s, e);
          },
          endRow() {
            if (stopped) return;
            remember(++read, fields);
            let out: ReadonlyArray<string | null>;
            try {
              out = transform(fields, read, anyCheck ? passed : undefined);
            } catch (e) {
              stopped = true;
              // An error names the row's values: decode the ones that were only vouched for.
              if (anyCheck) {
                for (let k = 0; k < n; k++) if (passed[k] === 1) decode(fields, k, packet, starts[k], ends[k]);
                try {
                  transform(fields, read);
                } catch (again) {
                  c.fail(again);
                  return;
                }
              }
              c.fail(e);
              return;
            }
            for (let j = 0; j < targets; j++) {
              const v = out[j];
              const k = raw[j];
              if (v === null) w.nul(j);
              else if (k >= 0 && v === fields[k]) {
                if (hex[k]) w.hex(j, packet!, starts[k], ends[k]);
                else w.raw(j, packet!, starts[k], ends[k]);
              } else w.text(j, v);
            }
            lines?.addLines(read, 1 + w.breaks);
            w.endRow();
            if (w.full) c.emit(w.take()!);
          },
        };
      },
      () => w.take(),
      describe,
    );
  }

  return {
    batches,
    encoded,
    keys: {
      columns: table.primaryKey,
      keyOf: (ordinal) => {
        if (!(ordinal > 0 && ordinal <= read && ordinal > read - RING)) return undefined;
        const k = ring[ordinal & (RING - 1)];
        if (k === undefined) return undefined;
        return (Array.isArray(k) ? k : [k]).map((v) => v ?? 'NULL');
      },
    },
    get rowsRead() {
      return read;
    },
  };
}

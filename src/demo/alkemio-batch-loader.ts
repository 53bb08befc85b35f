import { MysqlConnection } from '../source/mysql/connect';
import { quoteMysql } from '../source/mysql/quote';
import { ConvergeError, messageOf } from '../core/errors';

export type SeedValue = string | number | boolean | null | Buffer;
export type SeedRow = Record<string, SeedValue>;

interface TableBuffer {
  columns: string[];
  rows: SeedValue[][];
  bytes: number;
}

/** Keeps one statement well under MariaDB's default 16 MB max_allowed_packet. */
const MAX_BATCH_BYTES = 8 * 1024 * 1024;
const MAX_BATCH_ROWS = 5000;

/**
 * Buffers rows per table and writes them as multi-row INSERTs with placeholders. Adding is
 * synchronous so the graph builder stays simple; the builder awaits `flushFull()` between units.
 * One set of full batches is written while the builder goes on generating (the server and this
 * process then work in parallel); memory stays at about two batches per table.
 */
export class BatchLoader {
  private readonly tables = new Map<string, TableBuffer>();
  readonly counts: Record<string, number> = {};
  private inflight: Promise<void> = Promise.resolve();
  private failure: unknown;

  constructor(private readonly conn: MysqlConnection) {}

  add(table: string, row: SeedRow): void {
    let buf = this.tables.get(table);
    if (!buf) {
      buf = { columns: Object.keys(row), rows: [], bytes: 0 };
      this.tables.set(table, buf);
    }
    const values = buf.columns.map((c) => {
      if (!(c in row))
        throw new ConvergeError('INTERNAL', `seed row for ${table} lacks column ${c}`, {
          stage: 'demo',
          table,
          column: c,
        });
      return row[c];
    });
    if (Object.keys(row).length !== buf.columns.length) {
      throw new ConvergeError('INTERNAL', `seed rows for ${table} must all have the same columns`, {
        stage: 'demo',
        table,
      });
    }
    buf.rows.push(values);
    for (const v of values)
      buf.bytes += typeof v === 'string' ? v.length * 2 + 4 : Buffer.isBuffer(v) ? v.length * 2 + 8 : 8;
    this.counts[table] = (this.counts[table] ?? 0) + 1;
  }

  /** Starts writing every table whose buffer is big enough for an efficient statement. */
  async flushFull(): Promise<void> {
    const ready = [...this.tables].filter(
      ([, buf]) => buf.rows.length >= MAX_BATCH_ROWS || buf.bytes >= MAX_BATCH_BYTES,
    );
    if (ready.length === 0) return;
    await this.settle();
    const work = ready.map(([table, buf]) => this.take(table, buf));
    // Kept as a promise that never rejects: a failure is rethrown by the next flush.
    this.inflight = this.writeAll(work).catch((e: unknown) => {
      this.failure = e;
    });
  }

  /** Writes everything still buffered and waits for it. */
  async flushAll(): Promise<void> {
    await this.settle();
    const work = [...this.tables].filter(([, buf]) => buf.rows.length > 0).map(([table, buf]) => this.take(table, buf));
    await this.writeAll(work);
  }

  private async settle(): Promise<void> {
    await this.inflight;
    if (this.failure !== undefined) throw this.failure;
  }

  private take(table: string, buf: TableBuffer): { table: string; columns: string[]; rows: SeedValue[][] } {
    const rows = buf.rows;
    buf.rows = [];
    buf.bytes = 0;
    return { table, columns: buf.columns, rows };
  }

  private async writeAll(work: Array<{ table: string; columns: string[]; rows: SeedValue[][] }>): Promise<void> {
    for (const w of work) await this.write(w.table, w.columns, w.rows);
  }

  private async write(table: string, columns: string[], all: SeedValue[][]): Promise<void> {
    // Split by size as well as count: one whiteboard can weigh a megabyte.
    let start = 0;
    while (start < all.length) {
      let end = start;
      let bytes = 0;
      while (end < all.length && end - start < MAX_BATCH_ROWS && (end === start || bytes < MAX_BATCH_BYTES)) {
        bytes += rowBytes(all[end]);
        end++;
      }
      const rows = all.slice(start, end);
      start = end;
      const one = `(${columns.map(() => '?').join(',')})`;
      const sql = `INSERT INTO ${quoteMysql(table)} (${columns.map(quoteMysql).join(',')}) VALUES ${rows.map(() => one).join(',')}`;
      try {
        await this.conn.query(sql, rows.flat());
      } catch (e) {
        throw new ConvergeError(
          'INTERNAL',
          `seeding ${table} failed: ${messageOf(e)}`,
          { stage: 'demo', table },
          { cause: e },
        );
      }
    }
  }
}

function rowBytes(values: SeedValue[]): number {
  let n = 0;
  for (const v of values) n += typeof v === 'string' ? v.length * 2 + 4 : Buffer.isBuffer(v) ? v.length * 2 + 8 : 8;
  return n;
}

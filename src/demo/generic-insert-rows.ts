import { ConvergeError, messageOf } from '../core/errors';
import { MysqlConnection } from '../source/mysql/connect';
import { quoteMysql } from '../source/mysql/quote';

/** What a fixture row may hold: JSON goes in as its text, DECIMAL as text, booleans as 0/1. */
export type SqlValue = string | number | null;
export type SqlRow = Record<string, SqlValue>;

// Under MySQL's 65,535 placeholder limit, and well under the default 16 MB max_allowed_packet
// even for rows that carry 1536-number embeddings.
const MAX_PARAMS = 30000;
const MAX_BATCH_CHARS = 4_000_000;

/**
 * Inserts rows with multi-row INSERT ... VALUES (?, ...), (?, ...) statements; the driver
 * escapes every value, so quotes, backslashes and newlines arrive unchanged.
 * Every row must have the same columns as the first. Returns the number of rows inserted.
 */
export async function insertRows(conn: MysqlConnection, table: string, rows: readonly SqlRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  const columns = Object.keys(rows[0]);
  const head = `INSERT INTO ${quoteMysql(table)} (${columns.map(quoteMysql).join(', ')}) VALUES `;
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  let batch: SqlValue[] = [];
  let batchRows = 0;
  let chars = 0;
  const flush = async (): Promise<void> => {
    if (batchRows === 0) return;
    const sql = head + new Array<string>(batchRows).fill(tuple).join(', ');
    try {
      await conn.query(sql, batch);
    } catch (e) {
      throw new ConvergeError(
        'LOAD_REJECTED',
        `seeding ${table} failed: ${messageOf(e)}`,
        { stage: 'demo', table },
        { cause: e },
      );
    }
    batch = [];
    batchRows = 0;
    chars = 0;
  };
  for (const row of rows) {
    for (const c of columns) {
      if (!(c in row))
        throw new ConvergeError('INTERNAL', `fixture row for ${table} lacks column ${c}`, {
          stage: 'demo',
          table,
          column: c,
        });
      const v = row[c];
      batch.push(v);
      chars += typeof v === 'string' ? v.length : 8;
    }
    batchRows++;
    if (batch.length + columns.length > MAX_PARAMS || chars > MAX_BATCH_CHARS) await flush();
  }
  await flush();
  return rows.length;
}

/** 'YYYY-MM-DD HH:MM:SS.ffffff' in UTC: what a DATETIME(6) column holds. */
export function mysqlDateTime(epochMs: number, micros = 0): string {
  const iso = new Date(epochMs).toISOString(); // 2024-01-02T03:04:05.678Z
  const frac = String((((Math.floor(epochMs) % 1000) + 1000) % 1000) * 1000 + (micros % 1000)).padStart(6, '0');
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}.${frac}`;
}

/** 'YYYY-MM-DD' in UTC. */
export function mysqlDate(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 10);
}

export const DAY_MS = 86_400_000;

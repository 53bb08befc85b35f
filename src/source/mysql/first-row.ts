import type { MysqlConnection } from './connect';

/** The one row an aggregate query returns (COUNT, MIN/MAX, SUM). */
export async function firstRow<T>(conn: MysqlConnection, sql: string): Promise<T> {
  const [rows] = await conn.query(sql);
  return (rows as T[])[0];
}

import type { MysqlConnection } from './connect';
import { quoteMysql } from './quote';

/** Source key column types whose binary-log text form is the value itself (a WHERE can name it). */
const KEY_TYPES = new Set(['tinyint', 'smallint', 'mediumint', 'int', 'integer', 'bigint', 'char', 'varchar']);

/** Whether rows can be selected by the text of their key's values (integers and character keys). */
export function keySelectable(types: string[]): boolean {
  return types.length > 0 && types.every((t) => KEY_TYPES.has(t.toLowerCase()));
}

/**
 * The condition selecting the rows with these keys (values in the row reader's text form), for
 * the row reader, which takes no parameters: the values are escaped by the driver into literals.
 */
export function mysqlKeysWhere(
  conn: MysqlConnection,
  columns: string[],
  keys: ReadonlyArray<ReadonlyArray<string | null>>,
): string {
  const cols = columns.map(quoteMysql);
  const tuple = (k: ReadonlyArray<string | null>) => k.map((v) => conn.escape(v)).join(', ');
  if (cols.length === 1) return `${cols[0]} IN (${keys.map(tuple).join(', ')})`;
  return `(${cols.join(', ')}) IN (${keys.map((k) => `(${tuple(k)})`).join(', ')})`;
}

export async function mysqlCountRows(conn: MysqlConnection, table: string): Promise<number> {
  const [rows] = await conn.query(`SELECT COUNT(*) AS n FROM ${quoteMysql(table)}`);
  return Number((rows as Array<{ n: unknown }>)[0].n);
}

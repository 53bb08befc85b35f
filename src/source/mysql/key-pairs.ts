import type { MysqlConnection } from './connect';
import { quoteMysql } from './quote';

/**
 * A table's (key, natural key) pairs read live, as text (NULL stays null): the source side of a
 * lookup when there is no export to read them from (verify, migrate).
 */
export function mysqlKeyPairs(
  conn: MysqlConnection,
): (table: string, key: string, naturalKey: string) => AsyncIterable<[string | null, string | null]> {
  return async function* (table, key, naturalKey) {
    const [rows] = await conn.query({
      sql: `SELECT ${quoteMysql(key)}, ${quoteMysql(naturalKey)} FROM ${quoteMysql(table)}`,
      rowsAsArray: true,
    });
    for (const r of rows as Array<[unknown, unknown]>)
      yield [r[0] === null ? null : String(r[0]), r[1] === null ? null : String(r[1])];
  };
}

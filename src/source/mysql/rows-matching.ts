import type { MysqlConnection } from './connect';
import { exportEncoding, MysqlTable } from './catalog';
import { quoteMysql } from './quote';
import { rawTypeCast, selectList } from './stream-rows';

/**
 * The live rows of a table whose columns hold the given values (export text: binary as \x
 * hex), as the snapshot's row reader gives them. For the follow's keep-newest tables: when the
 * row that won a key goes, the rows it displaced are found again by the values they share.
 */
export async function rowsMatching(
  conn: MysqlConnection,
  table: MysqlTable,
  columns: number[],
  values: ReadonlyArray<string | null>,
): Promise<Array<Array<string | null>>> {
  const { select, binary, float32 } = selectList(table);
  const where = columns
    .map((k, i) => `${quoteMysql(table.columns[k].name)} ${values[i] === null ? 'IS NULL' : '= ?'}`)
    .join(' AND ');
  const params = columns
    .map((k, i) => {
      const v = values[i];
      if (v === null) return undefined;
      return exportEncoding(table.columns[k]) === 'hex' ? Buffer.from(v.slice(2), 'hex') : v;
    })
    .filter((v) => v !== undefined);
  const [rows] = await conn.query({
    sql: `SELECT ${select} FROM ${quoteMysql(table.name)} WHERE ${where}`,
    values: params,
    rowsAsArray: true,
    typeCast: rawTypeCast(binary, float32) as never,
  });
  return (rows as Array<Array<string | Buffer | null>>).map((r) =>
    r.map((v) => (v === null ? null : Buffer.isBuffer(v) ? '\\x' + v.toString('hex') : v)),
  );
}

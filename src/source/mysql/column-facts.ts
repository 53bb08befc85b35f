import type { MysqlConnection } from './connect';
import { firstRow } from './first-row';
import { quoteMysql } from './quote';
import { MysqlColumn, selectExpression } from './catalog';

/**
 * The SQL `map init --probe` reads facts of the source data with, to settle a draft (one full
 * scan per fact). Facts, not judgements: `map check --probe` judges by running the mapping
 * itself (src/map-check). Each function names its table and column; values never reach SQL text.
 */

/** How a key column's value loads, for comparing keys as Postgres will: each step a declared rule. */
export interface KeyForm {
  emptyToNull?: boolean;
  trim?: boolean;
  lower?: boolean;
  upper?: boolean;
}

/** A pattern a column's transform requires of its values (its own, in src/transform/transforms). */
export type ValueTest = 'uuid-text' | 'uuid-binary' | 'integer' | 'numeric' | 'json';

const UUID_RE = "'^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'";
const INT_RE = "'^-?[0-9]+$'";
const NUM_RE = "'^-?([0-9]+([.][0-9]*)?|[.][0-9]+)([eE][-+]?[0-9]+)?$'";

export function keySql(column: string, f: KeyForm): string {
  let e = quoteMysql(column);
  if (f.emptyToNull) e = `NULLIF(${e}, '')`;
  if (f.trim) e = `TRIM(${e})`;
  if (f.lower) e = `LOWER(${e})`;
  if (f.upper) e = `UPPER(${e})`;
  return e;
}

export function columnFacts(conn: MysqlConnection, table: string) {
  const from = quoteMysql(table);
  const count = async (sql: string) => Number((await firstRow<{ n: number | string }>(conn, sql)).n);
  return {
    /** Distinct values as the export writes them (BIT as its number), at most `limit`. */
    async distinct(c: MysqlColumn, limit: number): Promise<string[]> {
      const col = quoteMysql(c.name);
      const [rows] = await conn.query(
        `SELECT DISTINCT CAST(${selectExpression(c, col)} AS CHAR) AS v FROM ${from} WHERE ${col} IS NOT NULL LIMIT ${limit}`,
      );
      return (rows as Array<{ v: string }>).map((r) => String(r.v));
    },
    longest: (c: MysqlColumn) => count(`SELECT COALESCE(MAX(CHAR_LENGTH(${quoteMysql(c.name)})), 0) AS n FROM ${from}`),
    empties: (c: MysqlColumn) => count(`SELECT COUNT(*) AS n FROM ${from} WHERE ${quoteMysql(c.name)} = ''`),
    nuls: (c: MysqlColumn) =>
      count(`SELECT COUNT(*) AS n FROM ${from} WHERE INSTR(${quoteMysql(c.name)}, CHAR(0 USING utf8mb4)) > 0`),
    nulls: (c: MysqlColumn, emptyIsNull: boolean) => {
      const col = quoteMysql(c.name);
      return count(`SELECT COUNT(*) AS n FROM ${from} WHERE ${col} IS NULL${emptyIsNull ? ` OR ${col} = ''` : ''}`);
    },
    /** Smallest and greatest integer; undefined when every value is NULL. */
    async range(c: MysqlColumn): Promise<[bigint, bigint] | undefined> {
      const col = quoteMysql(c.name);
      const r = await firstRow<{ lo: string | null; hi: string | null }>(
        conn,
        `SELECT CAST(MIN(${col}) AS CHAR) AS lo, CAST(MAX(${col}) AS CHAR) AS hi FROM ${from}`,
      );
      return r.lo === null || r.hi === null ? undefined : [BigInt(r.lo), BigInt(r.hi)];
    },
    /** Zero dates ('0000-00-00', '2024-00-15') and dates no calendar has ('2024-02-30'). */
    async dates(c: MysqlColumn): Promise<{ zero: number; impossible: number }> {
      const col = quoteMysql(c.name);
      const r = await firstRow<{ z: string | number; b: string | number }>(
        conn,
        `SELECT COALESCE(SUM(YEAR(${col}) = 0 OR MONTH(${col}) = 0 OR DAY(${col}) = 0), 0) AS z, COALESCE(SUM(MONTH(${col}) <> 0 AND DAY(${col}) > DAY(LAST_DAY(${col}))), 0) AS b FROM ${from} WHERE ${col} IS NOT NULL`,
      );
      return { zero: Number(r.z), impossible: Number(r.b) };
    },
    /** Values failing `test` ('' left out where it loads as NULL), counted, with the least one. */
    async failing(
      c: MysqlColumn,
      test: ValueTest,
      emptyIsNull: boolean,
    ): Promise<{ count: number; sample: string } | undefined> {
      const col = quoteMysql(c.name);
      const notEmpty = emptyIsNull || test === 'uuid-text' ? `${col} <> '' AND ` : '';
      const cond = {
        'uuid-text': `${col} NOT REGEXP ${UUID_RE}`,
        'uuid-binary': `LENGTH(${col}) <> 16`,
        integer: `${col} NOT REGEXP ${INT_RE}`,
        numeric: `${col} NOT REGEXP ${NUM_RE}`,
        json: `NOT JSON_VALID(${col})`,
      }[test];
      const r = await firstRow<{ n: number | string; sample: string | null }>(
        conn,
        `SELECT COUNT(*) AS n, MIN(LEFT(${col}, 60)) AS sample FROM ${from} WHERE ${col} IS NOT NULL AND ${notEmpty}(${cond})`,
      );
      return Number(r.n) > 0 ? { count: Number(r.n), sample: String(r.sample) } : undefined;
    },
    /** Keys (as they load) more than one row holds: how many, and the least; NULL keys never conflict. */
    async repeatedKeys(keys: Array<{ column: string; form: KeyForm }>): Promise<{ groups: number; sample: string }> {
      const exprs = keys.map((k) => keySql(k.column, k.form));
      const bytes = exprs.map((e) => `CAST(${e} AS BINARY)`).join(', ');
      const r = await firstRow<{ n: number | string; sample: string | null }>(
        conn,
        `SELECT COUNT(*) AS n, MIN(k) AS sample FROM (SELECT MIN(CONCAT_WS(', ', ${exprs.join(', ')})) AS k FROM ${from} ` +
          `WHERE ${exprs.map((e) => `${e} IS NOT NULL`).join(' AND ')} GROUP BY ${bytes} HAVING COUNT(*) > 1) d`,
      );
      return { groups: Number(r.n), sample: String(r.sample).slice(0, 120) };
    },
  };
}

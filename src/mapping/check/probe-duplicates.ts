import type { MysqlConnection } from '../../source/mysql/connect';
import { quoteMysql } from '../../source/mysql/quote';
import type { MysqlTable } from '../../source/mysql/catalog';
import type { TableRule } from '../load-mapping';
import { firstRow } from '../../source/mysql/first-row';
import type { ProbedColumn } from './probe-source';
import type { UniqueIndex } from '../../target/postgres/constraints';

/** Source rows a target unique index would refuse: how many keys repeat, and the least of them. */
export interface DuplicateFact {
  index: string;
  columns: string[];
  groups: number;
  sample: string;
}

/**
 * A MySQL expression equal for two rows exactly when their loaded values are equal in Postgres,
 * or undefined where that cannot be said in SQL (a regex replace, a lookup remap, JSON, a
 * boolean's spellings, an enum map that merges labels, a NULL replaced by a value). Bytes are
 * compared, as Postgres does, not MySQL's case-insensitive collation.
 */
export function keyExpression(c: ProbedColumn, col: string): string | undefined {
  const type = c.type ?? 'copy';
  if (c.replace || c.remap || c.nullTo !== undefined) return undefined;
  if (
    [
      'boolean',
      'json',
      'jsonb',
      'simple-json',
      'simple-array',
      'set',
      'json-array',
      'latin1-bytes',
      'latin1-base64',
    ].includes(type)
  )
    return undefined;
  if (type === 'enum' && c.map && new Set(Object.values(c.map)).size !== Object.keys(c.map).length) return undefined;
  let e = col;
  if (c.emptyToNull) e = `NULLIF(${e}, '')`;
  if (c.trim) e = `TRIM(${e})`;
  if (c.case === 'lower' || (type === 'uuid' && (c.uuidFormat ?? 'text') === 'text')) e = `LOWER(${e})`;
  if (c.case === 'upper') e = `UPPER(${e})`;
  return e;
}

/**
 * True when the source's primary key already makes these keys unique as they will load: the key
 * lies within the index's columns, and each of its columns loads as it is, or lower-cased from a
 * case-insensitive collation (where MySQL's key already refused two values differing by case).
 * Saves a full grouping of every large table whose key Postgres only repeats.
 */
export function sourceKeyHolds(src: MysqlTable, sources: string[], exprs: string[]): boolean {
  if (src.primaryKey.length === 0 || !src.primaryKey.every((k) => sources.includes(k))) return false;
  return src.primaryKey.every((k) => {
    const e = exprs[sources.indexOf(k)];
    const col = quoteMysql(k);
    if (e === col) return true;
    const ci = /_ci$/.test(src.columns.find((c) => c.name === k)?.collation ?? '');
    return ci && e === `LOWER(${col})`;
  });
}

/**
 * For each target unique index whose every column a source column feeds, and that no `unique`
 * policy of the table rule handles, the source keys held by more than one row (NULL keys never
 * conflict, as in Postgres). One grouping query per index: a full scan.
 */
export async function probeDuplicates(
  conn: MysqlConnection,
  rule: Pick<TableRule, 'source'> & { columns: Map<string, ProbedColumn>; unique?: TableRule['unique'] },
  src: MysqlTable,
  indexes: UniqueIndex[],
): Promise<DuplicateFact[]> {
  const out: DuplicateFact[] = [];
  const feeders = [...rule.columns.values()].filter((c) => !c.drop);
  for (const ix of indexes) {
    const handled = (rule.unique ?? []).some(
      (u) => u.columns.length === ix.columns.length && u.columns.every((c) => ix.columns.includes(c)),
    );
    if (handled) continue;
    const exprs: string[] = [];
    const sources: string[] = [];
    for (const target of ix.columns) {
      const c = feeders.find((f) => f.to === target);
      const e = c && keyExpression(c, quoteMysql(c.source));
      if (!e) break;
      exprs.push(e);
      sources.push(c.source);
    }
    if (exprs.length !== ix.columns.length) continue;
    if (sourceKeyHolds(src, sources, exprs)) continue;
    const bytes = exprs.map((e) => `CAST(${e} AS BINARY)`).join(', ');
    const r = await firstRow<{ n: number | string; sample: string | null }>(
      conn,
      `SELECT COUNT(*) AS n, MIN(k) AS sample FROM (SELECT MIN(CONCAT_WS(', ', ${exprs.join(', ')})) AS k FROM ${quoteMysql(rule.source)} ` +
        `WHERE ${exprs.map((e) => `${e} IS NOT NULL`).join(' AND ')} GROUP BY ${bytes} HAVING COUNT(*) > 1) d`,
    );
    if (Number(r.n) > 0)
      out.push({ index: ix.name, columns: ix.columns, groups: Number(r.n), sample: String(r.sample).slice(0, 120) });
  }
  return out;
}

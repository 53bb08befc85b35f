import type { MysqlConnection } from '../../source/mysql/connect';
import type { MysqlTable } from '../../source/mysql/catalog';
import { columnFacts, KeyForm } from '../../source/mysql/column-facts';
import type { TableRule } from '../load-mapping';
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
 * How a key column's value loads, as steps MySQL can take too (so two rows' keys compare as
 * Postgres will compare them), or undefined where that cannot be said in SQL (a regex replace, a
 * lookup remap, JSON, a boolean's spellings, an enum map that merges labels, a NULL replaced by a
 * value). Bytes are compared, as Postgres does, not MySQL's case-insensitive collation.
 */
export function keyForm(c: ProbedColumn): KeyForm | undefined {
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
  return {
    emptyToNull: !!c.emptyToNull,
    trim: !!c.trim,
    lower: c.case === 'lower' || (type === 'uuid' && (c.uuidFormat ?? 'text') === 'text'),
    upper: c.case === 'upper',
  };
}

/**
 * True when the source's primary key already makes these keys unique as they will load: the key
 * lies within the index's columns, and each of its columns loads as it is, or lower-cased from a
 * case-insensitive collation (where MySQL's key already refused two values differing by case).
 * Saves tracking (or grouping) every key of a large table whose key Postgres only repeats.
 */
export function sourceKeyHolds(src: MysqlTable, sources: string[], forms: KeyForm[]): boolean {
  if (src.primaryKey.length === 0 || !src.primaryKey.every((k) => sources.includes(k))) return false;
  return src.primaryKey.every((k) => {
    const f = forms[sources.indexOf(k)];
    if (f.emptyToNull || f.trim || f.upper) return false;
    if (!f.lower) return true;
    return /_ci$/.test(src.columns.find((c) => c.name === k)?.collation ?? '');
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
    const keys: Array<{ column: string; form: KeyForm }> = [];
    for (const target of ix.columns) {
      const c = feeders.find((f) => f.to === target);
      const form = c && keyForm(c);
      if (!c || !form) break;
      keys.push({ column: c.source, form });
    }
    if (keys.length !== ix.columns.length) continue;
    if (
      sourceKeyHolds(
        src,
        keys.map((k) => k.column),
        keys.map((k) => k.form),
      )
    )
      continue;
    const r = await columnFacts(conn, rule.source).repeatedKeys(keys);
    if (r.groups > 0) out.push({ index: ix.name, columns: ix.columns, ...r });
  }
  return out;
}

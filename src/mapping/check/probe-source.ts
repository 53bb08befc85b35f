import type { MysqlConnection } from '../../source/mysql/connect';
import type { MysqlTable } from '../../source/mysql/catalog';
import { columnFacts, ValueTest } from '../../source/mysql/column-facts';
import type { PgTable } from '../../target/postgres/catalog';
import type { ColumnRule, TableRule } from '../load-mapping';
import { emitsSourceText, integerNarrowing } from '../type-rules';
import { mysqlEnumLabels, pgEnumLabels } from './column-labels';
import type { ProbeFacts } from './mapping-problem';
import { probeDuplicates } from './probe-duplicates';
import type { UniqueIndex } from '../../target/postgres/constraints';

/** What the probe reads of a mapping: a loaded one, or a draft `map init` has not written yet. */
export interface ProbedMapping {
  tables: Map<
    string,
    Pick<TableRule, 'source' | 'target' | 'skip'> & { columns: Map<string, ProbedColumn>; unique?: TableRule['unique'] }
  >;
}

export type ProbedColumn = Pick<
  ColumnRule,
  | 'source'
  | 'to'
  | 'drop'
  | 'type'
  | 'uuidFormat'
  | 'emptyToNull'
  | 'zeroDate'
  | 'trim'
  | 'case'
  | 'replace'
  | 'invalid'
  | 'map'
  | 'remap'
  | 'nullTo'
  | 'defaulted'
>;

const TEMPORAL = new Set(['datetime', 'timestamp', 'date']);

/** More distinct values than this is not an enum: the probe stops and says so. */
export const PROBE_MAX_VALUES = 1000;

/**
 * `map init --probe`: reads the source data for the facts the catalog cannot give, to settle a
 * draft (`map check --probe` runs the mapping itself instead: src/map-check). Only what a
 * check needs: the distinct values of enum-mapped columns without declared labels, the longest
 * value of text going into a bounded target column, and NULL counts of nullable columns going
 * into NOT NULL ones, the range of integers going into a narrower integer type, boolean values,
 * zero and impossible dates, values the transform would reject, and keys a target unique index
 * refuses. One query per fact; full scans, so meant for a staging copy or a quiet hour.
 */
export async function probeSource(
  conn: MysqlConnection,
  mapping: ProbedMapping,
  source: MysqlTable[],
  targetOf: (table: string) => PgTable | undefined,
  /** "schema.table" → the target's unique indexes, for the duplicate-key probe. */
  uniques: Map<string, UniqueIndex[]> = new Map(),
): Promise<ProbeFacts> {
  const facts: ProbeFacts = {
    values: new Map(),
    longest: new Map(),
    nulls: new Map(),
    empties: new Map(),
    nuls: new Map(),
    ranges: new Map(),
    zeroDates: new Map(),
    badDates: new Map(),
    rejects: new Map(),
    duplicates: new Map(),
  };
  const sources = new Map(source.map((t) => [t.name, t]));
  for (const rule of mapping.tables.values()) {
    const src = sources.get(rule.source);
    const tgt = targetOf(rule.target);
    if (rule.skip || !src || !tgt) continue;
    const q = columnFacts(conn, src.name);
    const dups = await probeDuplicates(conn, rule, src, uniques.get(`${tgt.schema}.${tgt.name}`) ?? []);
    if (dups.length) facts.duplicates.set(rule.source, dups);
    for (const c of rule.columns.values()) {
      const s = src.columns.find((x) => x.name === c.source);
      const t = tgt.columns.find((x) => x.name === c.to);
      if (c.drop || !s || !t) continue;
      const key = `${src.name}.${s.name}`;
      const type = c.type ?? 'copy';
      const labelled = !!pgEnumLabels(t) || type === 'enum';
      if (type === 'boolean' || (labelled && !mysqlEnumLabels(s.columnType)))
        facts.values.set(key, await q.distinct(s, PROBE_MAX_VALUES + 1));
      if (t.maxLength !== null && emitsSourceText(type)) facts.longest.set(key, await q.longest(s));
      // A NULL-giving type default does not hold for a NOT NULL target: count what it would null.
      const nulledByDefault = (k: string) => t.notNull && !!c.defaulted?.includes(k);
      if (type === 'uuid' && (c.uuidFormat ?? 'text') === 'text' && (!c.emptyToNull || nulledByDefault('emptyToNull')))
        facts.empties.set(key, await q.empties(s));
      if (emitsSourceText(type) && /char|text/.test(s.dataType)) facts.nuls.set(key, await q.nuls(s));
      if ((type === 'copy' || type === 'integer' || type === 'numeric') && integerNarrowing(s, t))
        facts.ranges.set(key, await q.range(s));
      if ((type === 'timestamp' || type === 'date') && TEMPORAL.has(s.dataType)) {
        const d = await q.dates(s);
        if ((c.zeroDate ?? 'error') === 'error' || (c.zeroDate === 'null' && nulledByDefault('zeroDate')))
          facts.zeroDates.set(key, d.zero);
        facts.badDates.set(key, d.impossible);
      }
      const test = valueTest(c, s);
      const failing = test && (await q.failing(s, test, !!c.emptyToNull));
      if (failing) facts.rejects.set(key, failing);
      if (t.notNull && s.nullable) facts.nulls.set(key, await q.nulls(s, !!c.emptyToNull));
    }
  }
  return facts;
}

const TEXTUAL = /char|text/;

/**
 * The pattern a column's transform requires, or none where the source type already guarantees
 * the value (an INT into integer) or a declared rule rewrites it first (trim, case, replace: the
 * raw value is not what the transform reads).
 */
function valueTest(c: ProbedColumn, s: MysqlTable['columns'][number]): ValueTest | undefined {
  if (c.trim || c.case || c.replace) return undefined;
  const type = c.type ?? 'copy';
  if (type === 'uuid') return (c.uuidFormat ?? 'text') === 'text' ? 'uuid-text' : 'uuid-binary';
  if (!TEXTUAL.test(s.dataType)) return undefined;
  if (type === 'integer') return 'integer';
  if (type === 'numeric') return 'numeric';
  if ((type === 'json' || type === 'jsonb' || type === 'simple-json') && (c.invalid ?? 'error') === 'error')
    return 'json';
  return undefined;
}

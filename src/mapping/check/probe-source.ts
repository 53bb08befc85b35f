import type { MysqlConnection } from '../../source/mysql/connect';
import { firstRow } from '../../source/mysql/first-row';
import { quoteMysql } from '../../source/mysql/quote';
import { selectExpression, MysqlTable } from '../../source/mysql/catalog';
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
 * `map check --probe`: reads the source data for the facts the catalog cannot give. Only what a
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
    const from = quoteMysql(src.name);
    const dups = await probeDuplicates(conn, rule, src, uniques.get(`${tgt.schema}.${tgt.name}`) ?? []);
    if (dups.length) facts.duplicates.set(rule.source, dups);
    for (const c of rule.columns.values()) {
      const s = src.columns.find((x) => x.name === c.source);
      const t = tgt.columns.find((x) => x.name === c.to);
      if (c.drop || !s || !t) continue;
      const key = `${src.name}.${s.name}`;
      const col = quoteMysql(s.name);
      const type = c.type ?? 'copy';
      const labelled = !!pgEnumLabels(t) || type === 'enum';
      if (type === 'boolean' || (labelled && !mysqlEnumLabels(s.columnType))) {
        // As the export writes them (BIT as its number), so the checks see what the transform will.
        const [rows] = await conn.query(
          `SELECT DISTINCT CAST(${selectExpression(s, col)} AS CHAR) AS v FROM ${from} WHERE ${col} IS NOT NULL LIMIT ${PROBE_MAX_VALUES + 1}`,
        );
        facts.values.set(
          key,
          (rows as Array<{ v: string }>).map((r) => String(r.v)),
        );
      }
      if (t.maxLength !== null && emitsSourceText(type))
        facts.longest.set(key, await count(conn, `SELECT COALESCE(MAX(CHAR_LENGTH(${col})), 0) AS n FROM ${from}`));
      // A NULL-giving type default does not hold for a NOT NULL target: count what it would null.
      const nulledByDefault = (k: string) => t.notNull && !!c.defaulted?.includes(k);
      if (type === 'uuid' && (c.uuidFormat ?? 'text') === 'text' && (!c.emptyToNull || nulledByDefault('emptyToNull')))
        facts.empties.set(key, await count(conn, `SELECT COUNT(*) AS n FROM ${from} WHERE ${col} = ''`));
      if (emitsSourceText(type) && /char|text/.test(s.dataType))
        facts.nuls.set(
          key,
          await count(conn, `SELECT COUNT(*) AS n FROM ${from} WHERE INSTR(${col}, CHAR(0 USING utf8mb4)) > 0`),
        );
      if ((type === 'copy' || type === 'integer' || type === 'numeric') && integerNarrowing(s, t)) {
        const r = await firstRow<{ lo: string | null; hi: string | null }>(
          conn,
          `SELECT CAST(MIN(${col}) AS CHAR) AS lo, CAST(MAX(${col}) AS CHAR) AS hi FROM ${from}`,
        );
        facts.ranges.set(key, r.lo === null || r.hi === null ? undefined : [BigInt(r.lo), BigInt(r.hi)]);
      }
      if ((type === 'timestamp' || type === 'date') && TEMPORAL.has(s.dataType)) {
        const r = await firstRow<{ z: string | number; b: string | number }>(
          conn,
          `SELECT COALESCE(SUM(YEAR(${col}) = 0 OR MONTH(${col}) = 0 OR DAY(${col}) = 0), 0) AS z, COALESCE(SUM(MONTH(${col}) <> 0 AND DAY(${col}) > DAY(LAST_DAY(${col}))), 0) AS b FROM ${from} WHERE ${col} IS NOT NULL`,
        );
        if ((c.zeroDate ?? 'error') === 'error' || (c.zeroDate === 'null' && nulledByDefault('zeroDate')))
          facts.zeroDates.set(key, Number(r.z));
        facts.badDates.set(key, Number(r.b));
      }
      const reject = rejectCondition(c, s, col);
      if (reject) {
        const r = await firstRow<{ n: number | string; sample: string | null }>(
          conn,
          `SELECT COUNT(*) AS n, MIN(LEFT(${col}, 60)) AS sample FROM ${from} WHERE ${col} IS NOT NULL AND (${reject})`,
        );
        if (Number(r.n) > 0) facts.rejects.set(key, { count: Number(r.n), sample: String(r.sample) });
      }
      if (t.notNull && s.nullable)
        facts.nulls.set(
          key,
          await count(
            conn,
            `SELECT COUNT(*) AS n FROM ${from} WHERE ${col} IS NULL${c.emptyToNull ? ` OR ${col} = ''` : ''}`,
          ),
        );
    }
  }
  return facts;
}

async function count(conn: MysqlConnection, sql: string): Promise<number> {
  return Number((await firstRow<{ n: number | string }>(conn, sql)).n);
}

const UUID_RE = "'^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'";
const INT_RE = "'^-?[0-9]+$'";
const NUM_RE = "'^-?([0-9]+([.][0-9]*)?|[.][0-9]+)([eE][-+]?[0-9]+)?$'";
const TEXTUAL = /char|text/;

/**
 * The SQL condition a value meets when the column's transform would reject it, or none where the
 * source type already guarantees the value (an INT into integer) or a declared rule rewrites it
 * first (trim, case, replace: the raw value is not what the transform reads). The same patterns
 * as the transforms' own (src/transform/transforms).
 */
function rejectCondition(c: ProbedColumn, s: MysqlTable['columns'][number], col: string): string | undefined {
  if (c.trim || c.case || c.replace) return undefined;
  const type = c.type ?? 'copy';
  const notEmpty = c.emptyToNull ? `${col} <> '' AND ` : '';
  if (type === 'uuid' && (c.uuidFormat ?? 'text') === 'text') return `${col} <> '' AND ${col} NOT REGEXP ${UUID_RE}`;
  if (type === 'uuid') return `${notEmpty}LENGTH(${col}) <> 16`;
  if (!TEXTUAL.test(s.dataType)) return undefined;
  if (type === 'integer') return `${notEmpty}${col} NOT REGEXP ${INT_RE}`;
  if (type === 'numeric') return `${notEmpty}${col} NOT REGEXP ${NUM_RE}`;
  if ((type === 'json' || type === 'jsonb' || type === 'simple-json') && (c.invalid ?? 'error') === 'error')
    return `${notEmpty}NOT JSON_VALID(${col})`;
  return undefined;
}

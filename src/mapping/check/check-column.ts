import type { MysqlColumn } from '../../source/mysql/catalog';
import type { PgColumn } from '../../target/postgres/catalog';
import type { ColumnRule, TableRule } from '../load-mapping';
import {
  conversionProblem,
  emitsSourceText,
  integerNarrowing,
  pgIntRange,
  sourceKind,
  targetKind,
} from '../type-rules';
import { DEFAULT_FALSE, DEFAULT_TRUE } from '../boolean-spellings';
import { mysqlEnumLabels, pgEnumLabels } from './column-labels';
import { CheckInput, MappingProblem } from './mapping-problem';

/** Can this rule hand NULL to the target? (a nullable source, or a declared change to NULL). */
export function canGiveNull(c: ColumnRule, s: MysqlColumn): boolean {
  if (c.nullTo !== undefined) return false;
  // A mapping-wide default (defaults.<type>) is written for the nullable columns of its type; on
  // a NOT NULL one it gives NULL only for values the probe counts (zero dates, '' uuids).
  const own = (k: string) => !c.defaulted?.includes(k);
  return (
    s.nullable ||
    (!!c.emptyToNull && own('emptyToNull')) ||
    (c.zeroDate === 'null' && own('zeroDate')) ||
    (c.invalid === 'null' && own('invalid'))
  );
}

/** Type pair, enum labels and lengths of one mapped column. */
export function checkColumn(
  input: CheckInput,
  rule: TableRule,
  c: ColumnRule,
  s: MysqlColumn,
  t: PgColumn,
): MappingProblem[] {
  const problems: MappingProblem[] = [];
  const table = rule.source;
  const base = { table, column: c.source, at: c.at };
  const type = c.type ?? 'copy';
  const from = sourceKind(s);
  const to = targetKind(t);
  const conv = conversionProblem(type, from, to);
  if (conv)
    problems.push({
      ...base,
      kind: 'type-mismatch',
      severity: 'error',
      message: conv,
      expected: `a transform from ${s.columnType} to ${t.type}`,
      found: `type: ${type}`,
    });
  if (type === 'uuid') {
    const fmt = c.uuidFormat ?? 'text';
    if (from === 'binary' && fmt === 'text')
      problems.push({
        ...base,
        kind: 'type-mismatch',
        severity: 'error',
        message: `source is ${s.columnType}: a binary uuid`,
        expected: 'uuidFormat: binary (or swapped, for UUID_TO_BIN(u, 1))',
        found: 'uuidFormat: text',
      });
    if (from === 'string' && fmt !== 'text')
      problems.push({
        ...base,
        kind: 'type-mismatch',
        severity: 'error',
        message: `source is ${s.columnType}: a text uuid`,
        expected: 'uuidFormat: text',
        found: `uuidFormat: ${fmt}`,
      });
  }
  const key = `${table}.${c.source}`;
  const narrow = type === 'copy' || type === 'integer' || type === 'numeric' ? integerNarrowing(s, t) : undefined;
  if (narrow && input.probe?.ranges.has(key)) {
    // --probe read the values: only what is really there matters.
    const range = input.probe.ranges.get(key);
    const fits = pgIntRange(t.type)!;
    if (range && (range[0] < fits[0] || range[1] > fits[1])) {
      problems.push({
        ...base,
        kind: 'out-of-range',
        severity: 'error',
        message: `source values fall outside target column ${c.to} (${t.type}): widen the target type`,
        expected: `${fits[0]}..${fits[1]}`,
        found: `${range[0]}..${range[1]} (probed)`,
      });
    }
  } else if (narrow)
    problems.push({
      ...base,
      kind: 'narrowing',
      severity: 'warning',
      message: `values may not fit: ${narrow}; run with --probe to read the range held`,
      expected: t.type,
      found: s.columnType,
    });

  const sourceLabels = mysqlEnumLabels(s.columnType) ?? input.probe?.values.get(key);
  const targetLabels = pgEnumLabels(t) ?? input.checkLabels.get(`${tableSchema(input, rule.target)}.${c.to}`);
  if (type === 'enum') {
    const map = c.map ?? {};
    if (sourceLabels) {
      const missing = sourceLabels.filter((l) => !Object.hasOwn(map, l));
      if (missing.length)
        problems.push({
          ...base,
          kind: 'enum-value-unmapped',
          severity: 'error',
          message: `the map misses value(s) the source ${mysqlEnumLabels(s.columnType) ? 'declares' : 'holds'}`,
          expected: `map entries for ${quoteAll(missing)}`,
          found: `map keys ${quoteAll(Object.keys(map))}`,
        });
    } else {
      problems.push({
        ...base,
        kind: 'enum-values-unknown',
        severity: 'warning',
        message: `source ${s.columnType} declares no labels: run map check --probe to check the values it holds`,
      });
    }
    if (targetLabels) {
      const bad = [...new Set(Object.values(map))].filter((l) => !targetLabels.includes(l));
      if (bad.length)
        problems.push({
          ...base,
          kind: 'enum-label-invalid',
          severity: 'error',
          message: `the map lands on label(s) target column ${c.to} does not allow`,
          expected: `one of ${quoteAll(targetLabels)}`,
          found: quoteAll(bad),
        });
    }
  } else if (targetLabels && emitsSourceText(type) && sourceLabels) {
    const bad = sourceLabels.filter((l) => !targetLabels.includes(l));
    if (bad.length)
      problems.push({
        ...base,
        kind: 'enum-label-invalid',
        severity: 'error',
        message: `source value(s) target column ${c.to} does not allow; declare type: enum with a map`,
        expected: `one of ${quoteAll(targetLabels)}`,
        found: quoteAll(bad),
      });
  }

  const found = type === 'boolean' ? input.probe?.values.get(key) : undefined;
  if (found) {
    const unread = unreadBooleans(found, c);
    if (unread.length)
      problems.push({
        ...base,
        kind: 'value-invalid',
        severity: 'error',
        message: `value(s) the boolean transform reads as neither true nor false`,
        expected: 'trueValues / falseValues naming them',
        found: `${quoteAll(unread)} (probed)`,
      });
  }
  const rejected = input.probe?.rejects.get(key);
  if (rejected)
    problems.push({
      ...base,
      kind: 'value-invalid',
      severity: 'error',
      message: `${rejected.count} value(s) the ${type} transform rejects, such as ${JSON.stringify(rejected.sample)}`,
      expected: REJECT_FIX[type] ?? 'values the transform reads',
      found: `${rejected.count} value(s) (probed)`,
    });
  const zeros = input.probe?.zeroDates.get(key) ?? 0;
  if (zeros > 0)
    problems.push({
      ...base,
      kind: 'value-invalid',
      severity: 'error',
      message: `${zeros} row(s) hold a zero date, which Postgres has no value for`,
      expected: 'zeroDate: null, or zeroDate: <a replacement value> (counted)',
      found: `${zeros} zero date(s) (probed), zeroDate: error`,
    });
  const badDates = input.probe?.badDates.get(key) ?? 0;
  if (badDates > 0)
    problems.push({
      ...base,
      kind: 'value-invalid',
      severity: 'error',
      message: `${badDates} row(s) hold a date no calendar has (such as February 30), which the load would reject`,
      expected: 'real dates: fix them in the source',
      found: `${badDates} impossible date(s) (probed)`,
    });
  const empties = input.probe?.empties.get(key) ?? 0;
  if (empties > 0)
    problems.push({
      ...base,
      kind: 'value-invalid',
      severity: 'error',
      message: `${empties} row(s) hold '', which is not a uuid`,
      expected: "emptyToNull: true (counted), if '' means no reference",
      found: `${empties} '' value(s) (probed)`,
    });
  const nuls = input.probe?.nuls.get(key) ?? 0;
  if (nuls > 0)
    problems.push({
      ...base,
      kind: 'value-invalid',
      severity: 'error',
      message: `${nuls} value(s) hold U+0000, which Postgres text cannot store`,
      expected: 'latin1-base64 or latin1-bytes (bytes kept as a latin1 string), or a replace',
      found: `${nuls} value(s) with NUL (probed)`,
    });
  if (t.maxLength !== null && (emitsSourceText(type) || type === 'enum')) {
    const longest = input.probe?.longest.get(key);
    const declared = type === 'enum' ? Math.max(0, ...Object.values(c.map ?? {}).map((v) => v.length)) : s.maxLength;
    if (longest !== undefined && type !== 'enum') {
      if (longest > t.maxLength)
        problems.push({
          ...base,
          kind: 'too-long',
          severity: 'error',
          message: `the longest source value has ${longest} characters; target column ${c.to} holds ${t.maxLength}`,
          expected: `at most ${t.maxLength} characters`,
          found: `${longest} (probed)`,
        });
    } else if (declared !== null && declared > t.maxLength) {
      problems.push({
        ...base,
        kind: 'too-long',
        severity: 'error',
        message: `a value can be longer than target column ${c.to} (${t.type})${type === 'enum' ? '' : '; run with --probe to measure the longest value'}`,
        expected: `at most ${t.maxLength} characters`,
        found: type === 'enum' ? `a label of ${declared}` : s.columnType,
      });
    }
  }
  return problems;
}

function tableSchema(input: CheckInput, target: string): string {
  return target.includes('.') ? target : `${input.targetSchema}.${target}`;
}

function quoteAll(xs: string[]): string {
  const shown = xs
    .slice(0, 12)
    .map((x) => JSON.stringify(x))
    .join(', ');
  return xs.length > 12 ? `${shown}, … (${xs.length} in all)` : shown || 'none';
}

/** Values found in a boolean column that its true and false spellings do not cover ('' is NULL under emptyToNull). */
export function unreadBooleans(
  found: string[],
  c: Pick<ColumnRule, 'trueValues' | 'falseValues' | 'emptyToNull'>,
): string[] {
  const known = new Set([...(c.trueValues ?? DEFAULT_TRUE), ...(c.falseValues ?? DEFAULT_FALSE)]);
  return found.filter((v) => !known.has(v) && !(v === '' && c.emptyToNull));
}

/** What makes values a transform rejects loadable, by transform. */
const REJECT_FIX: Partial<Record<string, string>> = {
  uuid: 'uuids: fix the source rows, or load the column as text',
  integer: 'integers: fix the source rows, or a replace that makes them so',
  numeric: 'numbers: fix the source rows, or a replace that makes them so',
  json: 'valid JSON, or invalid: null (counted)',
  jsonb: 'valid JSON, or invalid: null (counted)',
  'simple-json': 'valid JSON, or invalid: null (counted)',
};

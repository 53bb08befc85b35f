import type { MysqlColumn } from '../../source/mysql/catalog';
import type { PgColumn } from '../../target/postgres/catalog';
import type { ColumnRule, TableRule } from '../load-mapping';
import { conversionProblem, emitsSourceText, integerNarrowing, sourceKind, targetKind } from '../type-rules';
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
  const narrow = type === 'copy' || type === 'integer' || type === 'numeric' ? integerNarrowing(s, t) : undefined;
  // With --probe the data was read through the program: only values really there are reported (probe-program.ts).
  if (narrow && !input.probed)
    problems.push({
      ...base,
      kind: 'narrowing',
      severity: 'warning',
      message: `values may not fit: ${narrow}; run with --probe to read the range held`,
      expected: t.type,
      found: s.columnType,
    });

  const sourceLabels = mysqlEnumLabels(s.columnType);
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
    } else if (!input.probed) {
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

  if (t.maxLength !== null && (emitsSourceText(type) || type === 'enum')) {
    const declared = type === 'enum' ? Math.max(0, ...Object.values(c.map ?? {}).map((v) => v.length)) : s.maxLength;
    // --probe measured what the column holds (probe-program.ts): the declared length is only a maybe.
    if (declared !== null && declared > t.maxLength && (type === 'enum' || !input.probed)) {
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

import { findTable, PgColumn } from '../../target/postgres/catalog';
import type { ValueProblem } from '../value-advice';
import type { Where } from '../load-mapping';
import type { CheckInput, MappingProblem } from './mapping-problem';
import { targetFit } from './target-fit';

/**
 * Every value the mapping itself writes into a column (nullTo, a zeroDate replacement, a
 * replace whose result is the whole value, an added constant) goes in as it is written, past
 * the column's transform: it must be a value of the target column's type. Judged by the same
 * targetFit the probe applies to the data, so `nullTo: not-a-uuid` into uuid, `many` into
 * integer, a string longer than varchar(n) or an integer out of range is an error at the
 * mapping entry's file and line, before any row is read. Pure.
 */
export function checkDeclaredValues(
  input: Pick<CheckInput, 'mapping' | 'target' | 'targetSchema' | 'checkLabels'>,
): MappingProblem[] {
  const problems: MappingProblem[] = [];
  for (const rule of input.mapping.tables.values()) {
    if (rule.skip) continue;
    const tgt = findTable(input.target, input.targetSchema, rule.target);
    if (!tgt) continue;
    const column = (name: string) => tgt.columns.find((c) => c.name === name);
    const judge = (pc: PgColumn, key: string, value: string, at: Where, source?: string) => {
      const fit = targetFit(pc, 'copy', input.checkLabels.get(`${tgt.schema}.${tgt.name}.${pc.name}`));
      const p = fit?.(value);
      if (!p) return;
      problems.push({
        kind: 'declared-value-invalid',
        severity: 'error',
        table: rule.source,
        column: source ?? pc.name,
        at,
        message: `${key} ${JSON.stringify(value)} ${REASON[p] ?? 'is not a value of'} target column ${pc.name} (${pc.type})`,
        expected: `a value of ${pc.type}${pc.maxLength !== null ? ` (at most ${pc.maxLength} characters)` : ''}`,
        found: JSON.stringify(value),
      });
    };
    for (const c of rule.columns.values()) {
      const pc = !c.drop ? column(c.to) : undefined;
      if (!pc) continue;
      if (c.nullTo !== undefined) judge(pc, 'nullTo', c.nullTo, c.at, c.source);
      if (c.zeroDate !== undefined && c.zeroDate !== 'null' && c.zeroDate !== 'error')
        judge(pc, 'zeroDate', c.zeroDate, c.at, c.source);
      const whole = c.replace && wholeValue(c.replace);
      if (whole !== undefined) judge(pc, 'replace.with', whole, c.at, c.source);
    }
    for (const [to, spec] of Object.entries(rule.add)) {
      const pc = column(to);
      if (pc && typeof spec.constant === 'string')
        judge(pc, 'constant', spec.constant, rule.addAt?.[to] ?? rule.at, `add.${to}`);
    }
  }
  return problems;
}

/** A replace whose pattern spans the whole value (^…$) and whose result names no group: the value it writes. */
function wholeValue(r: { pattern: string; with: string }): string | undefined {
  if (!r.pattern.startsWith('^') || !r.pattern.endsWith('$') || r.pattern.endsWith('\\$')) return undefined;
  return /\$[\d&<`']/.test(r.with) ? undefined : r.with.replace(/\$\$/g, '$');
}

const REASON: Partial<Record<ValueProblem, string>> = {
  'uuid-invalid': 'is not a uuid, so it cannot load into',
  'empty-uuid': "is '', not a uuid, so it cannot load into",
  'integer-invalid': 'is not an integer, so it cannot load into',
  'number-invalid': 'is not a number, so it cannot load into',
  'out-of-range': 'is out of the range of',
  'too-long': 'is longer than',
  'boolean-unread': 'is not a boolean, so it cannot load into',
  'nul-in-text': 'holds U+0000, which cannot load into',
  'json-invalid': 'is not valid JSON, so it cannot load into',
  'nul-in-jsonb': 'holds \\u0000, which cannot load into',
  'zero-date': 'is a zero date, which cannot load into',
  'impossible-date': 'is not a date, so it cannot load into',
  'enum-label-invalid': 'is a label not allowed by',
};

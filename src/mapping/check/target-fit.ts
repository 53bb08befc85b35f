import type { PgColumn } from '../../target/postgres/catalog';
import type { ValueProblem } from '../value-advice';
import { isZeroDate } from '../zero-date';
import { pgIntRange, targetKind } from '../type-rules';
import { pgEnumLabels } from './column-labels';

/**
 * Whether a value the table program emits loads into its target column, as Postgres's COPY will
 * judge it: NULL into NOT NULL, text longer than varchar(n), an integer outside the column's
 * range, U+0000 in text, the \u0000 escape in jsonb, a label the enum or CHECK does not allow,
 * '' or junk where a uuid goes. The program judges what the mapping does; this judges what the
 * target accepts, on the program's own output. Pure; undefined where nothing can fail.
 */
export type Fit = (v: string | null) => ValueProblem | undefined;

const UUID = /^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$/;
const INT = /^-?\d+$/;
const JSON_NUL = /(^|[^\\])(\\\\)*\\u0000/;
/** What Postgres's boolean input reads (any unique prefix of its words, any case, spaces around). */
const PG_BOOL = /^\s*(t|tr|tru|true|y|ye|yes|on|1|f|fa|fal|fals|false|n|no|of|off|0)\s*$/i;
const NUM = /^\s*(-|\+)?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?\s*$|^\s*(-|\+)?(nan|infinity|inf)\s*$/i;
/** A date or timestamp as MySQL and the transform write it (with a zone or a T, as Postgres also reads). */
const DATE = /^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}(:?\d{2})?|Z)?)?$/;
const JSON_RULES = new Set(['json', 'jsonb', 'simple-json']);

export function targetFit(t: PgColumn, ruleType: string | undefined, labels?: string[]): Fit | undefined {
  const checks: Array<(v: string) => ValueProblem | undefined> = [];
  const kind = targetKind(t);
  const type = ruleType ?? 'copy';
  if (kind === 'text') {
    const max = t.maxLength;
    checks.push((v) => (v.includes('\u0000') ? 'nul-in-text' : undefined));
    if (max !== null) checks.push((v) => (v.length > max && codePoints(v) > max ? 'too-long' : undefined));
  }
  if (kind === 'int') {
    const range = pgIntRange(t.typtype === 'd' && t.baseType ? t.baseType : t.type);
    checks.push((v) => {
      if (!INT.test(v)) return 'integer-invalid';
      if (range && v.length > 4 && (BigInt(v) < range[0] || BigInt(v) > range[1])) return 'out-of-range';
      return undefined;
    });
  }
  if (kind === 'bool') checks.push((v) => (PG_BOOL.test(v) ? undefined : 'boolean-unread'));
  if (kind === 'numeric' || kind === 'float') checks.push((v) => (NUM.test(v) ? undefined : 'number-invalid'));
  if (kind === 'uuid') checks.push((v) => (UUID.test(v) ? undefined : v === '' ? 'empty-uuid' : 'uuid-invalid'));
  if (kind === 'json' || kind === 'jsonb') {
    if (!JSON_RULES.has(type)) checks.push((v) => (validJson(v) ? undefined : 'json-invalid'));
    if (kind === 'jsonb') checks.push((v) => (v.includes('\\u0000') && JSON_NUL.test(v) ? 'nul-in-jsonb' : undefined));
  }
  if ((kind === 'timestamp' || kind === 'date') && (type === 'copy' || type === 'text'))
    checks.push((v) => (isZeroDate(v) ? 'zero-date' : DATE.test(v) ? undefined : 'impossible-date'));
  const allowed = pgEnumLabels(t) ?? labels;
  if (allowed) {
    const set = new Set(allowed);
    checks.push((v) => (set.has(v) ? undefined : 'enum-label-invalid'));
  }
  if (!t.notNull && !checks.length) return undefined;
  const notNull = t.notNull;
  return (v) => {
    if (v === null) return notNull ? 'null-into-not-null' : undefined;
    for (let i = 0; i < checks.length; i++) {
      const p = checks[i](v);
      if (p) return p;
    }
    return undefined;
  };
}

/** Characters as Postgres counts them (code points, not UTF-16 units). */
export function codePoints(v: string): number {
  let n = v.length;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) n--;
  }
  return n;
}

function validJson(v: string): boolean {
  try {
    JSON.parse(v);
    return true;
  } catch {
    return false;
  }
}

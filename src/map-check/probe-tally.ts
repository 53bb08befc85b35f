import type { ChangeKind } from '../transform/change-ledger';
import { advise, AdviceFix, AdviceTarget, existingRowText, ValueProblem } from '../mapping/value-advice';
import type { TableRule, Where } from '../mapping/load-mapping';
import type { MappingProblem, ProblemKind } from '../mapping/check/mapping-problem';
import { codePoints } from '../mapping/check/target-fit';
import { repeatedKeyText } from '../core/key-text';

/** One kind of problem in one column, over every row the probe read. */
export interface ValueFinding {
  table: string;
  /** The source column (`add.<name>` for an added one; the index's columns for a duplicate). */
  column: string;
  to: string;
  at: Where;
  problem: ValueProblem;
  target: AdviceTarget;
  count: number;
  /** The first row it was found in: its source key, the value, and the transform's own words. */
  first: { key: string; value?: string; message?: string };
  /** Distinct values seen (at most VALUES_KEPT): what a boolean or enum rule must name. */
  values: string[];
  longest?: number;
  /** duplicate-key: the target index (none for a `unique: fail` policy of the mapping) and every column of the key. */
  index?: { name?: string; columns: string[] };
}

/** One kind of change the ledger counted in one column, with the first row it changed. */
export interface ChangeFinding {
  table: string;
  column: string;
  kind: ChangeKind;
  count: number;
  firstKey: string;
}

export interface ProbedTable {
  table: string;
  rows: number;
  /** Characters of field text read (what MB/s is measured on). */
  bytes: number;
  seconds: number;
}

const VALUES_KEPT = 20;

/** What `map check --probe` found, as it streams: counted per table, column and kind. */
export class ProbeTally {
  readonly findings = new Map<string, ValueFinding>();
  readonly changes = new Map<string, ChangeFinding>();
  readonly tables: ProbedTable[] = [];

  constructor(readonly sample?: number) {}

  problem(
    rule: TableRule,
    column: string,
    to: string,
    at: Where,
    target: AdviceTarget,
    problem: ValueProblem,
    line: number,
    keyText: (line: number) => string,
    value: string | null,
    message: string | undefined,
  ): void {
    const id = `${rule.source}\u0000${column}\u0000${problem}`;
    let f = this.findings.get(id);
    if (!f) {
      f = {
        table: rule.source,
        column,
        to,
        at,
        problem,
        target,
        count: 0,
        first: { key: keyText(line), value: value === null ? undefined : clip(value), message },
        values: [],
      };
      this.findings.set(id, f);
    }
    f.count++;
    if (value !== null && f.values.length < VALUES_KEPT && !f.values.includes(value) && value.length <= 80)
      f.values.push(value);
    if (problem === 'too-long' && value !== null) f.longest = Math.max(f.longest ?? 0, codePoints(value));
  }

  /** A key seen before: `values` is the repeated values' text, comma-separated as Postgres prints them. */
  duplicate(
    rule: TableRule,
    columns: string[],
    index: string | undefined,
    line: number,
    keyText: (l: number) => string,
    values: string,
  ): void {
    const id = `${rule.source}\u0000${index ?? columns.join('+')}\u0000duplicate-key`;
    let f = this.findings.get(id);
    if (!f) {
      f = {
        table: rule.source,
        column: columns.join(', '),
        to: columns.join(', '),
        at: rule.at,
        problem: 'duplicate-key',
        target: {},
        count: 0,
        first: { key: keyText(line), value: clip(values) },
        values: [],
        index: { name: index, columns },
      };
      this.findings.set(id, f);
    }
    f.count++;
  }

  /** A source row whose key the target already holds, where the table's existing policy is fail. */
  existing(rule: TableRule, key: string[], line: number, keyText: (l: number) => string, values: string): void {
    const id = `${rule.source}\u0000${key.join('+')}\u0000existing-row`;
    let f = this.findings.get(id);
    if (!f) {
      f = {
        table: rule.source,
        column: key.join(', '),
        to: rule.target,
        at: rule.at,
        problem: 'existing-row',
        target: {},
        count: 0,
        first: { key: keyText(line), value: clip(values) },
        values: [],
        index: { columns: key },
      };
      this.findings.set(id, f);
    }
    f.count++;
  }

  change(rule: TableRule, column: string, kind: ChangeKind, line: number, keyText: (l: number) => string): void {
    const id = `${rule.source}\u0000${column}\u0000${kind}`;
    const c = this.changes.get(id);
    if (c) c.count++;
    else this.changes.set(id, { table: rule.source, column, kind, count: 1, firstKey: keyText(line) });
  }

  table(table: string, rows: number, bytes: number, seconds: number): void {
    this.tables.push({ table, rows, bytes, seconds });
  }

  totals(): { rows: number; bytes: number; seconds: number } {
    return this.tables.reduce(
      (t, x) => ({ rows: t.rows + x.rows, bytes: t.bytes + x.bytes, seconds: t.seconds + x.seconds }),
      {
        rows: 0,
        bytes: 0,
        seconds: 0,
      },
    );
  }

  /** Every finding as a map check problem, with the advice for its target column and the fix it stands for. */
  problems(): Array<MappingProblem & { fix?: AdviceFix; count: number; firstKey: string }> {
    const sampled = this.sample !== undefined ? `, in the first ${this.sample} rows of the table` : '';
    return [...this.findings.values()].map((f) => {
      const advice = advise(f.problem, f.target, {
        values: f.values,
        longest: f.longest,
        columns: f.index?.columns,
      });
      const example = f.first.value !== undefined ? `: ${JSON.stringify(f.first.value)}` : ' (NULL)';
      const isDup = f.problem === 'duplicate-key';
      const isExisting = f.problem === 'existing-row';
      const byKey = isDup || isExisting;
      return {
        kind: KIND[f.problem],
        severity: 'error' as const,
        table: f.table,
        column: byKey ? undefined : f.column,
        at: f.at,
        message: isDup
          ? `${f.count} row(s) repeat a key the target refuses; the first: ${repeatedKeyText(f.index!.columns, f.first.value ?? '', f.index!.name)}, at source key ${f.first.key}`
          : isExisting
            ? `${f.count} row(s) the load would refuse; the first: ${existingRowText(f.to, f.index!.columns, f.first.value ?? '')}, at source key ${f.first.key}`
            : `${f.count} value(s) ${describe(f)}; the first at source key ${f.first.key}${example}`,
        expected: advice.words,
        found: `${f.count} ${isDup ? 'repeated key(s)' : isExisting ? 'key(s) the target holds' : 'value(s)'} (probed${sampled})`,
        fix: advice.fix,
        count: f.count,
        firstKey: f.first.key,
      };
    });
  }
}

function clip(v: string): string {
  return v.length > 60 ? v.slice(0, 60) + '…' : v;
}

const KIND: Record<ValueProblem, ProblemKind> = {
  'nul-in-text': 'value-invalid',
  'nul-in-jsonb': 'value-invalid',
  'json-invalid': 'value-invalid',
  'not-latin1': 'value-invalid',
  'boolean-unread': 'value-invalid',
  'zero-date': 'value-invalid',
  'impossible-date': 'value-invalid',
  'empty-uuid': 'value-invalid',
  'uuid-invalid': 'value-invalid',
  'integer-invalid': 'value-invalid',
  'number-invalid': 'value-invalid',
  'value-invalid': 'value-invalid',
  'enum-unmapped': 'enum-value-unmapped',
  'enum-label-invalid': 'enum-label-invalid',
  'null-into-not-null': 'null-into-not-null',
  'too-long': 'too-long',
  'out-of-range': 'out-of-range',
  'duplicate-key': 'duplicate-rows',
  'existing-row': 'existing-rows',
};

function describe(f: ValueFinding): string {
  const col = `target column ${f.to}`;
  switch (f.problem) {
    case 'nul-in-text':
      return 'hold U+0000, which Postgres text cannot store';
    case 'nul-in-jsonb':
      return `hold the JSON escape \\u0000, which ${col} (jsonb) cannot store`;
    case 'json-invalid':
      return 'are not valid JSON';
    case 'not-latin1':
      return 'hold a character above U+00FF, which a latin1 byte string cannot';
    case 'boolean-unread':
      return `read as neither true nor false (${f.values.map((v) => JSON.stringify(v)).join(', ')})`;
    case 'zero-date':
      return 'hold a zero date, which Postgres has no value for';
    case 'impossible-date':
      return 'hold a date no calendar has (such as February 30)';
    case 'empty-uuid':
      return "hold '', which is not a uuid";
    case 'uuid-invalid':
      return 'are not uuids';
    case 'integer-invalid':
      return 'are not integers';
    case 'number-invalid':
      return 'are not numbers';
    case 'enum-unmapped':
      return `are missing from the enum map (${f.values.map((v) => JSON.stringify(v)).join(', ')})`;
    case 'enum-label-invalid':
      return `are labels ${col} does not allow`;
    case 'null-into-not-null':
      return `are NULL, but ${col} is NOT NULL`;
    case 'too-long':
      return `are longer than ${col} holds; the longest has ${f.longest} characters`;
    case 'out-of-range':
      return `fall outside the range of ${col}`;
    default:
      return 'are refused by the transform';
  }
}

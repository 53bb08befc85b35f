import { DEFAULT_TRUE } from '../boolean-spellings';
import { unreadBooleans } from '../check/check-column';
import type { ProbeFacts } from '../check/mapping-problem';
import type { TransformType } from '../mapping-schema';
import type { DraftTable } from './draft-mapping';

/** What a dirty value needs, decided once for a transform type (defaults.<type>) instead of per column. */
export interface TypeDefaultProposal {
  type: TransformType;
  /** The rule as one line of YAML flow, as the draft writes it (commented out). */
  yaml: string;
  reason: string;
  /** "table.column" of every column whose probe finding it settles. */
  covers: string[];
  /** Which finding it settles on those columns. */
  settles: 'zero-dates' | 'empty-uuids' | 'boolean-spellings';
}

/**
 * `map init --probe`: the few mapping-wide defaults the data needs. Zero dates and '' uuids are
 * proposed as NULL only for nullable target columns (a NOT NULL column keeps its own TODO: only a
 * person can name the value it gets); integer booleans other than 0 and 1 (TINYINT(1) holding 2
 * or -1, as C and MySQL read them) as true. Pure: the facts come from probeSource.
 */
export function proposeTypeDefaults(tables: DraftTable[], facts: ProbeFacts): TypeDefaultProposal[] {
  const zero = new Map<TransformType, Array<[string, number]>>();
  const empty: Array<[string, number]> = [];
  const truthy = new Set<string>();
  const boolCols: string[] = [];
  for (const t of tables)
    for (const c of t.columns) {
      const key = `${t.source}.${c.source}`;
      const nullable = !c.target.notNull;
      const zeros = facts.zeroDates.get(key) ?? 0;
      if (zeros > 0 && nullable && (c.spec.type === 'timestamp' || c.spec.type === 'date'))
        zero.set(c.spec.type, [...(zero.get(c.spec.type) ?? []), [key, zeros]]);
      const empties = facts.empties.get(key) ?? 0;
      if (empties > 0 && nullable && c.spec.type === 'uuid') empty.push([key, empties]);
      const values = facts.values.get(key);
      if (c.spec.type === 'boolean' && values && !c.spec.trueValues && !c.spec.falseValues) {
        const unread = unreadBooleans(values, c.spec);
        if (unread.length && unread.every((v) => /^-?[0-9]+$/.test(v))) {
          unread.forEach((v) => truthy.add(v));
          boolCols.push(key);
        }
      }
    }
  const proposals: TypeDefaultProposal[] = [];
  for (const [type, cols] of zero)
    proposals.push({
      type,
      yaml: `${type}: { zeroDate: null }`,
      reason: `--probe found ${total(cols)} zero date(s) in ${describe(cols)}, all nullable: load them as NULL`,
      covers: cols.map(([k]) => k),
      settles: 'zero-dates',
    });
  if (empty.length)
    proposals.push({
      type: 'uuid',
      yaml: 'uuid: { emptyToNull: true }',
      reason: `--probe found ${total(empty)} '' value(s) where a uuid is read, in ${describe(empty)}, all nullable: load them as NULL`,
      covers: empty.map(([k]) => k),
      settles: 'empty-uuids',
    });
  if (boolCols.length) {
    const extra = [...truthy].sort((a, b) => Number(a) - Number(b));
    proposals.push({
      type: 'boolean',
      yaml: `boolean: { trueValues: [${[...DEFAULT_TRUE, ...extra].map((v) => JSON.stringify(v)).join(', ')}] }`,
      reason: `--probe found integer(s) ${extra.join(', ')} in ${boolCols.length} boolean column(s) (${boolCols.join(', ')}): read every non-zero integer found as true`,
      covers: boolCols,
      settles: 'boolean-spellings',
    });
  }
  return proposals;
}

function total(cols: Array<[string, number]>): number {
  return cols.reduce((n, [, c]) => n + c, 0);
}

function describe(cols: Array<[string, number]>): string {
  return `${cols.length} column(s) (${cols.map(([k, n]) => `${k} ${n}`).join(', ')})`;
}

import type { ProblemKind } from '../check/mapping-problem';

/**
 * Every kind of TODO `map init` writes, with the `map check` problems it stands for. A draft
 * is meant to fail `map check` only where it says so: the map-init integration tests hold every
 * error of `map check` on a fresh draft to a TODO of a kind listed here for that problem, and
 * docs/mapping.md documents each kind (a unit test compares the two).
 */
export const TODO_KINDS = {
  timezone: { problems: [], doc: 'the zone the source DATETIME values are written in' },
  'source-table-unmatched': { problems: ['table-unmapped'], doc: 'a source table no target table matches' },
  'source-column-unmatched': { problems: ['column-unmapped'], doc: 'a source column no target column matches' },
  'target-column-unfed': {
    problems: ['not-null-unfed'],
    doc: 'a NOT NULL target column without default that nothing feeds',
  },
  'label-unmatched': { problems: ['enum-value-unmapped'], doc: 'a source label no target label matches' },
  'enum-values-unknown': {
    problems: ['enum-value-unmapped'],
    doc: 'VARCHAR into an enum: the values are unknown without --probe',
  },
  narrowing: { problems: ['too-long', 'narrowing', 'out-of-range'], doc: 'a type whose values may not fit the target' },
  'null-into-not-null': { problems: ['null-into-not-null'], doc: 'the source allows NULL, the target does not' },
  'no-rule': { problems: ['type-mismatch'], doc: 'no transform converts the pair' },
  choice: { problems: ['type-mismatch'], doc: 'two readings of the same bytes; only a person knows which' },
  'target-seeded': {
    problems: ['target-not-empty'],
    doc: "rows the target's own migrations wrote: skip, replace or remap",
  },
  'unique-conflict': {
    problems: ['duplicate-rows'],
    doc: 'with --probe: source rows a target-only unique index refuses',
  },
  'value-invalid': { problems: ['value-invalid'], doc: 'with --probe: values the inferred transform would reject' },
  'type-default': {
    problems: ['value-invalid'],
    doc: 'with --probe: one mapping-wide default (defaults.<type>) settles a kind of dirty value in every column it names',
  },
} as const satisfies Record<string, { problems: readonly ProblemKind[]; doc: string }>;

export type TodoKind = keyof typeof TODO_KINDS;

/** True when a `map check` problem of this kind is one a TODO of that kind announced. */
export function todoCovers(todo: TodoKind, problem: ProblemKind): boolean {
  return (TODO_KINDS[todo].problems as readonly ProblemKind[]).includes(problem);
}

import type { Where } from '../load-mapping';
import type { MysqlTable } from '../../source/mysql/catalog';
import type { PgCatalog } from '../../target/postgres/catalog';
import type { Mapping } from '../load-mapping';
import type { DuplicateFact } from './probe-duplicates';
import type { AdviceFix } from '../value-advice';

/** Every kind of problem `map check` finds; stable names for scripts and tests. */
export type ProblemKind =
  | 'table-unmapped' // a source table with no rule
  | 'table-unknown' // a rule for a table the source does not have
  | 'target-table-unknown'
  | 'column-unmapped' // a source column neither mapped nor dropped
  | 'column-unknown' // a rule (or drop, concat, lookup) naming a source column that does not exist
  | 'target-column-unknown'
  | 'target-column-fed-twice'
  | 'target-column-generated'
  | 'not-null-unfed' // a NOT NULL target column without default that nothing feeds
  | 'null-into-not-null' // a column that can give NULL feeding a NOT NULL target column
  | 'type-mismatch'
  | 'narrowing'
  | 'enum-value-unmapped' // a value the source allows that the map misses
  | 'enum-label-invalid' // a label the target does not allow
  | 'enum-values-unknown' // the source does not declare its values: --probe finds them
  | 'too-long'
  | 'out-of-range' // --probe found integers the narrower target type cannot hold
  | 'target-not-empty' // the target already holds rows and nothing says what becomes of them
  | 'duplicate-rows' // --probe found source keys a target unique index refuses, with no unique policy
  | 'existing-rows' // --probe found source keys the target already holds, where the existing policy is fail
  | 'value-invalid' // --probe found values the transform rejects ('' as a uuid, NUL in text)
  | 'tracking-table-copied' // a migration tool's tracking table mapped as data (src/mapping/check/tracking-tables.ts)
  | 'declared-value-invalid' // a value the mapping writes (nullTo, zeroDate, a constant) the target column cannot hold
  | 'follow-unsupported'; // --follow: a row policy, or a table without a key, the binlog follow cannot apply (follow-limits.ts)

export interface MappingProblem {
  kind: ProblemKind;
  severity: 'error' | 'warning';
  table: string;
  column?: string;
  /** Where in the mapping to fix it (file, line, key). */
  at?: Where;
  message: string;
  expected?: string;
  found?: string;
  /** --probe: the change that makes these values load, as mapping keys or a target column type (advice.ts). */
  fix?: AdviceFix;
  /** --probe: how many values, and the source key of the first row holding one. */
  count?: number;
  firstKey?: string;
}

/** What `map init --probe` learns from the source data to settle a draft, keyed "table.column" (probe-source.ts). */
export interface ProbeFacts {
  /** Distinct values (at most PROBE_MAX_VALUES + 1) of enum-mapped columns without declared labels, and of boolean columns. */
  values: Map<string, string[]>;
  longest: Map<string, number>;
  nulls: Map<string, number>;
  /** '' values in columns read as uuid. */
  empties: Map<string, number>;
  /** Values holding U+0000, in columns loaded as text. */
  nuls: Map<string, number>;
  /** Zero dates ('0000-00-00', '2024-00-15') in temporal columns whose zeroDate policy is error. */
  zeroDates: Map<string, number>;
  /** Dates no calendar has ('2024-02-30', stored under ALLOW_INVALID_DATES) in temporal columns. */
  badDates: Map<string, number>;
  /** Values the column's transform would reject (junk in a uuid, integer or JSON column), counted, with the least one. */
  rejects: Map<string, { count: number; sample: string }>;
  /** Source table → keys more than one row holds, per target unique index no `unique` policy handles. */
  duplicates: Map<string, DuplicateFact[]>;
  /** Smallest and greatest value of integer columns going into a narrower integer type; undefined when all are NULL. */
  ranges: Map<string, [bigint, bigint] | undefined>;
}

export interface CheckInput {
  mapping: Mapping;
  source: MysqlTable[];
  target: PgCatalog;
  targetSchema: string;
  /** "schema.table.column" → labels its CHECK constraints allow. */
  checkLabels: Map<string, string[]>;
  /** Source tables the pipeline never exports. */
  excluded?: string[];
  /**
   * The data was read through the table program (map check --probe): the catalog's maybes
   * (narrowing, nullable into NOT NULL, declared lengths, enum values unknown) give way to
   * what the probe found, which it reports itself.
   */
  probed?: boolean;
  /** "schema.table" → rows the target holds now (its migrations' seed, or an earlier load). */
  targetRows?: Map<string, number>;
  /** Tables the pipeline replaces wholesale (replaceSeeded): rows there are expected. */
  replaced?: Set<string>;
  /** The pipeline will be followed (migrate --follow): also what the follow refuses. */
  follow?: boolean;
}

export function describeProblem(p: MappingProblem): string {
  const where = p.at ? `${p.at.file}:${p.at.line} (key ${p.at.key})` : `table ${p.table}`;
  const col = p.column ? ` column ${p.column}:` : '';
  const ef = [p.expected !== undefined ? `expected ${p.expected}` : '', p.found !== undefined ? `found ${p.found}` : '']
    .filter(Boolean)
    .join('; ');
  return `${p.severity === 'error' ? 'error' : 'warning'} ${p.kind}: ${where}:${col} ${p.message}${ef ? ` (${ef})` : ''}`;
}

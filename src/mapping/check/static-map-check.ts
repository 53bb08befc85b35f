import { ConvergeError } from '../../core/errors';
import type { MysqlTable } from '../../source/mysql/catalog';
import { readPgCatalog } from '../../target/postgres/catalog';
import type { PgSession } from '../../target/postgres/connect';
import type { Mapping } from '../load-mapping';
import { checkMapping } from './check-mapping';
import { readCheckLabels } from './column-labels';
import { checkDeclaredValues } from './declared-values';
import { describeProblem, MappingProblem, ProblemKind } from './mapping-problem';

/**
 * Problems no data can make right: the run would fail at the first row, or load something wrong.
 * A missing target table is left to the load's own check, which names it schema-qualified.
 */
const CERTAIN = new Set<ProblemKind>([
  'target-column-fed-twice',
  'target-column-generated',
  'not-null-unfed',
  'enum-label-invalid',
  'declared-value-invalid',
  'tracking-table-copied',
]);

/**
 * `map check`'s static checks, for a command to run at its start (transform, import, migrate):
 * with the source catalog, every check map check makes without --probe; without it, those that
 * need only the target (the values the mapping declares against their columns' types). Every
 * error is listed in one MAPPING_INVALID, at the first one's file and line; warnings are returned.
 */
export async function requireStaticMapCheck(o: {
  pg: PgSession;
  mapping: Mapping;
  targetSchema: string;
  source?: MysqlTable[];
  excluded?: string[];
  stage: 'transform' | 'import';
  /**
   * Only errors that make the run certainly fail or certainly wrong (what the data cannot
   * change); errors that depend on the values (a nullable source into NOT NULL) are left to
   * the load, which names the row, or to map check --probe.
   */
  certainOnly?: boolean;
}): Promise<MappingProblem[]> {
  const schemas = [
    ...new Set([
      o.targetSchema,
      ...[...o.mapping.tables.values()]
        .map((t) => t.target)
        .filter((t) => t.includes('.'))
        .map((t) => t.split('.')[0]),
    ]),
  ];
  const target = await readPgCatalog(o.pg, schemas);
  const checkLabels = await readCheckLabels(o.pg, schemas);
  const input = { mapping: o.mapping, target, targetSchema: o.targetSchema, checkLabels };
  const problems = o.source
    ? checkMapping({ ...input, source: o.source, excluded: o.excluded })
    : checkDeclaredValues(input);
  const errors = problems.filter((p) => p.severity === 'error' && (!o.certainOnly || CERTAIN.has(p.kind)));
  if (errors.length)
    throw new ConvergeError(
      'MAPPING_INVALID',
      `the mapping fails map check's static checks (${errors.length} error(s)):\n${errors.map(describeProblem).join('\n')}`,
      { ...errors[0].at, table: errors[0].table, column: errors[0].column, stage: o.stage },
    );
  return problems;
}

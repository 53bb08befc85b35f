import type { MysqlTable } from '../../source/mysql/catalog';
import { findTable, isUnfedNotNull, namesTable, PgTable } from '../../target/postgres/catalog';
import type { TableRule } from '../load-mapping';
import { checkColumn, canGiveNull } from './check-column';
import { CheckInput, MappingProblem } from './mapping-problem';
import { checkDeclaredValues } from './declared-values';
import { followProblems } from './follow-limits';

/**
 * Proves a mapping against both catalogs before any data moves, and lists every problem at
 * once (the loader and compileTable stop at the first). Pure: catalogs and probe facts in,
 * problems out, so each kind of problem has a unit test on a purpose-broken mapping.
 */
export function checkMapping(input: CheckInput): MappingProblem[] {
  const problems: MappingProblem[] = [];
  const { mapping } = input;
  const sources = new Map(input.source.map((t) => [t.name, t]));
  const excluded = new Set(input.excluded ?? []);
  for (const t of input.source) {
    if (!mapping.tables.has(t.name) && !excluded.has(t.name)) {
      problems.push({
        kind: 'table-unmapped',
        severity: 'error',
        table: t.name,
        message: 'source table has no rule: map it, or mark it skip',
        expected: `tables.${t.name}`,
        found: 'nothing',
      });
    }
  }
  for (const rule of mapping.tables.values()) {
    const src = sources.get(rule.source);
    if (!src) {
      if (!excluded.has(rule.source))
        problems.push({
          kind: 'table-unknown',
          severity: 'error',
          table: rule.source,
          at: rule.at,
          message: 'the source has no such table',
          found: closest(rule.source, [...sources.keys()]),
        });
      continue;
    }
    if (rule.skip) continue;
    const tgt = targetTable(input, rule.target);
    if (!tgt) {
      problems.push({
        kind: 'target-table-unknown',
        severity: 'error',
        table: rule.source,
        at: rule.at,
        message: `the target has no table ${rule.target}`,
        found: closest(
          rule.target,
          [...input.target.tables.values()].map((t) => t.name),
        ),
      });
      continue;
    }
    problems.push(...checkTable(input, rule, src, tgt));
  }
  for (const [name, l] of mapping.lookups) {
    for (const side of ['source', 'target'] as const) {
      const cols =
        side === 'source'
          ? sources.get(l[side].table)?.columns.map((c) => c.name)
          : targetTable(input, l[side].table)?.columns.map((c) => c.name);
      if (!cols)
        problems.push({
          kind: side === 'source' ? 'table-unknown' : 'target-table-unknown',
          severity: 'error',
          table: l[side].table,
          at: l.at,
          message: `lookup ${name}: the ${side} has no table ${l[side].table}`,
        });
      else
        for (const c of [l[side].key, l[side].naturalKey])
          if (!cols.includes(c))
            problems.push({
              kind: side === 'source' ? 'column-unknown' : 'target-column-unknown',
              severity: 'error',
              table: l[side].table,
              column: c,
              at: l.at,
              message: `lookup ${name}: the ${side} table ${l[side].table} has no column ${c}`,
            });
    }
  }
  problems.push(...checkDeclaredValues(input));
  return problems;
}

function checkTable(input: CheckInput, rule: TableRule, src: MysqlTable, tgt: PgTable): MappingProblem[] {
  const problems: MappingProblem[] = [];
  const held = input.targetRows?.get(`${tgt.schema}.${tgt.name}`) ?? 0;
  if (held > 0 && !rule.existing && !(input.replaced && namesTable(input.replaced, tgt))) {
    problems.push({
      kind: 'target-not-empty',
      // The load refuses a non-empty table: an error, not a hint.
      severity: 'error',
      table: rule.source,
      at: rule.at,
      message: `target table ${rule.target} already holds ${held} row(s) (its migrations' seed, or an earlier load): the import refuses a non-empty table`,
      expected:
        "existing: { key: [...], policy: skip | replace | fail }, the table under the pipeline's replaceSeeded, or import --truncate (deletes those rows)",
      found: `${held} row(s)`,
    });
  }
  const srcCols = new Map(src.columns.map((c) => [c.name, c]));
  const tgtCols = new Map(tgt.columns.map((c) => [c.name, c]));
  const table = rule.source;
  for (const c of src.columns) {
    if (!rule.columns.has(c.name) && !rule.drop.has(c.name)) {
      problems.push({
        kind: 'column-unmapped',
        severity: 'error',
        table,
        column: c.name,
        at: rule.at,
        message: 'source column is neither mapped nor dropped',
        expected: `a rule under columns, or the name under drop`,
        found: c.columnType,
      });
    }
  }
  for (const d of rule.drop) {
    if (!srcCols.has(d))
      problems.push({
        kind: 'column-unknown',
        severity: 'error',
        table,
        column: d,
        at: rule.at,
        message: 'dropped column is not in the source table',
        found: closest(d, [...srcCols.keys()]),
      });
  }
  const fed = new Map<string, string>();
  const feed = (to: string, from: string, at = rule.at): void => {
    if (!tgtCols.has(to)) {
      problems.push({
        kind: 'target-column-unknown',
        severity: 'error',
        table,
        column: from,
        at,
        message: `target table ${rule.target} has no column ${to}`,
        found: closest(to, [...tgtCols.keys()]),
      });
      return;
    }
    if (fed.has(to))
      problems.push({
        kind: 'target-column-fed-twice',
        severity: 'error',
        table,
        column: from,
        at,
        message: `target column ${to} is already fed by ${fed.get(to)}`,
      });
    if (tgtCols.get(to)!.generated)
      problems.push({
        kind: 'target-column-generated',
        severity: 'error',
        table,
        column: from,
        at,
        message: `target column ${to} is generated: Postgres computes it, COPY cannot load it`,
        expected: 'drop the source column',
      });
    fed.set(to, from);
  };
  const nullable = new Set<string>();
  for (const c of rule.columns.values()) {
    if (c.drop) continue;
    const s = srcCols.get(c.source);
    if (!s) {
      problems.push({
        kind: 'column-unknown',
        severity: 'error',
        table,
        column: c.source,
        at: c.at,
        message: `source table ${table} has no column ${c.source}`,
        found: closest(c.source, [...srcCols.keys()]),
      });
      continue;
    }
    feed(c.to, c.source, c.at);
    const t = tgtCols.get(c.to);
    if (!t) continue;
    problems.push(...checkColumn(input, rule, c, s, t));
    if (canGiveNull(c, s)) nullable.add(c.to);
  }
  for (const [to, spec] of Object.entries(rule.add)) {
    feed(to, `add.${to}`);
    for (const n of spec.concat ?? [])
      if (!srcCols.has(n))
        problems.push({
          kind: 'column-unknown',
          severity: 'error',
          table,
          column: n,
          at: rule.at,
          message: `add.${to} concatenates ${n}, which the source table does not have`,
        });
    if (spec.constant === null || (spec.concat ?? []).some((n) => srcCols.get(n)?.nullable)) nullable.add(to);
  }
  const dropsNull = new Set(rule.dropRowsWithNull);
  for (const t of tgt.columns) {
    if (!t.notNull || t.generated) continue;
    if (!fed.has(t.name)) {
      if (isUnfedNotNull(t, (n) => fed.has(n)))
        problems.push({
          kind: 'not-null-unfed',
          severity: 'error',
          table,
          column: t.name,
          at: rule.at,
          message: `target column ${rule.target}.${t.name} is NOT NULL with no default and nothing feeds it`,
          expected: 'a mapped source column (to:), or add: { constant: … }',
          found: 'no feed',
        });
      continue;
    }
    if (!nullable.has(t.name) || dropsNull.has(t.name)) continue;
    const from = fed.get(t.name)!;
    const rule0 = rule.columns.get(from);
    // --probe read the NULLs through the program and reports those that reach the column.
    if (input.probed) continue;
    problems.push({
      kind: 'null-into-not-null',
      severity: 'error',
      table,
      column: from,
      at: rule0?.at ?? rule.at,
      message: `can give NULL, but target column ${t.name} is NOT NULL`,
      expected: 'nullTo: <value>, or the column under dropRowsWithNull',
      found: 'a nullable source (run with --probe to count NULLs)',
    });
  }
  const targetNames = new Set(fed.keys());
  const policyCols: Array<[string, string]> = [
    ...rule.unique.flatMap((u) => [
      ...u.columns.map((c): [string, string] => [c, 'unique']),
      ...(u.newest ? [[u.newest, 'unique.newest'] as [string, string]] : []),
    ]),
    ...(rule.existing?.key ?? []).map((c): [string, string] => [c, 'existing.key']),
    ...rule.dropRowsWithNull.map((c): [string, string] => [c, 'dropRowsWithNull']),
  ];
  if (input.follow)
    problems.push(
      ...followProblems(rule, {
        source: src.primaryKey,
        target: tgt.primaryKey,
        targetName: `${tgt.schema}.${tgt.name}`,
        loaded: [...targetNames],
      }),
    );
  for (const [c, where] of policyCols) {
    if (!targetNames.has(c))
      problems.push({
        kind: 'target-column-unknown',
        severity: 'error',
        table,
        column: c,
        at: rule.at,
        message: `${where} names ${c}, which is not a target column this mapping loads`,
        found: closest(c, [...targetNames]),
      });
  }
  return problems;
}

function targetTable(input: CheckInput, name: string): PgTable | undefined {
  return findTable(input.target, input.targetSchema, name);
}

/** "did you mean": the candidate equal ignoring case and underscores, if any. */
function closest(name: string, candidates: string[]): string | undefined {
  const n = name.toLowerCase().replace(/[_-]/g, '');
  const hit = candidates.find((c) => c.toLowerCase().replace(/[_-]/g, '') === n);
  return hit ? `did you mean ${hit}?` : undefined;
}

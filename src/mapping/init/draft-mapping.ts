import type { MysqlTable } from '../../source/mysql/catalog';
import type { PgCatalog, PgTable } from '../../target/postgres/catalog';
import { InferredColumn, inferColumn } from './infer-column';
import { matchNames } from './match-names';

export interface DraftTodo {
  table: string;
  column?: string;
  reason: string;
}

export interface DraftColumn extends InferredColumn {
  source: string;
  to: string;
}

export interface DraftTable {
  source: string;
  target: string;
  columns: DraftColumn[];
  /** Source columns with no target column: left unmapped, each with a TODO. */
  sourceOnly: string[];
  /** Target columns NOT NULL without default that no source column feeds. */
  unfed: string[];
}

export interface Draft {
  tables: DraftTable[];
  /** Source tables with no target table: left unmapped, each with a TODO. */
  sourceOnlyTables: string[];
  /** Target tables no source table feeds (seeded by the application, or new). */
  targetOnlyTables: string[];
  todos: DraftTodo[];
}

export interface DraftInput {
  source: MysqlTable[];
  target: PgCatalog;
  targetSchema: string;
  /**
   * Every schema the draft may target. With more than one, target tables are named
   * schema.table, so MySQL's prefixed tables (erp_people) can meet them (erp.people).
   */
  targetSchemas?: string[];
  /** "schema.table.column" → labels its CHECK constraints allow. */
  checkLabels: Map<string, string[]>;
  excluded?: string[];
  keep?: string[];
}

/**
 * A draft mapping from both catalogs: tables and columns matched by name, a transform per type
 * pair, and every undecidable point listed as a TODO (also returned, for the CLI and tests).
 */
export function draftMapping(input: DraftInput): Draft {
  const excluded = new Set(input.excluded ?? []);
  const keep = new Set(input.keep ?? []);
  const schemas = new Set(input.targetSchemas?.length ? input.targetSchemas : [input.targetSchema]);
  const qualify = schemas.size > 1;
  const nameOf = (t: PgTable) => (qualify ? `${t.schema}.${t.name}` : t.name);
  const targets = new Map<string, PgTable>(
    [...input.target.tables.values()].filter((t) => schemas.has(t.schema) && !keep.has(t.name) && !keep.has(`${t.schema}.${t.name}`)).map((t) => [nameOf(t), t]),
  );
  const sources = input.source.filter((t) => !excluded.has(t.name));
  const m = matchNames(sources.map((t) => t.name).sort(), [...targets.keys()].sort());
  const todos: DraftTodo[] = [];
  const tables: DraftTable[] = [];
  for (const [s, t] of m.pairs.sort(([a], [b]) => a.localeCompare(b))) {
    const src = sources.find((x) => x.name === s)!;
    const tgt = targets.get(t)!;
    const cm = matchNames(src.columns.map((c) => c.name), tgt.columns.filter((c) => !c.generated).map((c) => c.name));
    const columns: DraftColumn[] = cm.pairs.map(([sc, tc]) => {
      const inferred = inferColumn(src.columns.find((c) => c.name === sc)!, tgt.columns.find((c) => c.name === tc)!, input.checkLabels.get(`${tgt.schema}.${tgt.name}.${tc}`));
      for (const reason of inferred.todos) todos.push({ table: s, column: sc, reason });
      return { source: sc, to: tc, ...inferred };
    });
    const order = new Map(src.columns.map((c, i) => [c.name, i]));
    columns.sort((a, b) => order.get(a.source)! - order.get(b.source)!);
    for (const c of cm.leftOnly) todos.push({ table: s, column: c, reason: `no target column matches: map it (to: <column>) or list it under drop` });
    const unfed = cm.rightOnly.filter((c) => {
      const col = tgt.columns.find((x) => x.name === c)!;
      return col.notNull && !col.hasDefault && !col.identity;
    });
    for (const c of unfed) todos.push({ table: s, column: c, reason: `target column ${c} is NOT NULL with no default and no source column: add: { ${c}: { constant: … } } or map a column to it` });
    tables.push({ source: s, target: t, columns, sourceOnly: cm.leftOnly, unfed });
  }
  for (const s of m.leftOnly) todos.push({ table: s, reason: 'no target table matches: mark it skip, or set target: <table>' });
  return { tables, sourceOnlyTables: m.leftOnly, targetOnlyTables: m.rightOnly, todos };
}

import type { MysqlTable } from '../../source/mysql/catalog';
import type { PgCatalog, PgColumn, PgTable } from '../../target/postgres/catalog';
import { pgEnumLabels } from '../check/column-labels';
import { ColumnTodo, InferredColumn, inferColumn } from './infer-column';
import { matchNames } from './match-names';
import { trackingTool } from '../check/tracking-tables';
import type { TodoKind } from './todo-kinds';
import type { TypeDefaultProposal } from './propose-type-defaults';

export interface DraftTodo {
  kind: TodoKind;
  table: string;
  column?: string;
  reason: string;
  /** A mapping-wide TODO (defaults.<type>): the "table.column" keys it decides for. */
  covers?: string[];
}

export interface DraftColumn extends InferredColumn {
  source: string;
  to: string;
  /** The target column it feeds, and the labels it allows (enum or CHECK), for refining with data. */
  target: PgColumn;
  labels?: string[];
}

export interface DraftTable {
  source: string;
  target: string;
  /** The target table's "schema.table". */
  targetKey: string;
  /** Points a person has to decide for the whole table (not one column). */
  tableTodos: ColumnTodo[];
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
  /** Migration-tracking tables on either side: left out of the draft, each with its reason. */
  trackingTables: TrackingTable[];
  /** Mapping-wide defaults `--probe` proposes, one per kind of dirty value (written commented out). */
  typeDefaults: TypeDefaultProposal[];
  todos: DraftTodo[];
}

export interface TrackingTable {
  side: 'source' | 'target';
  table: string;
  tool: string;
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
  /** Tracking tables the pipeline declares, besides the migration tools' known ones. */
  tracking?: string[];
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
  const trackingTables: TrackingTable[] = [];
  const isTracking = (side: TrackingTable['side'], table: string) => {
    const tool = trackingTool(table, input.tracking);
    if (tool) trackingTables.push({ side, table, tool });
    return tool !== undefined;
  };
  const targets = new Map<string, PgTable>(
    [...input.target.tables.values()]
      .filter((t) => schemas.has(t.schema) && !keep.has(t.name) && !keep.has(`${t.schema}.${t.name}`))
      .filter((t) => !isTracking('target', nameOf(t)))
      .map((t) => [nameOf(t), t]),
  );
  const sources = input.source.filter((t) => !excluded.has(t.name) && !isTracking('source', t.name));
  const m = matchNames(sources.map((t) => t.name).sort(), [...targets.keys()].sort());
  const tables: DraftTable[] = [];
  for (const [s, t] of m.pairs.sort(([a], [b]) => a.localeCompare(b))) {
    const src = sources.find((x) => x.name === s)!;
    const tgt = targets.get(t)!;
    const cm = matchNames(
      src.columns.map((c) => c.name),
      tgt.columns.filter((c) => !c.generated).map((c) => c.name),
    );
    const columns: DraftColumn[] = cm.pairs.map(([sc, tc]) => {
      const target = tgt.columns.find((c) => c.name === tc)!;
      const checked = input.checkLabels.get(`${tgt.schema}.${tgt.name}.${tc}`);
      const inferred = inferColumn(
        src.columns.find((c) => c.name === sc)!,
        target,
        checked,
      );
      return { source: sc, to: tc, target, labels: pgEnumLabels(target) ?? checked, ...inferred };
    });
    const order = new Map(src.columns.map((c, i) => [c.name, i]));
    columns.sort((a, b) => order.get(a.source)! - order.get(b.source)!);
    const unfed = cm.rightOnly.filter((c) => {
      const col = tgt.columns.find((x) => x.name === c)!;
      return col.notNull && !col.hasDefault && !col.identity;
    });
    tables.push({
      source: s,
      target: t,
      targetKey: `${tgt.schema}.${tgt.name}`,
      tableTodos: [],
      columns,
      sourceOnly: cm.leftOnly,
      unfed,
    });
  }
  return withTodos({
    tables,
    sourceOnlyTables: m.leftOnly,
    targetOnlyTables: m.rightOnly,
    trackingTables,
    typeDefaults: [],
  });
}

/**
 * The draft with its TODO list, read off its tables and columns in the draft's order (a table's
 * column TODOs, its unmatched and unfed columns, its table-level TODOs; unmatched tables last).
 * Every step that changes a draft (markSeeded, refineDraft) ends here, so the list never drifts.
 */
export function withTodos(draft: Omit<Draft, 'todos'>): Draft {
  const todos: DraftTodo[] = draft.typeDefaults.map((d) => ({
    kind: 'type-default',
    table: 'defaults',
    column: d.type,
    reason: `${d.reason}: uncomment \`${d.yaml}\` under defaults (each value counted), or decide per column`,
    covers: d.covers,
  }));
  for (const t of draft.tables) {
    const table = t.source;
    for (const c of t.columns) for (const x of c.todos) todos.push({ table, column: c.source, ...x });
    for (const c of t.sourceOnly)
      todos.push({
        kind: 'source-column-unmatched',
        table,
        column: c,
        reason: `no target column matches: map it (to: <column>) or list it under drop`,
      });
    for (const c of t.unfed)
      todos.push({
        kind: 'target-column-unfed',
        table,
        column: c,
        reason: `target column ${c} is NOT NULL with no default and no source column: add: { ${c}: { constant: … } } or map a column to it`,
      });
    for (const x of t.tableTodos) todos.push({ table, ...x });
  }
  for (const s of draft.sourceOnlyTables)
    todos.push({
      kind: 'source-table-unmatched',
      table: s,
      reason: 'no target table matches: mark it skip, or set target: <table>',
    });
  return { ...draft, todos };
}

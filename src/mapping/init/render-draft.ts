import { stringify } from 'yaml';
import type { Draft, DraftColumn, DraftTodo } from './draft-mapping';
import { trackingReason } from '../check/tracking-tables';

/** A TODO as written into the draft: its 1-based line in the file, and what it is about. */
export interface WrittenTodo extends DraftTodo {
  line: number;
}

export interface RenderedDraft {
  text: string;
  /** Every `# TODO(kind)` line of the text, in file order: what `map init` prints, one for one. */
  todos: WrittenTodo[];
}

/** The draft as YAML text (see renderDraftWithTodos). */
export function renderDraft(draft: Draft, opts: { title: string; schemaRef?: string }): string {
  return renderDraftWithTodos(draft, opts).text;
}

/**
 * The draft as YAML text, in the hand-written style of the committed mappings (one line per
 * column, shorthand where the rule is only a type), with TODO comments where they apply. The
 * TODOs are listed as they are written (kind, table, column, line), so the list `map init`
 * prints is the file's, never a second account of it that could drift.
 */
export function renderDraftWithTodos(draft: Draft, opts: { title: string; schemaRef?: string }): RenderedDraft {
  const L: string[] = [];
  const todos: WrittenTodo[] = [];
  const todo = (indent: string, t: DraftTodo): void => {
    // One line each: a reason with a line break would move every later line number.
    const reason = t.reason.replace(/\s*\n\s*/g, ' ');
    L.push(`${indent}# TODO(${t.kind}): ${reason}`);
    todos.push({ ...t, reason, line: L.length });
  };
  L.push(`# ${opts.title}`);
  L.push('# Drafted by `converge map init` from both catalogs. Resolve every TODO, then run');
  L.push('# `converge map check` (add --probe to read the data) until it reports no error.');
  if (opts.schemaRef) L.push(`$schema: ${scalar(opts.schemaRef)}`);
  L.push('version: 1', 'defaults:');
  todo('  ', {
    kind: 'timezone',
    table: 'defaults',
    column: 'timezone',
    reason: 'the IANA zone the source DATETIME values are written in (TIMESTAMP columns export as UTC).',
  });
  L.push('  timezone: UTC');
  for (const d of draft.typeDefaults) {
    todo('  ', {
      kind: 'type-default',
      table: 'defaults',
      column: d.type,
      reason: `${d.reason}; uncomment the next line (each value counted), or decide per column`,
      covers: d.covers,
    });
    L.push(`  # ${d.yaml}`);
  }
  L.push('tables:');
  for (const t of draft.trackingTables.filter((x) => x.side === 'source')) {
    L.push(`  # ${trackingReason(t.table, t.tool)}`);
    L.push(`  ${key(t.table)}: skip`);
  }
  for (const s of draft.sourceOnlyTables)
    todo('  ', {
      kind: 'source-table-unmatched',
      table: s,
      reason: `source table ${s} matches no target table: write \`${key(s)}: skip\`, or map it with target: <table>`,
    });
  for (const t of draft.tables) {
    const table = t.source;
    L.push(`  ${key(t.source)}:`);
    if (t.target !== t.source) L.push(`    target: ${scalar(t.target)}`);
    for (const x of t.tableTodos) todo('    ', { table, ...x });
    L.push('    columns:');
    for (const c of t.columns) {
      for (const x of c.todos) todo('      ', { table, column: c.source, ...x });
      for (const note of c.notes) L.push(`      # ${note}`);
      L.push(`      ${key(c.source)}: ${columnValue(c)}`);
    }
    for (const c of t.sourceOnly)
      todo('      ', {
        kind: 'source-column-unmatched',
        table,
        column: c,
        reason: `source column ${c} matches no target column: map it (to: <column>) or list it under drop`,
      });
    for (const c of t.unfed)
      todo('    ', {
        kind: 'target-column-unfed',
        table,
        column: c,
        reason: `target column ${c} is NOT NULL with no default and no source column: add: { ${key(c)}: { constant: <value> } }, or map a source column to it`,
      });
  }
  const kept = draft.trackingTables.filter((x) => x.side === 'target');
  if (kept.length) {
    L.push("# Target migration-tracking tables, kept as the application's migrations wrote them:");
    for (const t of kept) L.push(`#   ${t.table} (${t.tool})`);
  }
  if (draft.targetOnlyTables.length) {
    L.push('# Target tables no source table feeds (seeded by the application, or new); nothing loads them:');
    for (const t of draft.targetOnlyTables) L.push(`#   ${t}`);
  }
  return { text: L.join('\n') + '\n', todos };
}

function columnValue(c: DraftColumn): string {
  const spec: Record<string, unknown> = { ...(c.to !== c.source ? { to: c.to } : {}), ...c.spec };
  const keys = Object.keys(spec);
  if (keys.length === 1 && keys[0] === 'type') return String(spec.type);
  return flow(spec);
}

function flow(v: unknown): string {
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    const entries = Object.entries(v as Record<string, unknown>);
    return entries.length ? `{ ${entries.map(([k, x]) => `${key(k)}: ${flow(x)}`).join(', ')} }` : '{}';
  }
  if (Array.isArray(v)) return `[${v.map(flow).join(', ')}]`;
  return scalar(v);
}

/** A scalar as YAML writes it (quoted only when it must be), safe inside flow collections. */
function scalar(v: unknown): string {
  const s = stringify(v, { lineWidth: 0 }).trimEnd();
  if (typeof v === 'string' && (/[{}[\],#:]/.test(v) || s.includes('\n'))) return JSON.stringify(v);
  return s;
}

function key(k: string): string {
  return scalar(k);
}

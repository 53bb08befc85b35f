import { stringify } from 'yaml';
import type { Draft, DraftColumn } from './draft-mapping';
import { trackingReason } from '../check/tracking-tables';

/**
 * The draft as YAML text, in the hand-written style of the committed mappings (one line per
 * column, shorthand where the rule is only a type), with TODO comments where they apply.
 */
export function renderDraft(draft: Draft, opts: { title: string; schemaRef?: string }): string {
  const L: string[] = [];
  L.push(`# ${opts.title}`);
  L.push('# Drafted by `converge map init` from both catalogs. Resolve every TODO, then run');
  L.push('# `converge map check` (add --probe to read the data) until it reports no error.');
  if (opts.schemaRef) L.push(`$schema: ${scalar(opts.schemaRef)}`);
  L.push(
    'version: 1',
    'defaults:',
    '  # TODO(timezone): the IANA zone the source DATETIME values are written in (TIMESTAMP columns export as UTC).',
    '  timezone: UTC',
  );
  for (const d of draft.typeDefaults) {
    L.push(`  # TODO(type-default): ${d.reason}; uncomment the next line (each value counted), or decide per column`);
    L.push(`  # ${d.yaml}`);
  }
  L.push('tables:');
  for (const t of draft.trackingTables.filter((x) => x.side === 'source')) {
    L.push(`  # ${trackingReason(t.table, t.tool)}`);
    L.push(`  ${key(t.table)}: skip`);
  }
  for (const s of draft.sourceOnlyTables)
    L.push(
      `  # TODO(source-table-unmatched): source table ${s} matches no target table: write \`${key(s)}: skip\`, or map it with target: <table>`,
    );
  for (const t of draft.tables) {
    L.push(`  ${key(t.source)}:`);
    if (t.target !== t.source) L.push(`    target: ${scalar(t.target)}`);
    for (const todo of t.tableTodos) L.push(`    # TODO(${todo.kind}): ${todo.reason}`);
    L.push('    columns:');
    for (const c of t.columns) {
      for (const todo of c.todos) L.push(`      # TODO(${todo.kind}): ${todo.reason}`);
      for (const note of c.notes) L.push(`      # ${note}`);
      L.push(`      ${key(c.source)}: ${columnValue(c)}`);
    }
    for (const c of t.sourceOnly)
      L.push(
        `      # TODO(source-column-unmatched): source column ${c} matches no target column: map it (to: <column>) or list it under drop`,
      );
    if (t.unfed.length) {
      L.push(
        `    # TODO(target-column-unfed): target column(s) ${t.unfed.join(', ')} are NOT NULL with no default and no source column:`,
      );
      L.push('    # add: { <column>: { constant: <value> } }, or map a source column to them');
    }
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
  return L.join('\n') + '\n';
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

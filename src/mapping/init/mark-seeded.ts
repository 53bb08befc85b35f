import { namesTable, PgCatalog, tableKey } from '../../target/postgres/catalog';
import { Draft, withTodos } from './draft-mapping';

/**
 * Target tables the application's migrations already filled (Kratos's credential types,
 * Alkemio's platform singletons): loading the source's rows beside them collides on keys or
 * duplicates them, and their ids may differ from the source's. Only a person knows whether to
 * skip, replace or remap, so the draft says where: on the table (an `existing` policy or the
 * pipeline's replaceSeeded), on its key, and on every column that references it. Pure: the row
 * counts come from the caller.
 *
 * @param seeded "schema.table" → rows the target holds before the load
 * @param replaced "schema.table" or "table" the pipeline replaces wholesale (replaceSeeded): decided already
 */
export function markSeeded(draft: Draft, target: PgCatalog, seeded: Map<string, number>, replaced: Set<string>): Draft {
  const isOpen = (schema: string, name: string) =>
    (seeded.get(tableKey(schema, name)) ?? 0) > 0 && !namesTable(replaced, { schema, name });
  const tables = draft.tables.map((t) => {
    const pg = target.tables.get(t.targetKey);
    const refs = target.foreignKeys.filter(
      (fk) => fk.schema === pg?.schema && fk.table === pg?.name && isOpen(fk.refSchema, fk.refTable),
    );
    const own = !!pg && isOpen(pg.schema, pg.name);
    if (!pg || (!own && refs.length === 0)) return t;
    const columns = t.columns.map((c) => {
      const fk = refs.find((f) => f.columns.includes(c.to));
      const key = own && pg.primaryKey.includes(c.to);
      if (!fk && !key) return c;
      const reason = key
        ? `the target holds rows of ${t.target} already, with its own ids: where a source row's ${c.to} differs for the same natural key, remap it through a lookup`
        : `references ${fk!.refTable}, whose rows the target holds already, with its own ids: if they differ from the source's, remap through a lookup on a natural key`;
      return { ...c, todos: [...c.todos, { kind: 'target-seeded' as const, reason }] };
    });
    const tableTodos = own
      ? [
          ...t.tableTodos,
          {
            kind: 'target-seeded' as const,
            reason: `the target already holds ${seeded.get(t.targetKey)} row(s) in ${t.target} (its migrations' seed, or an earlier load): declare existing: { key: [<natural key>], policy: skip | replace | fail }, list the table under the pipeline's replaceSeeded, or empty it`,
          },
        ]
      : t.tableTodos;
    return { ...t, columns, tableTodos };
  });
  return withTodos({ ...draft, tables });
}

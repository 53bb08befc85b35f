import { ConvergeError } from '../../../core/errors';
import type { PgCatalog, PgForeignKey } from '../catalog';
import { splitTarget, tableKey } from '../catalog';
import { planLoadOrder } from './load-order';

/**
 * The load plan: which tables load together, in which order, how (straight COPY or through a
 * staging table) and what must be fixed up afterwards. Pure: manifest entries and the target's
 * catalog in, plan out, so it can be printed, saved and unit-tested.
 */
export interface PlanInput {
  key: string;
  schema: string;
  table: string;
  files: string[];
  /** The CSV header. */
  columns: string[];
  rows: number;
  /** Mapping `existing: { policy: replace }`: rows with these key values are replaced. */
  replaceKey?: string[];
}

export interface TablePlan extends PlanInput {
  /** Columns inserted: the CSV's minus GENERATED ones (the target computes those). */
  insert: string[];
  /** Cycle-closing FK columns loaded as NULL, then set from the staged rows once their parents exist. */
  nullFirst: string[];
  /** Key used to set nullFirst columns afterwards. */
  primaryKey: string[];
  /** Loaded through a temporary staging table (needed for nullFirst, generated columns, replace, multi-file self-references). */
  staged: boolean;
  /** User triggers enabled now, disabled during the load and restored before commit. */
  triggers: Array<{ name: string; enabled: string }>;
}

export interface GroupPlan {
  id: number;
  /** In load order. */
  tables: TablePlan[];
  cycle: boolean;
  level: number;
  /** Groups that must be committed before this one starts. */
  after: number[];
  /** DEFERRABLE foreign keys inside the group, checked at commit instead of per statement. */
  deferred: string[];
}

export function planLoad(inputs: PlanInput[], catalog: PgCatalog): GroupPlan[] {
  const byKey = new Map(inputs.map((i) => [i.key, i]));
  const fks = catalog.foreignKeys.filter(
    (f) => byKey.has(tableKey(f.schema, f.table)) && byKey.has(tableKey(f.refSchema, f.refTable)),
  );
  const order = planLoadOrder(
    [...byKey.keys()],
    fks.map((f) => ({ child: tableKey(f.schema, f.table), parent: tableKey(f.refSchema, f.refTable) })),
  );
  const groupOf = new Map<string, number>();
  order.forEach((g, i) => g.tables.forEach((t) => groupOf.set(t, i)));
  return order.map((g, id) => {
    const inside = fks.filter(
      (f) => groupOf.get(tableKey(f.schema, f.table)) === id && groupOf.get(tableKey(f.refSchema, f.refTable)) === id,
    );
    const after = [
      ...new Set(
        fks
          .filter((f) => groupOf.get(tableKey(f.schema, f.table)) === id)
          .map((f) => groupOf.get(tableKey(f.refSchema, f.refTable))!)
          .filter((p) => p !== id),
      ),
    ].sort((a, b) => a - b);
    const { ordered, broken } = g.cycle
      ? breakCycle(g.tables, inside, catalog)
      : { ordered: g.tables, broken: [] as PgForeignKey[] };
    const tables = ordered.map((k) => tablePlan(byKey.get(k)!, catalog, broken, inside));
    return {
      id,
      tables,
      cycle: g.cycle,
      level: g.level,
      after,
      deferred: inside
        .filter((f) => f.deferrable)
        .map((f) => f.name)
        .sort(),
    };
  });
}

function tablePlan(i: PlanInput, catalog: PgCatalog, broken: PgForeignKey[], inside: PgForeignKey[]): TablePlan {
  const pt = catalog.tables.get(i.key)!;
  const generated = new Set(pt.columns.filter((c) => c.generated).map((c) => c.name));
  const nullFirst = [
    ...new Set(broken.filter((f) => tableKey(f.schema, f.table) === i.key).flatMap((f) => f.columns)),
  ].sort();
  const selfRef = inside.some(
    (f) =>
      f.schema === i.schema &&
      f.table === i.table &&
      f.refSchema === i.schema &&
      f.refTable === i.table &&
      !f.deferrable,
  );
  if (nullFirst.length && !pt.primaryKey.length) {
    throw new ConvergeError(
      'TARGET_SCHEMA',
      `${i.key} closes a foreign-key cycle but has no primary key to set ${nullFirst.join(', ')} after the load`,
      { stage: 'import', table: i.key },
    );
  }
  const insert = i.columns.filter((c) => !generated.has(c));
  return {
    ...i,
    insert,
    nullFirst,
    primaryKey: pt.primaryKey,
    // One COPY per file: a row may reference a row of a later file, so several files of a
    // self-referencing table are inserted in one statement from staging.
    staged:
      nullFirst.length > 0 || insert.length !== i.columns.length || !!i.replaceKey || (selfRef && i.files.length > 1),
    triggers: catalog.triggers
      .filter((t) => t.schema === i.schema && t.table === i.table && t.enabled !== 'D')
      .map((t) => ({ name: t.name, enabled: t.enabled })),
  };
}

/**
 * Orders the tables of a cycle so that every NOT NULL, non-deferrable foreign key points to a
 * table loaded earlier. The keys it must break are nullable ones: those columns load as NULL and
 * are set afterwards. Deferrable keys never constrain the order. It breaks as few keys as it can:
 * it starts from all nullable keys broken and restores each one (in name order) that keeps the
 * rest acyclic.
 */
export function breakCycle(
  tables: string[],
  fks: PgForeignKey[],
  catalog: PgCatalog,
): { ordered: string[]; broken: PgForeignKey[] } {
  const edges = fks.filter((f) => !f.deferrable && !(f.schema === f.refSchema && f.table === f.refTable));
  const nullable = (f: PgForeignKey) => {
    const cols = catalog.tables.get(tableKey(f.schema, f.table))!.columns;
    return f.columns.every((c) => !cols.find((x) => x.name === c)!.notNull);
  };
  const candidates = edges
    .filter(nullable)
    .sort((a, b) => `${a.schema}.${a.table}.${a.name}`.localeCompare(`${b.schema}.${b.table}.${b.name}`));
  const broken = new Set(candidates);
  const kept = () => edges.filter((e) => !broken.has(e));
  if (!topo(tables, kept())) {
    throw new ConvergeError(
      'TARGET_SCHEMA',
      `tables ${tables.join(', ')} reference each other through NOT NULL foreign keys that are not DEFERRABLE: no load order can satisfy them`,
      { stage: 'import', table: tables[0] },
    );
  }
  for (const c of candidates) {
    broken.delete(c);
    if (!topo(tables, kept())) broken.add(c);
  }
  return { ordered: topo(tables, kept())!, broken: [...broken] };
}

/** Parents first (ties by name), or undefined when the edges still hold a cycle. */
function topo(tables: string[], edges: PgForeignKey[]): string[] | undefined {
  const indeg = new Map(tables.map((t) => [t, 0]));
  const kids = new Map<string, string[]>(tables.map((t) => [t, []]));
  for (const e of edges) {
    const child = tableKey(e.schema, e.table);
    kids.get(tableKey(e.refSchema, e.refTable))!.push(child);
    indeg.set(child, indeg.get(child)! + 1);
  }
  const ready = tables.filter((t) => indeg.get(t) === 0).sort();
  const out: string[] = [];
  while (ready.length) {
    const t = ready.shift()!;
    out.push(t);
    for (const k of kids.get(t)!) {
      indeg.set(k, indeg.get(k)! - 1);
      if (indeg.get(k) === 0) {
        ready.push(k);
        ready.sort();
      }
    }
  }
  return out.length === tables.length ? out : undefined;
}

/** `target.replaceSeeded` as catalog keys; each must be a table this load fills. */
export function resolveSeeded(names: string[], defaultSchema: string, loads: (key: string) => boolean): string[] {
  return names.map((n) => {
    const s = splitTarget(n, defaultSchema);
    const k = tableKey(s.schema, s.table);
    if (!loads(k))
      throw new ConvergeError('CONFIG_INVALID', `replaceSeeded names ${k}, which this load does not fill`, {
        stage: 'import',
        table: k,
        key: 'target.replaceSeeded',
      });
    return k;
  });
}

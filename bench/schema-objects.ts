import { ConnectionInfo } from '../src/core/connection-url';
import { openPg, quotePg } from '../src/target/postgres/connect';
import { BenchTable, BENCH_TABLES } from './dataset';

/**
 * A schema object of a bench table that makes loading slower when it exists during the load:
 * primary key and unique constraints, plain indexes, foreign keys. `ddl` re-creates it exactly
 * (the server's own definition), so a table stripped of them and rebuilt ends as it began.
 */
export interface SchemaObject {
  table: BenchTable;
  kind: 'primary key' | 'unique' | 'index' | 'foreign key';
  name: string;
  /** pg_get_constraintdef / pg_get_indexdef: what the end state is compared on. */
  definition: string;
  /** Whether the constraint is validated (foreign keys must end validated, as converge's do). */
  validated: boolean;
  /** The table a foreign key references. */
  references?: string;
}

const KINDS: Record<string, SchemaObject['kind']> = { p: 'primary key', u: 'unique', f: 'foreign key' };

/** The bench tables' keys, indexes and foreign keys as the target holds them now, in a stable order. */
export async function schemaObjects(target: ConnectionInfo): Promise<SchemaObject[]> {
  const pg = await openPg(target, { applicationName: 'converge bench schema' });
  try {
    const { rows: cons } = await pg.query(
      `SELECT c.relname AS t, k.conname AS name, k.contype AS kind, pg_get_constraintdef(k.oid) AS def, k.convalidated AS ok,
              (SELECT r.relname FROM pg_class r WHERE r.oid = k.confrelid) AS ref
         FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relname = ANY($1) AND k.contype IN ('p', 'u', 'f')`,
      [BENCH_TABLES],
    );
    const { rows: idx } = await pg.query(
      `SELECT c.relname AS t, i.relname AS name, pg_get_indexdef(x.indexrelid) AS def
         FROM pg_index x JOIN pg_class c ON c.oid = x.indrelid JOIN pg_class i ON i.oid = x.indexrelid
         JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relname = ANY($1)
          AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid AND k.conrelid = x.indrelid)`,
      [BENCH_TABLES],
    );
    const out: SchemaObject[] = [
      ...cons.map((r) => ({
        table: r.t as BenchTable,
        kind: KINDS[r.kind as string],
        name: String(r.name),
        definition: String(r.def),
        validated: !!r.ok,
        references: r.ref ? String(r.ref) : undefined,
      })),
      ...idx.map((r) => ({
        table: r.t as BenchTable,
        kind: 'index' as const,
        name: String(r.name),
        definition: String(r.def),
        validated: true,
      })),
    ];
    return out.sort((a, b) => `${a.table}.${a.name}`.localeCompare(`${b.table}.${b.name}`));
  } finally {
    await pg.end().catch(() => undefined);
  }
}

/** What differs between the schema objects a load must end with and those it ended with. */
export function schemaDifferences(expected: SchemaObject[], got: SchemaObject[]): string[] {
  const key = (o: SchemaObject) => `${o.table}: ${o.kind} ${o.name}`;
  const have = new Map(got.map((o) => [key(o), o]));
  const want = new Set(expected.map(key));
  const out: string[] = [];
  for (const o of expected) {
    const g = have.get(key(o));
    if (!g) out.push(`${key(o)} is missing`);
    else if (g.definition !== o.definition) out.push(`${key(o)} is ${g.definition}, expected ${o.definition}`);
    else if (!g.validated) out.push(`${key(o)} is not validated`);
  }
  for (const o of got) if (!want.has(key(o))) out.push(`${key(o)} is extra`);
  return out;
}

/** SQL that re-creates an object on a bare table. */
export function createStatement(o: SchemaObject): string {
  if (o.kind === 'index') return o.definition;
  return `ALTER TABLE public.${quotePg(o.table)} ADD CONSTRAINT ${quotePg(o.name)} ${o.definition}`;
}

export function dropStatement(o: SchemaObject): string {
  if (o.kind === 'index') return `DROP INDEX public.${quotePg(o.name)}`;
  return `ALTER TABLE public.${quotePg(o.table)} DROP CONSTRAINT ${quotePg(o.name)}`;
}

/**
 * Strips the bench tables to bare heaps (no key, no index, no foreign key): foreign keys first,
 * as they depend on the keys they reference. The physical limit loads into these and builds the
 * objects back afterwards.
 */
export async function bareTables(target: ConnectionInfo, objects: SchemaObject[]): Promise<void> {
  const pg = await openPg(target, { applicationName: 'converge bench bare tables' });
  try {
    const order = (o: SchemaObject) => (o.kind === 'foreign key' ? 0 : 1);
    for (const o of [...objects].sort((a, b) => order(a) - order(b))) await pg.query(dropStatement(o));
  } finally {
    await pg.end().catch(() => undefined);
  }
}

/**
 * How the limit builds the objects back, as an expert with psql would: each table's key and
 * indexes right after its own load (in that load's job), then every foreign key in two steps
 * that let two of them run at once: added NOT VALID (a moment's lock on the referenced table),
 * then validated (a scan that blocks neither table's other readers nor the other validation).
 */
export function rebuildPlan(objects: SchemaObject[]): {
  perTable: Record<BenchTable, string[]>;
  foreignKeys: Array<{ table: BenchTable; references?: string; add: string; validate: string }>;
} {
  const perTable = Object.fromEntries(BENCH_TABLES.map((t) => [t, [] as string[]])) as Record<BenchTable, string[]>;
  const keysFirst = (o: SchemaObject) => (o.kind === 'primary key' ? 0 : o.kind === 'unique' ? 1 : 2);
  for (const o of [...objects].filter((x) => x.kind !== 'foreign key').sort((a, b) => keysFirst(a) - keysFirst(b)))
    perTable[o.table].push(createStatement(o));
  const foreignKeys = objects
    .filter((o) => o.kind === 'foreign key')
    .map((o) => ({
      table: o.table,
      references: o.references,
      add: `${createStatement(o)} NOT VALID`,
      validate: `ALTER TABLE public.${quotePg(o.table)} VALIDATE CONSTRAINT ${quotePg(o.name)}`,
    }));
  return { perTable, foreignKeys };
}

/** Statements that move each identity or serial sequence past the loaded rows, as converge's load does. */
export async function sequenceStatements(target: ConnectionInfo): Promise<Record<BenchTable, string[]>> {
  const pg = await openPg(target, { applicationName: 'converge bench schema' });
  try {
    const { rows } = await pg.query(
      `SELECT c.relname AS t, a.attname AS col
         FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relname = ANY($1) AND a.attnum > 0 AND NOT a.attisdropped
          AND pg_get_serial_sequence(quote_ident(c.relname), a.attname) IS NOT NULL`,
      [BENCH_TABLES],
    );
    const out = Object.fromEntries(BENCH_TABLES.map((t) => [t, [] as string[]])) as Record<BenchTable, string[]>;
    for (const r of rows) {
      const t = r.t as BenchTable;
      const col = quotePg(String(r.col));
      out[t].push(
        `SELECT setval(pg_get_serial_sequence('public.${quotePg(t)}', '${String(r.col).replace(/'/g, "''")}'), COALESCE(max(${col}), 1), max(${col}) IS NOT NULL) FROM public.${quotePg(t)}`,
      );
    }
    return out;
  } finally {
    await pg.end().catch(() => undefined);
  }
}

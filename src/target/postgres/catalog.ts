import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Client } from 'pg';

export interface PgColumn {
  name: string;
  type: string;
  typtype: string;
  /** For a domain: the type it is over (values compare as that type). */
  baseType: string | null;
  notNull: boolean;
  hasDefault: boolean;
  defaultExpr: string | null;
  generated: boolean;
  identity: boolean;
  /** GENERATED ALWAYS AS IDENTITY: an INSERT writes it only with OVERRIDING SYSTEM VALUE, an UPDATE never. */
  identityAlways?: boolean;
  sequence: string | null;
  enumLabels: string[] | null;
  maxLength: number | null;
  /** What a value of the column really is (domains resolved, arrays with their element): verify compares by it. */
  valueType?: PgValueType;
}

/**
 * The rule behind map check's not-null-unfed, for every stage that checks it (map check, migrate
 * and transform through the mapping, import through the transformed files): a NOT NULL column
 * Postgres cannot fill itself (no default, not identity, not generated) that `fed` does not feed
 * fails at the first row.
 */
export function isUnfedNotNull(c: PgColumn, fed: (column: string) => boolean): boolean {
  return c.notNull && !c.generated && !c.hasDefault && !c.identity && !fed(c.name);
}

/** A base type from pg_type: typname (timestamptz, numeric, bpchar, _int4), typtype, effective typmod. */
export interface PgValueType {
  name: string;
  typtype: string;
  typmod: number;
  /** For an array: its element type (itself resolved through domains). */
  elem?: PgValueType;
}

export interface PgTable {
  schema: string;
  name: string;
  columns: PgColumn[];
  /** Primary key columns, or those of the first NOT NULL unique index; empty when there is none. */
  primaryKey: string[];
}

export interface PgForeignKey {
  name: string;
  schema: string;
  table: string;
  refSchema: string;
  refTable: string;
  columns: string[];
  refColumns: string[];
  deferrable: boolean;
  validated: boolean;
}

export interface PgTrigger {
  schema: string;
  table: string;
  name: string;
  enabled: string;
}

export interface PgCatalog {
  tables: Map<string, PgTable>;
  foreignKeys: PgForeignKey[];
  triggers: PgTrigger[];
}

const sql = (name: string) => readFileSync(path.join(__dirname, 'sql', name), 'utf8');

export function tableKey(schema: string, table: string): string {
  return `${schema}.${table}`;
}

/** Splits "schema.table" (a mapping may target another schema) from the default schema. */
export function splitTarget(name: string, defaultSchema: string): { schema: string; table: string } {
  const dot = name.indexOf('.');
  return dot > 0 ? { schema: name.slice(0, dot), table: name.slice(dot + 1) } : { schema: defaultSchema, table: name };
}

/** Whether a list of table names as pipeline files write them (bare, or "schema.table") names this table. */
export function namesTable(names: ReadonlySet<string>, t: { schema: string; name: string }): boolean {
  return names.has(t.name) || names.has(tableKey(t.schema, t.name));
}

/** The catalog's table for a name as mappings write it ("table" in the default schema, or "schema.table"). */
export function findTable(
  catalog: Pick<PgCatalog, 'tables'>,
  defaultSchema: string,
  name: string,
): PgTable | undefined {
  const { schema, table } = splitTarget(name, defaultSchema);
  return catalog.tables.get(tableKey(schema, table));
}

/** Reads what the loader needs to know about the target schemas from pg_catalog. */
export async function readPgCatalog(client: Client, schemas: string[]): Promise<PgCatalog> {
  const cols = await client.query(sql('columns.sql'), [schemas]);
  const fks = await client.query(sql('foreign-keys.sql'), [schemas]);
  const trg = await client.query(sql('triggers.sql'), [schemas]);
  const pks = await client.query(sql('primary-keys.sql'), [schemas]);
  const tables = new Map<string, PgTable>();
  for (const r of cols.rows) {
    const k = tableKey(r.schema, r.table);
    let t = tables.get(k);
    if (!t) tables.set(k, (t = { schema: r.schema, name: r.table, columns: [], primaryKey: [] }));
    t.columns.push({
      name: r.name,
      type: r.type,
      typtype: r.typtype,
      baseType: r.base_type,
      notNull: r.not_null,
      hasDefault: r.has_default,
      defaultExpr: r.default_expr,
      generated: r.generated,
      identity: r.identity,
      identityAlways: r.identity_always,
      sequence: r.sequence,
      enumLabels: r.enum_labels,
      maxLength: r.max_length === null ? null : Number(r.max_length),
      valueType: r.value_name
        ? {
            name: r.value_name,
            typtype: r.value_typtype,
            typmod: Number(r.value_typmod),
            elem: r.value_elem_name
              ? { name: r.value_elem_name, typtype: r.value_elem_typtype, typmod: Number(r.value_elem_typmod) }
              : undefined,
          }
        : undefined,
    });
  }
  for (const r of pks.rows) {
    const t = tables.get(tableKey(r.schema, r.table));
    if (t) t.primaryKey = r.columns;
  }
  return {
    tables,
    foreignKeys: fks.rows.map((r) => ({
      name: r.name,
      schema: r.schema,
      table: r.table,
      refSchema: r.ref_schema,
      refTable: r.ref_table,
      columns: r.columns,
      refColumns: r.ref_columns,
      deferrable: r.deferrable,
      validated: r.validated,
    })),
    triggers: trg.rows.map((r) => ({ schema: r.schema, table: r.table, name: r.name, enabled: r.enabled })),
  };
}

import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { MysqlConnection } from './connect';

export interface MysqlColumn {
  name: string;
  columnType: string;
  dataType: string;
  nullable: boolean;
  /** MariaDB JSON: LONGTEXT with json_valid(); reported as dataType 'json'. */
  isJson: boolean;
  maxLength: number | null;
  extra: string;
  columnDefault: string | null;
  /** Text columns' collation (utf8mb4_general_ci…); null for other types, absent in hand-made catalogs. */
  collation?: string | null;
}

export interface MysqlTable {
  name: string;
  columns: MysqlColumn[];
  primaryKey: string[];
  estimatedRows: number;
  dataBytes: number;
}

/** ER_UNKNOWN_TABLE (information_schema has no such view) or ER_NO_SUCH_TABLE. */
export function isMissingCatalogTable(e: unknown): boolean {
  const x = e as { errno?: unknown; code?: unknown } | undefined;
  return x?.errno === 1109 || x?.errno === 1146 || x?.code === 'ER_UNKNOWN_TABLE' || x?.code === 'ER_NO_SUCH_TABLE';
}

const sql = (name: string) => readFileSync(path.join(__dirname, 'sql', name), 'utf8');

/** Reads the tables, columns and keys of one database from information_schema. */
export async function readMysqlCatalog(conn: MysqlConnection, database: string): Promise<MysqlTable[]> {
  const [tables] = await conn.query(sql('tables.sql'), [database]);
  const [columns] = await conn.query(sql('columns.sql'), [database]);
  const [pks] = await conn.query(sql('primary-keys.sql'), [database]);
  let jsonChecks: Array<{ tableName: string; clause: string }> = [];
  try {
    [jsonChecks] = (await conn.query(sql('json-checks.sql'), [database])) as unknown as [
      Array<{ tableName: string; clause: string }>,
    ];
  } catch (e) {
    // MySQL before 8.0.16 has no CHECK_CONSTRAINTS; its JSON type needs no check. Anything else
    // (a lost connection, a missing privilege) must fail: skipping it would export MariaDB JSON
    // columns as plain text.
    if (!isMissingCatalogTable(e)) throw e;
  }
  const jsonCols = new Set(
    jsonChecks.map((c) => `${c.tableName}.${/json_valid\(`?([^`)]+)`?\)/.exec(c.clause)?.[1] ?? ''}`),
  );
  const byTable = new Map<string, MysqlTable>();
  for (const t of tables as Array<{ name: string; estimatedRows: number | string; dataBytes: number | string }>) {
    byTable.set(t.name, {
      name: t.name,
      columns: [],
      primaryKey: [],
      estimatedRows: Number(t.estimatedRows),
      dataBytes: Number(t.dataBytes),
    });
  }
  for (const c of columns as Array<Record<string, unknown>>) {
    const t = byTable.get(String(c.tableName));
    if (!t) continue;
    const isJson = String(c.dataType).toLowerCase() === 'json' || jsonCols.has(`${t.name}.${c.name}`);
    t.columns.push({
      name: String(c.name),
      columnType: String(c.columnType),
      dataType: isJson ? 'json' : String(c.dataType).toLowerCase(),
      nullable: Number(c.nullable) === 1,
      isJson,
      maxLength: c.maxLength === null ? null : Number(c.maxLength),
      extra: String(c.extra ?? ''),
      columnDefault: c.columnDefault === null || c.columnDefault === undefined ? null : String(c.columnDefault),
      collation: c.collation === null || c.collation === undefined ? null : String(c.collation),
    });
  }
  for (const k of pks as Array<{ tableName: string; name: string }>) byTable.get(k.tableName)?.primaryKey.push(k.name);
  return [...byTable.values()];
}

const BINARY_TYPES = new Set(['binary', 'varbinary', 'tinyblob', 'blob', 'mediumblob', 'longblob']);
const SPATIAL_TYPES = new Set([
  'geometry',
  'point',
  'linestring',
  'polygon',
  'multipoint',
  'multilinestring',
  'multipolygon',
  'geometrycollection',
  'geomcollection',
]);

/** How a column is written to CSV: text as-is, binary as \x hex. */
export function exportEncoding(c: MysqlColumn): 'text' | 'hex' {
  return BINARY_TYPES.has(c.dataType) ? 'hex' : 'text';
}

/**
 * The SELECT expression that gives a column's exact text. BIT comes as bytes on the wire, so
 * it is cast to its unsigned integer; spatial values are written as WKT (documented). FLOAT is
 * widened to DOUBLE (exact), because the server prints FLOAT with 6 digits (16777217 → 16777200);
 * stream-rows then prints the shortest text that reads back as the same float.
 */
export function selectExpression(c: MysqlColumn, quoted: string): string {
  if (c.dataType === 'bit') return `CAST(${quoted} AS UNSIGNED)`;
  if (isFloat32(c)) return `(${quoted} + 0e0)`;
  if (SPATIAL_TYPES.has(c.dataType)) return `ST_AsText(${quoted})`;
  return quoted;
}

/** FLOAT (single precision); FLOAT(p) with p > 24 is a DOUBLE and reported as one. */
export function isFloat32(c: MysqlColumn): boolean {
  return c.dataType === 'float';
}

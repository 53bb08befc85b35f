import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Client } from 'pg';

/**
 * Catalog facts map init and map check read beyond what the import's catalog reader returns:
 * unique indexes, CHECK constraints and the user schemas that hold tables.
 */

const sql = (name: string) => readFileSync(path.join(__dirname, 'sql', name), 'utf8');

export interface UniqueIndex {
  name: string;
  columns: string[];
}

/** "schema.table" → its unique indexes on plain columns (primary key included). */
export async function readUniqueIndexes(client: Client, schemas: string[]): Promise<Map<string, UniqueIndex[]>> {
  const { rows } = await client.query(sql('unique-indexes.sql'), [schemas]);
  const out = new Map<string, UniqueIndex[]>();
  for (const r of rows as Array<{ schema: string; table: string; name: string; columns: string[] }>) {
    const k = `${r.schema}.${r.table}`;
    (out.get(k) ?? out.set(k, []).get(k)!).push({ name: r.name, columns: r.columns });
  }
  return out;
}

/** Each column's CHECK constraints as pg_get_constraintdef prints them. */
export async function readCheckConstraints(
  client: Client,
  schemas: string[],
): Promise<Array<{ schema: string; table: string; column: string; definition: string }>> {
  const { rows } = await client.query(sql('check-constraints.sql'), [schemas]);
  return rows as Array<{ schema: string; table: string; column: string; definition: string }>;
}

/** User schemas that hold tables, other than public and converge's run history; sorted. */
export async function otherTableSchemas(pg: Client): Promise<string[]> {
  const { rows } = await pg.query(
    `SELECT DISTINCT n.nspname AS s FROM pg_namespace n JOIN pg_class c ON c.relnamespace = n.oid AND c.relkind IN ('r', 'p')
     WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'converge', 'public') AND n.nspname NOT LIKE 'pg\\_%' ORDER BY 1`,
  );
  return rows.map((r: { s: string }) => r.s);
}

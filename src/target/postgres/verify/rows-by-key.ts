import type { Client } from 'pg';
import { qualifiedPg, quotePg } from '../connect';

/**
 * The condition selecting the rows with these keys (values in their text form, as the follow
 * wrote them), for COPY, which takes no parameters: values are quoted by the driver into literals
 * that Postgres reads with each key column's input function.
 */
export function pgKeysWhere(pg: Client, columns: string[], keys: ReadonlyArray<ReadonlyArray<string | null>>): string {
  const cols = columns.map(quotePg);
  const tuple = (k: ReadonlyArray<string | null>) =>
    k.map((v) => (v === null ? 'NULL' : pg.escapeLiteral(v))).join(', ');
  if (cols.length === 1) return `${cols[0]} IN (${keys.map(tuple).join(', ')})`;
  return `(${cols.join(', ')}) IN (${keys.map((k) => `(${tuple(k)})`).join(', ')})`;
}

export async function pgCountRows(pg: Client, schema: string, table: string): Promise<number> {
  const { rows } = await pg.query(`SELECT count(*)::text AS n FROM ${qualifiedPg(schema, table)}`);
  return Number(rows[0].n);
}

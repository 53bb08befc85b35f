import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Client } from 'pg';
import { qualifiedPg } from './connect';

/**
 * What rollback does to the tables a run loaded, each named by its "schema.table" key: check
 * they exist, read the foreign keys between them and others, lock, count and empty them.
 */

const REFERENCING_SQL = readFileSync(path.join(__dirname, 'sql', 'referencing-keys.sql'), 'utf8');

/** A "schema.table" key as a qualified, quoted name. */
export function qualifiedKey(key: string): string {
  const dot = key.indexOf('.');
  return qualifiedPg(key.slice(0, dot), key.slice(dot + 1));
}

/** The keys whose table does not exist (any more). */
export async function missingTables(client: Client, keys: string[]): Promise<string[]> {
  const { rows } = await client.query('SELECT k FROM unnest($1::text[]) AS k WHERE to_regclass(k) IS NULL', [
    keys.map((k) => qualifiedKey(k)),
  ]);
  return rows.map((r) => r.k as string);
}

/** Foreign keys (child → parent, as keys) with either end among the keys. */
export async function foreignKeysTouching(
  client: Client,
  keys: string[],
): Promise<Array<{ child: string; parent: string }>> {
  const { rows } = await client.query(REFERENCING_SQL, [keys]);
  return rows as Array<{ child: string; parent: string }>;
}

/** Locks the tables (in this order) against every other session until the transaction ends. */
export async function lockTablesExclusive(client: Client, keys: string[]): Promise<void> {
  await client.query(`LOCK TABLE ${keys.map(qualifiedKey).join(', ')} IN ACCESS EXCLUSIVE MODE`);
}

export async function exactRowCount(client: Client, key: string): Promise<number> {
  const { rows } = await client.query(`SELECT count(*)::bigint AS n FROM ${qualifiedKey(key)}`);
  return Number(rows[0].n);
}

/** Empties the tables in one TRUNCATE (foreign keys between them hold) and restarts their sequences. */
export async function truncateTables(client: Client, keys: string[]): Promise<void> {
  await client.query(`TRUNCATE ${keys.map(qualifiedKey).join(', ')} RESTART IDENTITY`);
}

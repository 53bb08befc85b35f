import type { PgSession } from './connect';
import { qualifiedPg, quotePg } from './connect';

/** A lookup's target side: each row's natural key → its key, both as text. */
export async function readTargetKeys(
  pg: PgSession,
  schema: string,
  table: string,
  key: string,
  naturalKey: string,
): Promise<Map<string, string>> {
  const byNatural = new Map<string, string>();
  const { rows } = await pg.query(
    `SELECT ${quotePg(key)}::text AS k, ${quotePg(naturalKey)}::text AS n FROM ${qualifiedPg(schema, table)}`,
  );
  for (const r of rows) byNatural.set(r.n, r.k);
  return byNatural;
}

/** Natural keys the target already holds for a table (for `existing:` policies), as JSON arrays of text. */
export async function existingKeys(pg: PgSession, schema: string, table: string, key: string[]): Promise<Set<string>> {
  const cols = key.map((k) => `${quotePg(k)}::text`).join(', ');
  const { rows } = await pg.query({ text: `SELECT ${cols} FROM ${qualifiedPg(schema, table)}`, rowMode: 'array' });
  return new Set(rows.map((r: unknown[]) => JSON.stringify(r)));
}

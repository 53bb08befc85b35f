import type { Client } from 'pg';
import { quotePg } from './connect';

/**
 * Rows each target table holds now ("schema.table" keys), counted up to a bound: enough to tell
 * empty from seeded from loaded without scanning a large table.
 */
export async function countTargetRows(pg: Client, keys: string[], bound = 100_000): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const key of keys) {
    const dot = key.indexOf('.');
    const { rows } = await pg.query(
      `SELECT count(*)::int AS n FROM (SELECT 1 FROM ${quotePg(key.slice(0, dot))}.${quotePg(key.slice(dot + 1))} LIMIT ${bound}) s`,
    );
    out.set(key, rows[0].n);
  }
  return out;
}

import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Client } from 'pg';
import { ConvergeError } from '../../../core/errors';
import type { GroupPlan } from './load-plan';
import type { PgCatalog, PgForeignKey } from '../catalog';
import { qualifiedPg, quotePg } from '../connect';

const MATCH_SQL = readFileSync(path.join(__dirname, 'sql', 'fk-match.sql'), 'utf8');

/**
 * Foreign keys checked once per table instead of once per row. COPY into a child table fires one
 * RI trigger per row (a lookup in the parent each); for a large child that was most of the load.
 * When the session may (superuser), the table's transaction switches the row triggers off
 * (SET LOCAL session_replication_role = replica, as pg_restore and the physical limit do),
 * and before COMMIT every foreign key of the table is proven with one anti-join, parents locked
 * in SHARE mode so no parent row can vanish before the commit. A violation rolls the table back
 * like a rejected row would, naming constraint, columns, value and the child row's key.
 * Without the privilege (or for MATCH FULL / PARTIAL keys) the per-row checks stay.
 */
export async function setBasedChecksAllowed(
  client: Client,
  schema: string,
  table: string,
  fks: PgForeignKey[],
): Promise<boolean> {
  if (!fks.length) return false;
  for (const f of fks) {
    const { rows } = await client.query(MATCH_SQL, [qualifiedPg(schema, table), f.name]);
    if (!rows[0] || rows[0].match !== 's' || !rows[0].superuser) return false;
  }
  return true;
}

export async function checkForeignKeys(
  client: Client,
  fks: PgForeignKey[],
  key: string[],
  label: string,
): Promise<void> {
  const parents = [
    ...new Set(
      fks
        .filter((f) => !(f.refSchema === f.schema && f.refTable === f.table))
        .map((f) => qualifiedPg(f.refSchema, f.refTable)),
    ),
  ];
  if (parents.length) await client.query(`LOCK TABLE ${parents.join(', ')} IN SHARE MODE`);
  for (const f of fks) {
    const child = qualifiedPg(f.schema, f.table);
    const present = f.columns.map((c) => `c.${quotePg(c)} IS NOT NULL`).join(' AND ');
    const join = f.columns.map((c, i) => `p.${quotePg(f.refColumns[i])} = c.${quotePg(c)}`).join(' AND ');
    const show = [...f.columns, ...key.filter((k) => !f.columns.includes(k))];
    const { rows } = await client.query({
      text: `SELECT ${show.map((c) => `c.${quotePg(c)}::text`).join(', ')} FROM ${child} c WHERE ${present} AND NOT EXISTS (SELECT 1 FROM ${qualifiedPg(f.refSchema, f.refTable)} p WHERE ${join}) LIMIT 1`,
      rowMode: 'array',
    });
    if (!rows.length) continue;
    const v = rows[0] as string[];
    const value = `(${f.columns.join(', ')})=(${v.slice(0, f.columns.length).join(', ')})`;
    const row = Object.fromEntries(show.map((c, i) => [c, v[i]]));
    throw new ConvergeError(
      'LOAD_REJECTED',
      `foreign key violation: Key ${value} is not present in table "${f.refTable}"${key.length ? ` (row ${key.map((k) => `${k} = ${JSON.stringify(row[k])}`).join(', ')})` : ''}`,
      {
        stage: 'import',
        table: label,
        column: f.columns[0],
        constraint: f.name,
        detail: `Key ${value} is not present in table "${f.refTable}".`,
        sqlstate: '23503',
        row,
      },
    );
  }
}

/**
 * The lone tables of a plan (no cycle, no staging, nothing deferred) whose foreign keys can be
 * checked once per key instead of once per row: COPY fires one RI trigger per row, most of a
 * large child's load. Keyed by table, with the keys to prove.
 */
export async function setBasedTables(
  client: Client,
  plan: GroupPlan[],
  catalog: PgCatalog,
): Promise<Map<string, PgForeignKey[]>> {
  const out = new Map<string, PgForeignKey[]>();
  for (const g of plan) {
    if (g.cycle || g.tables.length !== 1 || g.deferred.length) continue;
    const t = g.tables[0];
    if (t.staged) continue;
    const fks = catalog.foreignKeys.filter((f) => f.schema === t.schema && f.table === t.table);
    if (await setBasedChecksAllowed(client, t.schema, t.table, fks)) out.set(t.key, fks);
  }
  return out;
}

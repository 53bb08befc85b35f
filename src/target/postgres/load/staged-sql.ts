import { qualifiedPg, quotePg } from '../connect';
import type { TablePlan } from './load-plan';

/** The SELECT list that moves staged rows into the table: cycle-closing columns as NULL. */
export function insertSelect(t: TablePlan, from: string): string {
  const target = qualifiedPg(t.schema, t.table);
  const cols = t.insert.map(quotePg).join(', ');
  const values = t.insert.map((c) => (t.nullFirst.includes(c) ? 'NULL' : `s.${quotePg(c)}`)).join(', ');
  return `INSERT INTO ${target} (${cols}) SELECT ${values} FROM pg_temp.${quotePg(from)} s`;
}

/** Mapping `existing: replace`: the target's rows with a loaded key are deleted first. */
export function deleteReplaced(t: TablePlan, from: string): string | undefined {
  if (!t.replaceKey) return undefined;
  const on = t.replaceKey.map((k) => `t.${quotePg(k)} = s.${quotePg(k)}`).join(' AND ');
  return `DELETE FROM ${qualifiedPg(t.schema, t.table)} t USING pg_temp.${quotePg(from)} s WHERE ${on}`;
}

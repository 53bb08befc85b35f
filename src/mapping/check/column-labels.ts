import type { PgSession } from '../../target/postgres/connect';
import { readCheckConstraints } from '../../target/postgres/constraints';

/**
 * The labels a column may hold, from the declarations on both sides: MySQL ENUM/SET column
 * types, Postgres CHECK (col IN (...)) constraints. Catalog facts the map checker needs beyond
 * what the import's catalog readers return.
 */

/** 'enum('a','b''c')' → ['a', "b'c"]; undefined for any other column type. */
export function mysqlEnumLabels(columnType: string): string[] | undefined {
  const m = /^(?:enum|set)\s*\((.*)\)$/is.exec(columnType.trim());
  if (!m) return undefined;
  return quotedStrings(m[1]);
}

/**
 * Labels of a CHECK constraint that limits one column to a list, as pg_get_constraintdef prints
 * it: `CHECK ((kind = ANY (ARRAY['a'::text, 'b'::text])))` or
 * `CHECK (((kind)::text = ANY ((ARRAY['a'::character varying, ...])::text[])))` or `kind IN (...)`
 * or a single `kind = 'a'`. Undefined when the constraint is anything else.
 */
export function checkConstraintLabels(definition: string, column: string): string[] | undefined {
  const col = `(?:\\(*"?${escapeRe(column)}"?\\)*(?:::[a-z ]+\\)*)?)`;
  const list = new RegExp(
    `^CHECK \\(+${col}\\s*(?:=\\s*ANY\\s*\\(+ARRAY\\[(.*?)\\](?:\\)*::[a-z ]+\\[\\])?|IN\\s*\\((.*)\\))\\)*$`,
    'is',
  ).exec(definition.trim());
  if (list) {
    const body = list[1] ?? list[2];
    if (!/^(\s*'(?:[^']|'')*'(?:::[a-z ]+)?\s*,?)+$/is.test(body)) return undefined;
    return quotedStrings(body);
  }
  const one = new RegExp(`^CHECK \\(+${col}\\s*=\\s*('(?:[^']|'')*')(?:::[a-z ]+)?\\)*$`, 'is').exec(definition.trim());
  return one ? quotedStrings(one[1]) : undefined;
}

function quotedStrings(s: string): string[] {
  const out: string[] = [];
  const re = /'((?:[^']|'')*)'/g;
  for (let m = re.exec(s); m; m = re.exec(s)) out.push(m[1].replace(/''/g, "'").replace(/\\\\/g, '\\'));
  return out;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** "schema.table.column" → labels its CHECK constraints allow (intersected when several apply). */
export async function readCheckLabels(client: PgSession, schemas: string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (const r of await readCheckConstraints(client, schemas)) {
    const labels = checkConstraintLabels(r.definition, r.column);
    if (!labels) continue;
    const k = `${r.schema}.${r.table}.${r.column}`;
    const prev = out.get(k);
    out.set(k, prev ? prev.filter((l) => labels.includes(l)) : labels);
  }
  return out;
}

/**
 * A Postgres enum column's labels. The catalog query aggregates pg_enum.enumlabel, of type
 * name; node-postgres has no parser for name[] and hands back the array literal as text, so
 * accept both forms.
 */
export function pgEnumLabels(c: { enumLabels: string[] | string | null }): string[] | undefined {
  const v = c.enumLabels;
  if (v === null || v === undefined) return undefined;
  return Array.isArray(v) ? v : parsePgTextArray(v);
}

/** '{a,"b c","x\"y"}' → ['a', 'b c', 'x"y']. */
export function parsePgTextArray(s: string): string[] {
  const out: string[] = [];
  const body = s.trim().replace(/^\{/, '').replace(/\}$/, '');
  let i = 0;
  while (i < body.length) {
    if (body[i] === '"') {
      let v = '';
      i++;
      while (i < body.length && body[i] !== '"') {
        if (body[i] === '\\') i++;
        v += body[i++];
      }
      out.push(v);
      i += 2; // closing quote and comma
    } else {
      const j = body.indexOf(',', i);
      out.push(body.slice(i, j === -1 ? body.length : j));
      i = j === -1 ? body.length : j + 1;
    }
  }
  return out;
}

import type { PgValueType } from '../catalog';

/**
 * The text verify hashes for a column, computed in Postgres: for most types the canonical form
 * of src/verify/canonical.ts (read in verify's session: UTC, ISO dates, postgres intervals, hex
 * bytea), so the source's text for the same stored value is the same characters. Three types use
 * a form that is cheaper to produce on both sides than the canonical one, with a twin in
 * src/verify/hash-text.ts: floats as their IEEE bytes, jsonb as Postgres prints it, arrays as
 * json_agg of their canonical elements. Null: a type with no such form.
 *
 * `c` is an SQL expression (a quoted column, or an array's element).
 */
export function pgHashText(c: string, t: PgValueType): string | null {
  if (t.elem) {
    if (t.elem.elem || t.elem.name === 'json' || t.elem.name === 'jsonb') return null;
    const e = pgHashText('u.x', t.elem);
    if (!e) return null;
    // Element order kept; an empty array is [] (json_agg of no rows is NULL).
    return `CASE WHEN ${c} IS NULL THEN NULL ELSE coalesce((SELECT json_agg(${e} ORDER BY u.i)::text FROM unnest(${c}) WITH ORDINALITY AS u(x, i)), '[]') END`;
  }
  if (t.typtype === 'e') return `${c}::text`;
  switch (t.name) {
    case 'text':
    case 'varchar':
    case 'citext':
    case 'name':
    case 'char':
    case 'bpchar':
    case 'int2':
    case 'int4':
    case 'int8':
    case 'oid':
    case 'numeric':
    case 'uuid':
    case 'bytea':
    case 'timestamp':
    case 'date':
    case 'time':
    case 'bit':
    case 'varbit':
    case 'macaddr':
    case 'macaddr8':
    case 'json':
    case 'jsonb':
      return `${c}::text`;
    case 'float4':
      return `encode(float4send(${c}), 'hex')`;
    case 'float8':
      return `encode(float8send(${c}), 'hex')`;
    case 'bool':
      return `CASE ${c} WHEN true THEN 't' WHEN false THEN 'f' END`;
    case 'timestamptz':
      return `(${c} AT TIME ZONE 'UTC')::text`;
    case 'timetz':
      return `((${c})::time::text || CASE WHEN extract(timezone FROM ${c}) < 0 THEN '-' ELSE '+' END || abs(extract(timezone FROM ${c}))::bigint::text)`;
    case 'interval':
      return `((extract(year FROM ${c}) * 12 + extract(month FROM ${c}))::bigint::text || ' mons ' || extract(day FROM ${c})::bigint::text || ' days ' || (extract(hour FROM ${c}) * 3600000000 + extract(minute FROM ${c}) * 60000000 + extract(microseconds FROM ${c}))::bigint::text || ' us')`;
    case 'inet':
    case 'cidr': {
      const bits = `CASE WHEN family(${c}) = 6 THEN 128 ELSE 32 END`;
      const host = `CASE WHEN family(${c}) = 6 THEN '[' || host(${c}) || ']' ELSE host(${c}) END`;
      const mask =
        t.name === 'cidr'
          ? `'/' || masklen(${c})`
          : `CASE WHEN masklen(${c}) = ${bits} THEN '' ELSE '/' || masklen(${c}) END`;
      return `CASE WHEN ${c} IS NULL THEN NULL ELSE ${host} || ${mask} END`;
    }
    default:
      return null;
  }
}

/** A column with no hash form: only NULL against not NULL takes part. */
export function pgPresenceText(c: string): string {
  return `CASE WHEN ${c} IS NULL THEN NULL ELSE '' END`;
}

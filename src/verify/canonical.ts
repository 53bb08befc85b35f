import { canonicalJson } from '../transform/transforms/json';

/**
 * Canonical text of a value of a given Postgres type, so the source (after mapping) and the
 * target compare by meaning: JSON by value, timestamps without trailing zero fractions, uuids in
 * lower case, char(n) without its padding, arrays as JSON, floats by their numeric value.
 */
export type Canon = (v: string) => string;

export function canonicalFor(pgType: string): Canon {
  const t = pgType.toLowerCase();
  if (t === 'json' || t === 'jsonb') return canonicalJson;
  if (t === 'uuid') return (v) => v.toLowerCase();
  // Both sides are UTC (transform writes UTC, verify reads with TimeZone UTC): "+00" adds nothing.
  if (t === 'timestamp with time zone' || t === 'timestamptz')
    return (v) => trimFraction(v.replace(/(?:\+00(?::00)?|Z)$/, ''));
  if (t.startsWith('timestamp') || t === 'time' || t.startsWith('time ')) return trimFraction;
  if (t.startsWith('character(') || t === 'character' || t === 'bpchar') return (v) => v.replace(/ +$/, '');
  if (t === 'double precision' || t === 'real') return (v) => String(Number(v));
  if (t === 'boolean') return (v) => (v === 't' || v === 'true' ? 't' : v === 'f' || v === 'false' ? 'f' : v);
  if (t === 'bytea') return (v) => v.toLowerCase();
  if (t.endsWith('[]')) {
    // Numeric arrays compare element values as numbers (the target prints floats its own way).
    const numeric = /^(real|double precision|numeric|integer|bigint|smallint)/.test(t);
    return numeric
      ? (v) => JSON.stringify(arrayElements(v).map((x) => (x === null ? null : String(Number(x)))))
      : canonicalArray;
  }
  return (v) => v;
}

function trimFraction(v: string): string {
  return v.replace(/\.(\d*?)0+(?=$|[+-])/, (_m, d: string) => (d ? `.${d}` : ''));
}

/** Elements of an array in either text form, each as text (or null). */
function arrayElements(v: string): Array<string | null> {
  if (v.startsWith('['))
    return (JSON.parse(v) as unknown[]).map((x) => (x === null ? null : typeof x === 'string' ? x : JSON.stringify(x)));
  return parseArrayLiteral(v);
}

/** Array text (Postgres's `{a,"b c"}` or converge's `{"a","b c"}`) or JSON array → canonical JSON. */
export function canonicalArray(v: string): string {
  if (v.startsWith('[')) return canonicalJson(v);
  return JSON.stringify(parseArrayLiteral(v));
}

export function parseArrayLiteral(v: string): Array<string | null> {
  if (v === '{}') return [];
  const out: Array<string | null> = [];
  let i = 1;
  while (i < v.length - 1) {
    if (v[i] === '"') {
      let s = '';
      i++;
      while (v[i] !== '"') {
        if (i >= v.length) throw new Error(`unterminated array literal: ${v.slice(0, 60)}`);
        if (v[i] === '\\') i++;
        s += v[i++];
      }
      out.push(s);
      i++;
    } else {
      let j = i;
      while (j < v.length - 1 && v[j] !== ',') j++;
      const raw = v.slice(i, j);
      out.push(raw === 'NULL' ? null : raw);
      i = j;
    }
    if (v[i] === ',') i++;
  }
  return out;
}

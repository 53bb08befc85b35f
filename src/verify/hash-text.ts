import type { PgValueType } from '../target/postgres/catalog';
import { arrayElements, Canon, canonicalFor, jsonbText } from './canonical';

/**
 * The text verify hashes for a value the table program produced, for the columns hashed on the
 * stream: the twin of target/postgres/verify/hash-text.ts pgHashText, which computes the same
 * characters from the stored value in Postgres. Mostly the canonical form; floats as their
 * IEEE bytes, jsonb as Postgres prints it, json as written, arrays as json_agg prints their
 * elements. Text that does not parse is hashed as written (it then differs, and the rows are
 * compared by their canonical form). Null: no hash form (the table is compared row by row).
 */
export function jsHashText(t: PgValueType): Canon | null {
  if (t.elem) {
    if (t.elem.elem || t.elem.name === 'json' || t.elem.name === 'jsonb') return null;
    const e = jsHashText(t.elem);
    if (!e) return null;
    return (v) => {
      let items: Array<string | null>;
      try {
        items = arrayElements(v, false);
      } catch {
        return v;
      }
      return '[' + items.map((x) => (x === null ? 'null' : JSON.stringify(e(x)))).join(', ') + ']';
    };
  }
  if (t.typtype !== 'e')
    switch (t.name) {
      case 'float4':
        return floatBytes(canonicalFor(t)!, 4);
      case 'float8':
        return floatBytes(canonicalFor(t)!, 8);
      case 'json':
        return (v) => v;
      case 'inet':
      case 'cidr': {
        const canon = canonicalFor(t)!;
        return (v) => embeddedIpv4(canon(v));
      }
      case 'jsonb':
        return (v) => {
          try {
            return jsonbText(v);
          } catch {
            return v;
          }
        };
    }
  return canonicalFor(t);
}

function floatBytes(canon: Canon, size: 4 | 8): Canon {
  const b = Buffer.alloc(size);
  return (v) => {
    const c = canon(v);
    if (!/^(-?\d|NaN$|-?Infinity$)/.test(c)) return v;
    const n = Number(c);
    if (size === 4) b.writeFloatBE(n);
    else b.writeDoubleBE(n);
    return b.toString('hex');
  };
}

/**
 * Postgres prints an IPv6 address whose last 32 bits carry an IPv4 address (::ffff:a.b.c.d, and
 * ::a.b.c.d when its upper 16 bits are not 0) with those bits dotted; the canonical form keeps hex.
 */
function embeddedIpv4(c: string): string {
  const m = /^\[::(ffff:)?([0-9a-f]{1,4}):([0-9a-f]{1,4})\](.*)$/.exec(c);
  if (!m) return c;
  const hi = parseInt(m[2], 16);
  const lo = parseInt(m[3], 16);
  return `[::${m[1] ?? ''}${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}]${m[4]}`;
}

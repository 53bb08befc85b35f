import type { PgValueType } from '../target/postgres/catalog';

/**
 * Canonical text of a value of a Postgres type, so the source (MySQL rows after the mapping: the
 * text converge hands to COPY FROM) and the target (the text Postgres prints with COPY TO, in a
 * session with TimeZone UTC, DateStyle ISO, IntervalStyle postgres, bytea_output hex; arrays as
 * to_jsonb) compare by the value Postgres stores, never by spelling.
 *
 * The form comes from the catalog's resolved base type (pg_type.typname with its typmod, domains
 * resolved, an array's element type), never from a match on format_type's display text. The rule
 * is "equal stored values are equal, different stored values differ": what Postgres would keep
 * differently (a numeric's display scale, a timestamp an hour off, '' against NULL, a text value's
 * case, fraction digits a column rounds away) stays a difference. Text that does not parse as the
 * type compares as written.
 *
 * A type with no canonical form here gets null: verify reports its columns as not verified.
 */
export type Canon = (v: string) => string;

export function canonicalFor(t: PgValueType): Canon | null {
  if (t.elem) {
    const e = canonicalFor(t.elem);
    return e ? arrayCanon(e, t.elem.name === 'json' || t.elem.name === 'jsonb') : null;
  }
  if (t.typtype === 'e') return same;
  switch (t.name) {
    case 'text':
    case 'varchar':
    case 'citext':
    case 'name':
    case 'char':
      return same;
    case 'bpchar':
      return (v) => v.replace(/ +$/, '');
    case 'int2':
    case 'int4':
    case 'int8':
    case 'oid':
      return integerCanon;
    case 'numeric':
      return numericCanon(numericScale(t.typmod));
    case 'float4':
      return (v) => floatCanon(v, true);
    case 'float8':
      return (v) => floatCanon(v, false);
    case 'bool':
      return booleanCanon;
    case 'json':
    case 'jsonb':
      return jsonCanon;
    case 'uuid':
      return uuidCanon;
    case 'bytea':
      return byteaCanon;
    case 'timestamp':
      return (v) => timestampCanon(v, false);
    case 'timestamptz':
      return (v) => timestampCanon(v, true);
    case 'date':
      return dateCanon;
    case 'time':
      return (v) => timeCanon(v, false);
    case 'timetz':
      return (v) => timeCanon(v, true);
    case 'interval':
      return intervalCanon;
    case 'bit':
    case 'varbit':
      return bitCanon;
    case 'inet':
      return (v) => inetCanon(v, false);
    case 'cidr':
      return (v) => inetCanon(v, true);
    case 'macaddr':
      return (v) => macCanon(v, 6);
    case 'macaddr8':
      return (v) => macCanon(v, 8);
    default:
      return null;
  }
}

const same: Canon = (v) => v;

/** The scale a numeric(p,s) typmod forces, or undefined for numeric without one. */
export function numericScale(typmod: number): number | undefined {
  if (typmod < 4) return undefined;
  // Postgres 15 keeps the scale in the low 11 bits, signed (numeric(5,-2)).
  return Math.max(0, (((typmod - 4) & 0x7ff) ^ 1024) - 1024);
}

// --- numbers -------------------------------------------------------------------------------

const INT = /^[+-]?\d+$/;

function integerCanon(v: string): string {
  const t = v.trim();
  return INT.test(t) ? BigInt(t).toString() : v;
}

const NUM = /^([+-])?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/**
 * Numeric text as Postgres prints it: no sign on zero, no leading zeros, exponent expanded, and
 * the display scale Postgres keeps (the input's, max(0, fraction digits − exponent)); with a
 * typmod scale s, values that fit s print with exactly s digits, others keep theirs (Postgres
 * would have rounded them: a real difference).
 */
export function numericCanon(scale?: number): Canon {
  return (v) => {
    const t = v.trim();
    const special = /^([+-]?)(inf|infinity|nan)$/i.exec(t);
    if (special) return special[2].toLowerCase() === 'nan' ? 'NaN' : `${special[1] === '-' ? '-' : ''}Infinity`;
    const m = NUM.exec(t);
    if (!m || (m[2] ?? '') + (m[3] ?? '') === '') return v;
    const [, sign, ip = '', fp = '', ex] = m;
    const exp = ex ? Number(ex) : 0;
    if (!Number.isSafeInteger(exp) || Math.abs(exp) > 100_000) return v;
    let digits = ip + fp;
    let dscale = fp.length - exp;
    if (dscale < 0) {
      digits += '0'.repeat(-dscale);
      dscale = 0;
    }
    let intPart = digits.slice(0, Math.max(0, digits.length - dscale)).replace(/^0+/, '') || '0';
    let frac = digits.length >= dscale ? digits.slice(digits.length - dscale) : digits.padStart(dscale, '0');
    if (scale !== undefined) {
      frac = frac.replace(/0+$/, '');
      if (frac.length < scale) frac = frac.padEnd(scale, '0');
    }
    intPart = intPart || '0';
    const zero = /^0*$/.test(intPart + frac);
    return `${sign === '-' && !zero ? '-' : ''}${intPart}${frac ? '.' + frac : ''}`;
  };
}

const numericAsIs = numericCanon();

/** Floats by the binary value the text denotes (float4: rounded to single precision, as real stores it). */
function floatCanon(v: string, single: boolean): string {
  const t = v.trim();
  const special = /^([+-]?)(inf|infinity|nan)$/i.exec(t);
  if (special) return special[2].toLowerCase() === 'nan' ? 'NaN' : `${special[1] === '-' ? '-' : ''}Infinity`;
  if (!NUM.test(t) || !/\d/.test(t)) return v;
  const n = single ? Math.fround(Number(t)) : Number(t);
  return Object.is(n, -0) ? '-0' : String(n);
}

/** Postgres's boolean input: t/true/y/yes/on/1 and unique prefixes, case-insensitive. */
function booleanCanon(v: string): string {
  const t = v.trim().toLowerCase();
  if (!t) return v;
  if (t === '1' || 'true'.startsWith(t) || 'yes'.startsWith(t) || (t.length >= 2 && 'on'.startsWith(t))) return 't';
  if (t === '0' || 'false'.startsWith(t) || 'no'.startsWith(t) || (t.length >= 2 && 'off'.startsWith(t))) return 'f';
  return v;
}

// --- identifiers and bytes -------------------------------------------------------------------

function uuidCanon(v: string): string {
  const hex = v
    .trim()
    .replace(/^\{(.*)\}$/, '$1')
    .replace(/-/g, '')
    .toLowerCase();
  if (!/^[0-9a-f]{32}$/.test(hex)) return v;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** bytea as lower-case \x hex, from hex input or the escape format ('a\\000b'). */
function byteaCanon(v: string): string {
  if (/^\\x/i.test(v)) return '\\x' + v.slice(2).replace(/\s+/g, '').toLowerCase();
  const bytes: number[] = [];
  const utf8 = Buffer.from(v, 'utf8');
  for (let i = 0; i < utf8.length; i++) {
    if (utf8[i] !== 0x5c) {
      bytes.push(utf8[i]);
      continue;
    }
    const rest = utf8.subarray(i + 1, i + 4).toString('latin1');
    if (rest.startsWith('\\')) {
      bytes.push(0x5c);
      i += 1;
    } else if (/^[0-3][0-7]{2}$/.test(rest)) {
      bytes.push(parseInt(rest, 8));
      i += 3;
    } else return v;
  }
  return '\\x' + Buffer.from(bytes).toString('hex');
}

function bitCanon(v: string): string {
  const t = v.trim();
  if (/^[bB]?[01]*$/.test(t)) return t.replace(/^[bB]/, '');
  if (/^[xX][0-9a-fA-F]*$/.test(t))
    return [...t.slice(1)].map((h) => parseInt(h, 16).toString(2).padStart(4, '0')).join('');
  return v;
}

function inetCanon(v: string, cidr: boolean): string {
  const m = /^([^/\s]+)(?:\/(\d{1,3}))?$/.exec(v.trim());
  if (!m) return v;
  const [, addr, mask] = m;
  let host: string;
  let bits: number;
  if (addr.includes(':')) {
    try {
      host = new URL(`http://[${addr}]/`).hostname;
    } catch {
      return v;
    }
    bits = 128;
  } else {
    const parts = addr.split('.');
    if (parts.length > 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return v;
    // cidr takes abbreviated networks ('10/8'); inet needs all four octets.
    if (parts.length < 4 && !cidr) return v;
    while (parts.length < 4) parts.push('0');
    host = parts.map(Number).join('.');
    bits = 32;
  }
  const n = mask === undefined ? bits : Number(mask);
  return cidr || n !== bits ? `${host}/${n}` : host;
}

function macCanon(v: string, bytes: 6 | 8): string {
  let hex = v.trim().replace(/[:.-]/g, '').toLowerCase();
  if (!/^[0-9a-f]+$/.test(hex)) return v;
  // macaddr8 stores a 6-byte address as EUI-64, with ff:fe in the middle.
  if (bytes === 8 && hex.length === 12) hex = hex.slice(0, 6) + 'fffe' + hex.slice(6);
  if (hex.length !== bytes * 2) return v;
  return hex.match(/../g)!.join(':');
}

// --- date and time ---------------------------------------------------------------------------

const TS =
  /^(\d{4,})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{1,2})(?::(\d{1,2})(\.\d+)?)?)?\s*(Z|[+-]\d{1,2}(?::?\d{2}(?::?\d{2})?)?)?(\s+BC)?$/i;

/**
 * 'YYYY-MM-DD HH:MM:SS[.f]' (trailing fraction zeros dropped), ' BC' kept. timestamptz: moved to
 * UTC by its offset (text without one is UTC: converge loads in a UTC session); timestamp
 * without time zone ignores an offset, as Postgres's input does.
 */
function timestampCanon(v: string, tz: boolean): string {
  const t = v.trim();
  if (/^[+-]?infinity$/i.test(t)) return t.toLowerCase().replace(/^\+/, '');
  const m = TS.exec(t);
  if (!m) return v;
  const [, y, mo, d, hh = '0', mi = '0', ss = '0', frac = '', off, bc] = m;
  let Y = bc ? 1 - Number(y) : Number(y);
  let M = Number(mo);
  let D = Number(d);
  let H = Number(hh);
  let I = Number(mi);
  let S = Number(ss);
  const offset = tz ? offsetSeconds(off) : 0;
  if (offset === undefined) return v;
  if (offset !== 0) {
    const at = new Date(0);
    at.setUTCFullYear(Y, M - 1, D);
    at.setUTCHours(H, I, S - offset, 0);
    Y = at.getUTCFullYear();
    M = at.getUTCMonth() + 1;
    D = at.getUTCDate();
    H = at.getUTCHours();
    I = at.getUTCMinutes();
    S = at.getUTCSeconds();
  }
  const year = Y <= 0 ? 1 - Y : Y;
  return `${pad(year, 4)}-${pad(M)}-${pad(D)} ${pad(H)}:${pad(I)}:${pad(S)}${trimFraction(frac)}${Y <= 0 ? ' BC' : ''}`;
}

function dateCanon(v: string): string {
  const t = v.trim();
  if (/^[+-]?infinity$/i.test(t)) return t.toLowerCase().replace(/^\+/, '');
  const m = TS.exec(t);
  if (!m) return v;
  return `${pad(Number(m[1]), 4)}-${pad(Number(m[2]))}-${pad(Number(m[3]))}${m[9] ? ' BC' : ''}`;
}

/** 'HH:MM:SS[.f]'; timetz keeps its offset (part of the value), absent = UTC. */
function timeCanon(v: string, tz: boolean): string {
  const m = /^(\d{1,2}):(\d{1,2})(?::(\d{1,2})(\.\d+)?)?\s*(Z|[+-]\d{1,2}(?::?\d{2}(?::?\d{2})?)?)?$/i.exec(v.trim());
  if (!m) return v;
  const [, hh, mi, ss = '0', frac = '', off] = m;
  const base = `${pad(Number(hh))}:${pad(Number(mi))}:${pad(Number(ss))}${trimFraction(frac)}`;
  if (!tz) return off ? v : base;
  const o = offsetSeconds(off);
  return o === undefined ? v : `${base}${o < 0 ? '-' : '+'}${Math.abs(o)}`;
}

/** An offset ('+02', '-05:30', '+0530', 'Z', absent = UTC) in seconds east of UTC. */
function offsetSeconds(off: string | undefined): number | undefined {
  if (!off || off.toUpperCase() === 'Z') return 0;
  const m = /^([+-])(\d{1,2}):?(\d{2})?:?(\d{2})?$/.exec(off);
  if (!m) return undefined;
  const s = Number(m[2]) * 3600 + Number(m[3] ?? 0) * 60 + Number(m[4] ?? 0);
  return m[1] === '-' ? -s : s;
}

const UNIT_MONTHS: Record<string, number> = { year: 12, years: 12, mon: 1, mons: 1, month: 1, months: 1 };
const UNIT_DAYS: Record<string, number> = { day: 1, days: 1, week: 7, weeks: 7 };
const UNIT_MICROS: Record<string, bigint> = {
  hour: 3_600_000_000n,
  hours: 3_600_000_000n,
  min: 60_000_000n,
  mins: 60_000_000n,
  minute: 60_000_000n,
  minutes: 60_000_000n,
  sec: 1_000_000n,
  secs: 1_000_000n,
  second: 1_000_000n,
  seconds: 1_000_000n,
};

/**
 * An interval as the (months, days, microseconds) Postgres stores: '1 year 2 mons 3 days
 * -04:05:06.5' (IntervalStyle postgres) and MySQL TIME text ('-838:59:59') alike. '25:00:00'
 * and '1 day 01:00:00' are different stored values, and stay different.
 */
function intervalCanon(v: string): string {
  let rest = v.trim();
  let months = 0;
  let days = 0;
  let micros = 0n;
  for (;;) {
    const u = /^([+-]?\d+)\s+([a-z]+)\s*/i.exec(rest);
    if (!u) break;
    const n = Number(u[1]);
    const unit = u[2].toLowerCase();
    if (unit in UNIT_MONTHS) months += n * UNIT_MONTHS[unit];
    else if (unit in UNIT_DAYS) days += n * UNIT_DAYS[unit];
    else if (unit in UNIT_MICROS) micros += BigInt(n) * UNIT_MICROS[unit];
    else return v;
    rest = rest.slice(u[0].length);
  }
  if (rest) {
    const c = /^([+-])?(\d+):(\d{1,2})(?::(\d{1,2})(?:\.(\d{1,6}))?)?$/.exec(rest);
    if (!c) return v;
    const us =
      BigInt(c[2]) * 3_600_000_000n +
      BigInt(c[3]) * 60_000_000n +
      BigInt(c[4] ?? 0) * 1_000_000n +
      BigInt((c[5] ?? '').padEnd(6, '0'));
    micros += c[1] === '-' ? -us : us;
  }
  if (v.trim() === '') return v;
  return `${months} mons ${days} days ${micros} us`;
}

function trimFraction(frac: string): string {
  const f = frac.replace(/^\./, '').replace(/0+$/, '');
  return f ? '.' + f : '';
}

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

// --- JSON ------------------------------------------------------------------------------------

/** A JSON number's text, kept apart from strings so big integers and 1.50 survive parsing. */
class JsonNumber {
  constructor(readonly text: string) {}
}
type Json = null | boolean | string | JsonNumber | Json[] | { [k: string]: Json };

/**
 * Canonical text of a JSON value: keys sorted (the last of duplicate keys wins, as in jsonb), no
 * spaces, numbers as jsonb stores them (numeric: 1E2 → 100, 1.50 stays 1.50, big integers
 * exact, never through a JS double).
 */
export function canonicalJson(text: string): string {
  return stringify(parseJson(text));
}

function jsonCanon(v: string): string {
  try {
    return canonicalJson(v);
  } catch {
    return v;
  }
}

/**
 * JSON text as Postgres prints the jsonb it parses to: keys by byte length, then bytes (the last
 * of duplicate keys wins), ", " and ": " between items, numbers as numeric prints them. Verify's
 * source side hashes it against Postgres's own jsonb text, so no JSON is re-read on the target.
 * Written in one pass over the text, without building the value: this runs once per streamed
 * JSON value, and parsing into objects (then printing them) cost several times as much.
 */
export function jsonbText(text: string): string {
  jt = text;
  jp = 0;
  try {
    const out = jsonbValue();
    jsonbSpace();
    if (jp !== jt.length) jsonbFail();
    return out;
  } finally {
    jt = '';
  }
}

/** The text being written by jsonbText and the offset reached (module state: no closure per call). */
let jt = '';
let jp = 0;

function jsonbFail(): never {
  throw new SyntaxError(`invalid JSON at offset ${jp}: ${jt.slice(0, 60)}`);
}

function jsonbSpace(): void {
  for (let c = jt.charCodeAt(jp); c === 32 || c === 10 || c === 13 || c === 9; c = jt.charCodeAt(++jp));
}

function jsonbValue(): string {
  jsonbSpace();
  const c = jt.charCodeAt(jp);
  if (c === 34) return jsonbString().out;
  if (c === 123) return jsonbObject();
  if (c === 91) {
    jp++;
    jsonbSpace();
    if (jt.charCodeAt(jp) === 93) {
      jp++;
      return '[]';
    }
    let out = '[';
    for (;;) {
      out += jsonbValue();
      jsonbSpace();
      const d = jt.charCodeAt(jp++);
      if (d === 93) return out + ']';
      if (d !== 44) jsonbFail();
      out += ', ';
    }
  }
  const w = c === 116 ? 'true' : c === 102 ? 'false' : c === 110 ? 'null' : undefined;
  if (w === undefined) return jsonbNumber();
  if (!jt.startsWith(w, jp)) jsonbFail();
  jp += w.length;
  return w;
}

/** A string token: as written when it has no escape (and no lone surrogate), else as JSON.stringify prints it. */
function jsonbString(): { key: string; out: string } {
  const start = jp++;
  let plain = true;
  for (;;) {
    const c = jt.charCodeAt(jp);
    if (c === 34) break;
    if (c !== c || c < 32) jsonbFail(); // end of text (NaN), or a raw control character
    if (c === 92) {
      plain = false;
      jp += 2;
    } else {
      if (c >= 0xd800 && c <= 0xdfff) plain = false;
      jp++;
    }
  }
  jp++;
  const raw = jt.slice(start, jp);
  if (plain) return { key: raw.slice(1, -1), out: raw };
  let key: string;
  try {
    key = JSON.parse(raw) as string;
  } catch {
    return jsonbFail();
  }
  return { key, out: JSON.stringify(key) };
}

function jsonbObject(): string {
  jp++;
  jsonbSpace();
  if (jt.charCodeAt(jp) === 125) {
    jp++;
    return '{}';
  }
  const members: Array<{ key: string; out: string }> = [];
  for (;;) {
    jsonbSpace();
    if (jt.charCodeAt(jp) !== 34) jsonbFail();
    const k = jsonbString();
    jsonbSpace();
    if (jt.charCodeAt(jp++) !== 58) jsonbFail();
    members.push({ key: k.key, out: k.out + ': ' + jsonbValue() });
    jsonbSpace();
    const d = jt.charCodeAt(jp++);
    if (d === 125) break;
    if (d !== 44) jsonbFail();
  }
  if (members.length === 1) return '{' + members[0].out + '}';
  // A stable sort keeps duplicates in text order: the last of each run is the one jsonb keeps.
  members.sort((a, b) => jsonbKeyOrder(a.key, b.key));
  let out = '{';
  for (let i = 0; i < members.length; i++) {
    if (i + 1 < members.length && members[i + 1].key === members[i].key) continue;
    if (out.length > 1) out += ', ';
    out += members[i].out;
  }
  return out + '}';
}

/** A number as jsonb's numeric prints it: an integer as written (but -0), anything else through numericAsIs. */
function jsonbNumber(): string {
  const start = jp;
  if (jt.charCodeAt(jp) === 45) jp++;
  const first = jp;
  while (isDigit(jt.charCodeAt(jp))) jp++;
  if (jp === first || (jt.charCodeAt(first) === 48 && jp - first > 1)) jsonbFail();
  let plain = true;
  if (jt.charCodeAt(jp) === 46) {
    plain = false;
    const f = ++jp;
    while (isDigit(jt.charCodeAt(jp))) jp++;
    if (jp === f) jsonbFail();
  }
  const e = jt.charCodeAt(jp);
  if (e === 101 || e === 69) {
    plain = false;
    const s = jt.charCodeAt(++jp);
    if (s === 43 || s === 45) jp++;
    const f = jp;
    while (isDigit(jt.charCodeAt(jp))) jp++;
    if (jp === f) jsonbFail();
  }
  const raw = jt.slice(start, jp);
  return plain && raw !== '-0' ? raw : numericAsIs(raw);
}

const isDigit = (c: number) => c >= 48 && c <= 57;

/** jsonb's key order: byte length, then bytes (UTF-8 bytes order as code points do). */
function jsonbKeyOrder(a: string, b: string): number {
  const la = utf8Length(a);
  const lb = utf8Length(b);
  if (la !== lb) return la - lb;
  return a === b ? 0 : codePointOrder(a, b);
}

function utf8Length(s: string): number {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return Buffer.byteLength(s);
  return s.length;
}

function codePointOrder(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x - y;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}

function stringify(v: Json): string {
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return JSON.stringify(v);
  if (v instanceof JsonNumber) return numericAsIs(v.text);
  if (Array.isArray(v)) return '[' + v.map(stringify).join(',') + ']';
  return (
    '{' +
    Object.keys(v)
      .sort()
      .map((k) => JSON.stringify(k) + ':' + stringify(v[k]))
      .join(',') +
    '}'
  );
}

export function parseJson(text: string): Json {
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  };
  const fail = (): never => {
    throw new SyntaxError(`invalid JSON at offset ${i}: ${text.slice(0, 60)}`);
  };
  const value = (): Json => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const o: { [k: string]: Json } = Object.create(null);
      ws();
      if (text[i] === '}') {
        i++;
        return o;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail();
        const k = str();
        ws();
        if (text[i++] !== ':') fail();
        o[k] = value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') {
          i++;
          return o;
        } else fail();
      }
    }
    if (c === '[') {
      i++;
      const a: Json[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return a;
      }
      for (;;) {
        a.push(value());
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') {
          i++;
          return a;
        } else fail();
      }
    }
    if (c === '"') return str();
    for (const [w, x] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const)
      if (text.startsWith(w, i)) {
        i += w.length;
        return x;
      }
    const n = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i, i + 1000));
    if (!n) return fail();
    i += n[0].length;
    return new JsonNumber(n[0]);
  };
  const str = (): string => {
    const start = i;
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    if (i >= text.length) fail();
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const v = value();
  ws();
  if (i !== text.length) fail();
  return v;
}

// --- arrays ----------------------------------------------------------------------------------

type Nested = Array<string | null | Nested>;

/**
 * An array, from Postgres's literal (`{a,"b c",NULL}`, `{{1,2},{3,4}}`, `[0:1]={a,b}`, converge's
 * all-quoted `{"a","b"}`) or from to_jsonb (how verify reads arrays back), as JSON of its
 * canonical elements. A JSON element's own value is the element when the element type is json.
 */
function arrayCanon(elem: Canon, jsonElements: boolean): Canon {
  const canonNested = (a: Nested): unknown =>
    a.map((x) => (x === null ? null : Array.isArray(x) ? canonNested(x) : elem(x)));
  return (v) => {
    let parsed: Nested;
    try {
      parsed =
        v.startsWith('[') && !/^\[-?\d+:-?\d+\]/.test(v) ? fromJson(parseJson(v), jsonElements) : parseArrayLiteral(v);
    } catch {
      return v;
    }
    return JSON.stringify(canonNested(parsed));
  };
}

function fromJson(v: Json, jsonElements: boolean): Nested {
  if (!Array.isArray(v)) throw new Error('not a JSON array');
  return v.map((x) => {
    if (x === null) return null;
    if (jsonElements) return stringify(x);
    if (Array.isArray(x)) return fromJson(x, false);
    if (typeof x === 'string') return x;
    if (x instanceof JsonNumber) return x.text;
    if (typeof x === 'boolean') return x ? 't' : 'f';
    return stringify(x);
  });
}

/** Postgres array literal → nested elements (unquoted NULL = null), dimensions kept. */
export function parseArrayLiteral(v: string): Nested {
  let i = 0;
  const s = v.replace(/^(\[-?\d+:-?\d+\])+=/, '');
  const fail = (): never => {
    throw new Error(`not an array literal: ${v.slice(0, 60)}`);
  };
  const level = (): Nested => {
    if (s[i] !== '{') fail();
    i++;
    const out: Nested = [];
    while (s[i] === ' ') i++;
    if (s[i] === '}') {
      i++;
      return out;
    }
    for (;;) {
      while (s[i] === ' ') i++;
      if (s[i] === '{') out.push(level());
      else if (s[i] === '"') {
        let x = '';
        i++;
        while (s[i] !== '"') {
          if (i >= s.length) fail();
          if (s[i] === '\\') i++;
          x += s[i++];
        }
        i++;
        out.push(x);
      } else {
        let x = '';
        while (i < s.length && s[i] !== ',' && s[i] !== '}') {
          if (s[i] === '\\') i++;
          x += s[i++];
        }
        x = x.trim();
        out.push(x.toUpperCase() === 'NULL' ? null : x);
      }
      while (s[i] === ' ') i++;
      if (s[i] === ',') i++;
      else if (s[i] === '}') {
        i++;
        return out;
      } else fail();
    }
  };
  const out = level();
  if (i !== s.length) fail();
  return out;
}

/** An array's elements, flattened in order (from a Postgres literal or from JSON); throws if it is neither. */
export function arrayElements(v: string, jsonElements: boolean): Array<string | null> {
  const parsed =
    v.startsWith('[') && !/^\[-?\d+:-?\d+\]/.test(v) ? fromJson(parseJson(v), jsonElements) : parseArrayLiteral(v);
  const out: Array<string | null> = [];
  const walk = (a: Nested) => a.forEach((x) => (Array.isArray(x) ? walk(x) : out.push(x)));
  walk(parsed);
  return out;
}

/** An array's canonical form with elements compared as written (text[]). */
export function canonicalArray(v: string): string {
  return arrayCanon(same, false)(v);
}

import {
  hasNulByte,
  isCanonicalDateTimeBytes,
  isHexByteaBytes,
  isIntegerBytes,
  isLowerUuidBytes,
  isNumericBytes,
  isPlainDateBytes,
  isValidJsonBytes,
} from '../../src/transform/byte-checks';
import { jsonValue } from '../../src/transform/transforms/json';
import { byteaValue, floatValue, integerValue, numericValue, textValue } from '../../src/transform/transforms/scalars';
import { dateValue, isZeroDate, makeTimestamp } from '../../src/transform/transforms/timestamp';
import { uuidFromText } from '../../src/transform/transforms/uuid';
import { createPrng } from '../../fixtures/demo/generic-prng';

/**
 * Every byte checker is proved against the string transform it stands in for: a true must mean
 * "the transform returns the value unchanged and does not throw", and the converse must hold too.
 * Inputs come from a seeded generator biased to the edges (near-valid values, one byte off).
 */

/** Seeded (the demo's mulberry32), so a failure reproduces from its seed. */
function prng(seed: number): {
  next(): number;
  int(n: number): number;
  pick<T>(xs: ArrayLike<T>): T;
  chance(p: number): boolean;
} {
  const p = createPrng(seed);
  const int = (n: number): number => p.int(0, n - 1);
  return { next: () => p.next(), int, pick: (xs) => xs[int(xs.length)], chance: (q) => p.chance(q) };
}
type Rng = ReturnType<typeof prng>;

/** Whether fn(v) returns v itself without throwing: the fast path's promise. */
function unchanged(fn: (v: string) => string, v: string): boolean {
  try {
    return fn(v) === v;
  } catch {
    return false;
  }
}

/**
 * The value's bytes inside a bigger buffer, with bytes before and after that would change the answer
 * if read (digits, quotes, closing brackets, NUL), so an off-by-one in s/e handling shows.
 */
const FILLER = Buffer.from('0123456789abcdefABCDEFx-:. "\\]}e,\u0000');
function embed(rng: Rng, value: Buffer): { b: Buffer; s: number; e: number } {
  const pre = rng.chance(0.2) ? 0 : rng.int(9);
  const post = rng.chance(0.2) ? 0 : rng.int(9);
  const b = Buffer.alloc(pre + value.length + post);
  for (let i = 0; i < pre; i++) b[i] = rng.chance(0.1) ? rng.int(256) : rng.pick(FILLER);
  value.copy(b, pre);
  for (let i = pre + value.length; i < b.length; i++) b[i] = rng.chance(0.1) ? rng.int(256) : rng.pick(FILLER);
  return { b, s: pre, e: pre + value.length };
}

/** Characters a mutation swaps in: the grammars' own symbols, near-misses, and non-ASCII look-alikes. */
const MUTANTS = [
  '0',
  '1',
  '5',
  '9',
  'a',
  'f',
  'A',
  'F',
  'g',
  'G',
  'x',
  'X',
  'e',
  'E',
  '-',
  '+',
  '.',
  ':',
  ' ',
  'T',
  '\t',
  '\n',
  '"',
  '\\',
  '\u0000',
  'é',
  '٣',
  '０',
  '😀',
  '{',
  '}',
];

/** One near-miss of v: a character dropped, inserted, replaced, case-flipped, or the text cut or extended. */
function mutate(rng: Rng, v: string): string {
  const i = rng.int(v.length + 1);
  switch (rng.int(7)) {
    case 0:
      return v.slice(0, i) + v.slice(i + 1);
    case 1:
      return v.slice(0, i) + rng.pick(MUTANTS) + v.slice(i);
    case 2:
      return v.slice(0, i) + rng.pick(MUTANTS) + v.slice(i + 1);
    case 3:
      return v.slice(0, i);
    case 4:
      return v + rng.pick(MUTANTS);
    case 5:
      return v.slice(0, i) + v.slice(i, i + 1).toUpperCase() + v.slice(i + 1);
    default:
      return v.toUpperCase();
  }
}

interface Tally {
  cases: number;
  accepted: number;
  mismatches: string[];
}

/**
 * Runs checker and oracle over values; the oracle sees the UTF-8 decoding of the exact bytes the
 * checker sees. Returns the tally so each test can also insist both outcomes were exercised.
 */
function prove(
  rng: Rng,
  values: Iterable<string>,
  checker: (b: Buffer, s: number, e: number) => boolean,
  oracle: (v: string) => boolean,
): Tally {
  const t: Tally = { cases: 0, accepted: 0, mismatches: [] };
  for (const raw of values) {
    const { b, s, e } = embed(rng, Buffer.from(raw, 'utf8'));
    const v = b.toString('utf8', s, e);
    const want = oracle(v);
    const got = checker(b, s, e);
    t.cases++;
    if (want) t.accepted++;
    if (got !== want && t.mismatches.length < 10)
      t.mismatches.push(`${JSON.stringify(v)}: checker ${got}, transform ${want}`);
  }
  return t;
}

function expectBothOutcomes(t: Tally): void {
  expect(t.mismatches).toEqual([]);
  expect(t.accepted).toBeGreaterThan(t.cases * 0.1);
  expect(t.cases - t.accepted).toBeGreaterThan(t.cases * 0.1);
}

function* many(rng: Rng, n: number, valid: (rng: Rng) => string): Generator<string> {
  for (let k = 0; k < n; k++) {
    let v = valid(rng);
    if (rng.chance(0.5)) v = mutate(rng, v);
    if (rng.chance(0.1)) v = mutate(rng, v);
    yield v;
  }
}

const pad = (n: number, w: number): string => String(n).padStart(w, '0');

describe('isLowerUuidBytes ⇔ uuidFromText returns its input', () => {
  test('random and near-miss uuids', () => {
    const rng = prng(1);
    const hex = (n: number): string => Array.from({ length: n }, () => rng.pick('0123456789abcdef')).join('');
    const valid = (): string => `${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}`;
    const fixed = [
      '',
      '-',
      `{${valid()}}`,
      valid().toUpperCase(),
      valid().replace(/-/g, ''),
      '00000000-0000-0000-0000-000000000000',
    ];
    const t = prove(rng, [...fixed, ...many(rng, 20000, valid)], isLowerUuidBytes, (v) => unchanged(uuidFromText, v));
    expectBothOutcomes(t);
  });
});

/** Year, month, day biased to the edges: zero parts, 13th month, day 31 of short months, leap days. */
function dateParts(rng: Rng): string {
  const y = rng.pick([0, 1, 99, 1900, 1970, 2000, 2023, 2024, 2100, 2400, 9999, rng.int(10000)]);
  const m = rng.chance(0.8) ? 1 + rng.int(12) : rng.pick([0, 13, 99]);
  const d = rng.chance(0.5) ? 1 + rng.int(28) : rng.pick([0, 28, 29, 30, 31, 32, 99]);
  return `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`;
}

describe('isCanonicalDateTimeBytes ⇔ makeTimestamp(UTC) returns its input', () => {
  test('random and near-miss date-times', () => {
    const rng = prng(2);
    const toUtc = makeTimestamp('UTC');
    const valid = (r: Rng): string => {
      const h = r.chance(0.9) ? r.int(24) : r.pick([24, 99]);
      const mi = r.chance(0.9) ? r.int(60) : 60;
      const se = r.chance(0.9) ? r.int(60) : 60;
      const sep = r.chance(0.9) ? ' ' : r.pick(['T', '  ', '']);
      const fd = r.int(8);
      const frac = r.chance(0.5) ? '' : '.' + Array.from({ length: fd }, () => r.int(10)).join('');
      return `${dateParts(r)}${sep}${pad(h, 2)}:${pad(mi, 2)}:${pad(se, 2)}${frac}`;
    };
    const fixed = [
      '0000-00-00 00:00:00',
      '2024-00-15 10:00:00',
      '2024-02-29 12:00:00',
      '2023-02-29 12:00:00',
      '1900-02-29 00:00:00',
      '2000-02-29 00:00:00',
      '2024-01-01 24:00:00',
      '2024-01-01 00:00:00.',
      '2024-01-01 00:00:00.1234567',
      '2024-01-01',
      '2024-01-01T00:00:00',
      '0000-01-01 00:00:00',
    ];
    const t = prove(rng, [...fixed, ...many(rng, 30000, valid)], isCanonicalDateTimeBytes, (v) => unchanged(toUtc, v));
    expectBothOutcomes(t);
  });
});

describe('isPlainDateBytes ⇔ dateValue returns its input and it is not a zero date', () => {
  test('random and near-miss dates', () => {
    const rng = prng(3);
    const fixed = [
      '0000-00-00',
      '2024-00-15',
      '2024-02-29',
      '2023-02-29',
      '1900-02-29',
      '2000-02-29',
      '0000-01-01',
      '2024-04-31',
      '2024-1-01',
      '',
    ];
    const t = prove(
      rng,
      [...fixed, ...many(rng, 30000, dateParts)],
      isPlainDateBytes,
      (v) => !isZeroDate(v) && unchanged(dateValue, v),
    );
    expectBothOutcomes(t);
  });
});

/** Pieces of a decimal with each part optional, so '-', '.', '1.', '.5', '1e', '1e+5' all come up. */
function numberish(rng: Rng): string {
  const digits = (max: number): string => Array.from({ length: rng.int(max + 1) }, () => rng.int(10)).join('');
  let v = rng.chance(0.3) ? '-' : '';
  v += digits(4);
  if (rng.chance(0.4)) v += '.' + digits(3);
  if (rng.chance(0.3)) v += rng.pick(['e', 'E']) + rng.pick(['', '', '+', '-']) + digits(2);
  return v;
}
const NUMBER_EDGES = [
  '',
  '-',
  '.',
  '-.',
  '1.',
  '.5',
  '-.5',
  '1e',
  '1e+',
  '1e+5',
  '1E-5',
  '00',
  '-0',
  '+1',
  '1.2.3',
  '1e5e5',
  '٣',
  ' 1',
  '1 ',
  '1\n',
  'inf',
  'NaN',
];

describe('isIntegerBytes ⇔ integerValue returns its input', () => {
  test('random and near-miss integers', () => {
    const rng = prng(4);
    const t = prove(rng, [...NUMBER_EDGES, ...many(rng, 30000, numberish)], isIntegerBytes, (v) =>
      unchanged(integerValue, v),
    );
    expectBothOutcomes(t);
  });
});

describe('isNumericBytes ⇔ numericValue returns its input', () => {
  test('random and near-miss decimals', () => {
    const rng = prng(5);
    const t = prove(rng, [...NUMBER_EDGES, ...many(rng, 30000, numberish)], isNumericBytes, (v) =>
      unchanged(numericValue, v),
    );
    expectBothOutcomes(t);
  });

  test('a numeric match is also one floatValue keeps', () => {
    const rng = prng(6);
    const wrong: string[] = [];
    for (const v of many(rng, 20000, numberish)) {
      const b = Buffer.from(v);
      if (isNumericBytes(b, 0, b.length) && !unchanged(floatValue, v)) wrong.push(v);
    }
    expect(wrong).toEqual([]);
  });
});

describe('isHexByteaBytes ⇔ byteaValue returns its input', () => {
  test('random and near-miss hex', () => {
    const rng = prng(7);
    const valid = (r: Rng): string =>
      '\\x' + Array.from({ length: 2 * r.int(7) }, () => r.pick('0123456789abcdefABCDEF')).join('');
    const fixed = ['', '\\', '\\x', '\\X', 'x00', '\\x0', '\\x00', '\\x0g', '\\\\x00', '\\x00 '];
    const t = prove(rng, [...fixed, ...many(rng, 30000, valid)], isHexByteaBytes, (v) => unchanged(byteaValue, v));
    expectBothOutcomes(t);
  });
});

describe('hasNulByte ⇔ textValue rejects the value', () => {
  test('NULs inside, at the edges and just outside the range', () => {
    const rng = prng(8);
    const valid = (r: Rng): string =>
      Array.from({ length: r.int(6) }, () => r.pick(['a', ' ', 'é', '😀', '"', '\u0000', '\u0001'])).join('');
    const t = prove(
      rng,
      ['', '\u0000', 'a\u0000', '\u0000a', ...many(rng, 30000, valid)],
      hasNulByte,
      (v) => !unchanged(textValue, v),
    );
    expectBothOutcomes(t);
  });

  test('an empty range never reports a NUL next to it', () => {
    const b = Buffer.from([0, 0, 0]);
    expect(hasNulByte(b, 1, 1)).toBe(false);
    expect(hasNulByte(b, 3, 3)).toBe(false);
    expect(hasNulByte(Buffer.from('ab\u0000'), 0, 2)).toBe(false);
  });
});

// ---- JSON ---------------------------------------------------------------------------------------

/** jsonValue's verdict on the decoded text. */
function jsonOk(v: string, jsonb: boolean): boolean {
  return unchanged((x) => jsonValue(x, jsonb), v);
}

/** A CSV quoted field's content: each '"' doubled. */
const csvEscape = (v: string): string => v.replace(/"/g, '""');

/** The reading the brief defines: '""' pairs taken left to right; a '"' left alone is malformed (null). */
function csvUnescape(raw: string): string | null {
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] !== '"') out += raw[i];
    else if (raw[i + 1] === '"') {
      out += '"';
      i++;
    } else return null;
  }
  return out;
}

const WS = [' ', '\t', '\n', '\r', '\r\n', '  '];
/** Mostly JSON whitespace; rarely characters JSON.parse does not treat as whitespace. */
function ws(rng: Rng): string {
  if (rng.chance(0.6)) return '';
  if (rng.chance(0.02)) return rng.pick(['\u00a0', '\f', '\v', '\ufeff', '\u2028']);
  return rng.pick(WS);
}

/** String content pieces, raw and escaped: quotes, backslashes, unicode, \u0000, lone surrogates. */
function stringBody(rng: Rng): string {
  const hex4 = (): string => Array.from({ length: 4 }, () => rng.pick('0123456789abcdefABCDEF')).join('');
  let s = '';
  const n = rng.int(6);
  for (let k = 0; k < n; k++) {
    s += rng.pick([
      'a',
      'key',
      ' ',
      'é',
      '中文',
      '😀',
      '𝄞',
      '\u2028',
      '\u007f',
      "'",
      ',',
      ':',
      '{',
      ']',
      '\\"',
      '\\\\',
      '\\/',
      '\\b',
      '\\f',
      '\\n',
      '\\r',
      '\\t',
      '\\u0000',
      '\\u0041',
      '\\ud83d\\ude00',
      '\\ud800',
      '\\uDC00',
      `\\u${hex4()}`,
      '\\\\u0000',
      '\\\\\\u0000',
      // Occasionally invalid: raw control characters, bad escapes.
      ...(rng.chance(0.05) ? ['\t', '\n', '\u0000', '\u001f', '\u0020', '\\x41', '\\u12', '\\U0041', '\\'] : []),
    ]);
  }
  return s;
}

function jsonNumber(rng: Rng): string {
  if (rng.chance(0.1))
    return rng.pick(['-', '01', '-01', '1.', '.5', '1e', '1e+', '+1', '0x1', 'Infinity', 'NaN', '1.5e', '--1']);
  const digits = (min: number, max: number): string =>
    Array.from({ length: min + rng.int(max - min + 1) }, () => rng.int(10)).join('');
  let v = rng.chance(0.3) ? '-' : '';
  v += rng.chance(0.3) ? '0' : String(1 + rng.int(9)) + digits(0, 4);
  if (rng.chance(0.3)) v += '.' + digits(1, 3);
  if (rng.chance(0.2)) v += rng.pick(['e', 'E']) + rng.pick(['', '+', '-']) + digits(1, 3);
  return v;
}

/** A random JSON document; depth-limited so the random ones stay small (deep ones are tested apart). */
function jsonDoc(rng: Rng, depth: number): string {
  const kind = depth > 4 ? rng.int(3) : rng.int(5);
  switch (kind) {
    case 0:
      return `"${stringBody(rng)}"`;
    case 1:
      return jsonNumber(rng);
    case 2:
      return rng.pick(['true', 'false', 'null']);
    case 3: {
      const n = rng.int(4);
      const items = Array.from({ length: n }, () => ws(rng) + jsonDoc(rng, depth + 1) + ws(rng));
      return '[' + (n === 0 ? ws(rng) : items.join(',')) + ']';
    }
    default: {
      const n = rng.int(4);
      const items = Array.from(
        { length: n },
        () => `${ws(rng)}"${stringBody(rng)}"${ws(rng)}:${ws(rng)}${jsonDoc(rng, depth + 1)}${ws(rng)}`,
      );
      return '{' + (n === 0 ? ws(rng) : items.join(',')) + '}';
    }
  }
}

const JSON_MUTANTS = [
  '"',
  '\\',
  ',',
  ':',
  '[',
  ']',
  '{',
  '}',
  '0',
  '-',
  'e',
  '.',
  ' ',
  'u',
  'x',
  'n',
  '\u0000',
  '\u001f',
  '\n',
  '\t',
  '😀',
  'é',
];

/** One near-miss of a JSON text: a character dropped, inserted or replaced, or the text truncated. */
function mutateJson(rng: Rng, v: string): string {
  const i = rng.int(v.length + 1);
  switch (rng.int(5)) {
    case 0:
      return v.slice(0, i) + v.slice(i + 1);
    case 1:
      return v.slice(0, i) + rng.pick(JSON_MUTANTS) + v.slice(i);
    case 2:
      return v.slice(0, i) + rng.pick(JSON_MUTANTS) + v.slice(i + 1);
    case 3:
      return v.slice(0, i);
    default:
      return v + rng.pick([...JSON_MUTANTS, ' 1', ', 1', '[]']);
  }
}

/**
 * Checks one text in both encodings and both jsonb modes against jsonValue on the decoded text.
 * `raw` is the text as stored in the field: for doubled mode it is CSV-escaped here.
 */
function proveJson(rng: Rng, text: string, t: Tally): void {
  const decodedRaw = Buffer.from(text, 'utf8');
  for (const doubled of [false, true]) {
    const { b, s, e } = embed(rng, doubled ? Buffer.from(csvEscape(text), 'utf8') : decodedRaw);
    // The oracle reads the exact bytes, so a lone surrogate turned into U+FFFD by encoding is accounted for.
    const v = doubled ? csvUnescape(b.toString('utf8', s, e)) : b.toString('utf8', s, e);
    for (const jsonb of [false, true]) {
      const want = v !== null && jsonOk(v, jsonb);
      const got = isValidJsonBytes(b, s, e, doubled, jsonb);
      t.cases++;
      if (want) t.accepted++;
      if (got !== want && t.mismatches.length < 10) {
        t.mismatches.push(
          `${JSON.stringify(text.length > 200 ? text.slice(0, 200) + '…' : text)} doubled=${doubled} jsonb=${jsonb}: checker ${got}, jsonValue ${want}`,
        );
      }
    }
  }
}

/** Checks bytes already in CSV-escaped form (possibly with a lone quote) in doubled mode. */
function proveEscaped(rng: Rng, escaped: string, t: Tally): void {
  const { b, s, e } = embed(rng, Buffer.from(escaped, 'utf8'));
  const v = csvUnescape(b.toString('utf8', s, e));
  for (const jsonb of [false, true]) {
    const want = v !== null && jsonOk(v, jsonb);
    const got = isValidJsonBytes(b, s, e, true, jsonb);
    t.cases++;
    if (want) t.accepted++;
    if (got !== want && t.mismatches.length < 10)
      t.mismatches.push(`escaped ${JSON.stringify(escaped)} jsonb=${jsonb}: checker ${got}, jsonValue ${want}`);
  }
}

describe('isValidJsonBytes ⇔ jsonValue returns its input', () => {
  test('random documents and their near misses, in both encodings and both jsonb modes', () => {
    const rng = prng(9);
    const t: Tally = { cases: 0, accepted: 0, mismatches: [] };
    const edges = [
      '',
      ' ',
      '0',
      '-0',
      '01',
      '1.',
      '.5',
      '1e5',
      '1E+5',
      '1e-5',
      '-',
      '"',
      '""',
      '"\\u0000"',
      '"\\\\u0000"',
      '"\\\\\\u0000"',
      '"\\ud800"',
      '"\\uD83D\\uDE00"',
      '[]',
      '{}',
      '[,]',
      '[1,]',
      '{"a":1,}',
      '{"a"}',
      '{"a":}',
      '{1:1}',
      'tru',
      'truee',
      'nul',
      'null ',
      ' null',
      '\ufeffnull',
      '\u00a0null',
      '"a\tb"',
      '"a\u007fb"',
      '"😀"',
      '[1 2]',
      '{"a":1 "b":2}',
      '"\\a"',
      '"\\u00G0"',
      '"abc',
      '[[[]]',
      '[]]',
      '1 1',
      '{"a":[}]',
      '[{]}',
    ];
    for (const v of edges) proveJson(rng, v, t);
    for (let k = 0; k < 12000; k++) {
      let v = ws(rng) + jsonDoc(rng, 0) + ws(rng);
      if (rng.chance(0.5)) v = mutateJson(rng, v);
      if (rng.chance(0.1)) v = mutateJson(rng, v);
      proveJson(rng, v, t);
    }
    expectBothOutcomes(t);
  });

  test('CSV-escaped bytes with a lone or extra quote are not well-formed', () => {
    const rng = prng(10);
    const t: Tally = { cases: 0, accepted: 0, mismatches: [] };
    for (const fixed of ['"', '"a"', '""a"', '"""a"""', '""a""""', '"\\""', '[""a""]"', '""\\"""'])
      proveEscaped(rng, fixed, t);
    for (let k = 0; k < 6000; k++) {
      let escaped = csvEscape(jsonDoc(rng, 0));
      const i = rng.int(escaped.length + 1);
      // Drop or add a single quote somewhere (a lone quote unless it lands next to a pair), or leave as is.
      const op = rng.int(3);
      if (op === 0) {
        const q = escaped.indexOf('"', i);
        if (q >= 0) escaped = escaped.slice(0, q) + escaped.slice(q + 1);
      } else if (op === 1) escaped = escaped.slice(0, i) + '"' + escaped.slice(i);
      proveEscaped(rng, escaped, t);
    }
    expectBothOutcomes(t);
    const lone = Buffer.from('x"a"x');
    expect(isValidJsonBytes(lone, 1, 4, true, false)).toBe(false);
    expect(isValidJsonBytes(lone, 1, 4, false, false)).toBe(true);
  });

  test('deep nesting, closed and unclosed, needs no recursion', () => {
    const rng = prng(11);
    const t: Tally = { cases: 0, accepted: 0, mismatches: [] };
    const n = 100000;
    const docs = [
      '['.repeat(n) + ']'.repeat(n),
      '['.repeat(n),
      '['.repeat(n) + ']'.repeat(n - 1),
      '['.repeat(n) + ']'.repeat(n + 1),
      '{"a":'.repeat(n) + '1' + '}'.repeat(n),
      '{"a":'.repeat(n) + '"\\u0000"' + '}'.repeat(n),
      '[{"a":'.repeat(n / 2) + 'null' + '}]'.repeat(n / 2),
      '[{"a":'.repeat(n / 2) + 'null' + ']}'.repeat(n / 2),
      '[ '.repeat(n) + '1' + ' ]'.repeat(n),
    ];
    for (const v of docs) proveJson(rng, v, t);
    expect(t.mismatches).toEqual([]);
    expect(t.accepted).toBeGreaterThan(0);
    expect(t.accepted).toBeLessThan(t.cases);
  });
});

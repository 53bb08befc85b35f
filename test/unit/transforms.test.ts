import { deflateSync, inflateSync } from 'node:zlib';
import { DEFAULT_FALSE, DEFAULT_TRUE } from '../../src/mapping/boolean-spellings';
import { makeBoolean } from '../../src/transform/transforms/boolean';
import { canonicalJson, jsonValue } from '../../src/transform/transforms/json';
import {
  arrayLiteral,
  byteaValue,
  enumValue,
  floatValue,
  integerValue,
  latin1BytesValue,
  numericValue,
  setToArray,
  simpleArrayToArray,
  textValue,
} from '../../src/transform/transforms/scalars';
import { uuidFromBinary, uuidFromSwappedBinary, uuidFromText } from '../../src/transform/transforms/uuid';
import { ValueError } from '../../src/transform/transforms/value-error';

/** The ValueError a transform throws, so tests can check its stable code. */
function valueError(fn: () => unknown): ValueError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ValueError);
    return e as ValueError;
  }
  throw new Error('expected a ValueError, nothing was thrown');
}

/** Each input's outcome: the output text, or "!" + the error code it threw (a diff names the input). */
function outcomes(fn: (v: string) => string, inputs: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of inputs) {
    try {
      out[v] = fn(v);
    } catch (e) {
      out[v] = e instanceof ValueError ? `!${e.code}` : `!${String(e)}`;
    }
  }
  return out;
}

/** The expected outcomes when every input gives the same result (`same` keeps each input as is). */
function each(inputs: readonly string[], result: string | 'same'): Record<string, string> {
  return Object.fromEntries(inputs.map((v) => [v, result === 'same' ? v : result]));
}

describe('uuid', () => {
  test('text: upper case becomes canonical lower case', () => {
    expect(uuidFromText('6CCD780C-BABA-1026-9564-5B8C656024DB')).toBe('6ccd780c-baba-1026-9564-5b8c656024db');
    expect(uuidFromText('6ccd780c-baba-1026-9564-5b8c656024db')).toBe('6ccd780c-baba-1026-9564-5b8c656024db');
  });

  test('junk, empty, braces and missing dashes are UUID_INVALID', () => {
    const bad = [
      '',
      'not-a-uuid',
      '{6ccd780c-baba-1026-9564-5b8c656024db}',
      '6ccd780cbaba102695645b8c656024db',
      '6ccd780c-baba-1026-9564-5b8c656024dg',
      ' 6ccd780c-baba-1026-9564-5b8c656024db',
    ];
    expect(outcomes(uuidFromText, bad)).toEqual(each(bad, '!UUID_INVALID'));
  });

  test('binary(16) exported as \\x hex becomes uuid text in byte order', () => {
    expect(uuidFromBinary('\\x6CCD780CBABA102695645B8C656024DB')).toBe('6ccd780c-baba-1026-9564-5b8c656024db');
  });

  // MySQL reference manual, UUID_TO_BIN: with swap_flag 1,
  // HEX(UUID_TO_BIN('6ccd780c-baba-1026-9564-5b8c656024db', 1)) = '1026BABA6CCD780C95645B8C656024DB'.
  test("swapped binary undoes MySQL's UUID_TO_BIN(x, 1) documented example", () => {
    expect(uuidFromSwappedBinary('\\x1026BABA6CCD780C95645B8C656024DB')).toBe('6ccd780c-baba-1026-9564-5b8c656024db');
  });

  test('swapped and plain binary differ for the same bytes (the swap is not a no-op)', () => {
    const hex = '\\x1026baba6ccd780c95645b8c656024db';
    expect(uuidFromBinary(hex)).toBe('1026baba-6ccd-780c-9564-5b8c656024db');
    expect(uuidFromSwappedBinary(hex)).not.toBe(uuidFromBinary(hex));
  });

  test('binary that is not exactly 16 bytes of hex is UUID_INVALID', () => {
    const bad = [
      '\\x',
      '\\x6ccd780cbaba102695645b8c656024',
      '\\x6ccd780cbaba102695645b8c656024db00',
      '\\xzzcd780cbaba102695645b8c656024db',
      '',
    ];
    expect(outcomes(uuidFromBinary, bad)).toEqual(each(bad, '!UUID_INVALID'));
    expect(outcomes(uuidFromSwappedBinary, bad)).toEqual(each(bad, '!UUID_INVALID'));
  });
});

describe('boolean', () => {
  const b = makeBoolean();

  test('default spellings', () => {
    expect(outcomes(b, DEFAULT_TRUE)).toEqual(each(DEFAULT_TRUE, 't'));
    expect(outcomes(b, DEFAULT_FALSE)).toEqual(each(DEFAULT_FALSE, 'f'));
  });

  test('anything else (tinyint 2 that MySQL let in) is VALUE_INVALID', () => {
    const bad = ['2', '', 'yes', ' 1', '-1'];
    expect(outcomes(b, bad)).toEqual(each(bad, '!VALUE_INVALID'));
  });

  test('custom lists replace the defaults', () => {
    const yn = makeBoolean(['yes'], ['no']);
    expect(yn('yes')).toBe('t');
    expect(yn('no')).toBe('f');
    expect(valueError(() => yn('1')).code).toBe('VALUE_INVALID');
  });
});

describe('json', () => {
  test('valid JSON is kept as written', () => {
    expect(jsonValue('{"b": 1, "a": [true, null]}', true)).toBe('{"b": 1, "a": [true, null]}');
  });

  test('malformed JSON is JSON_INVALID', () => {
    const bad = ['{', "{'a':1}", '', 'undefined', '{"a":1,}'];
    expect(outcomes((v) => jsonValue(v, false), bad)).toEqual(each(bad, '!JSON_INVALID'));
  });

  test('\\u0000 is rejected for jsonb only', () => {
    const v = '{"a":"x\\u0000y"}';
    expect(jsonValue(v, false)).toBe(v);
    const e = valueError(() => jsonValue(v, true));
    expect(e.code).toBe('JSON_INVALID');
    expect(e.message).toMatch(/jsonb/);
  });

  test('an escaped backslash followed by u0000 is plain text, which jsonb stores', () => {
    // JSON text `"\\u0000"` is a backslash then "u0000": no NUL character. Postgres:
    // SELECT '"\\u0000"'::jsonb  →  "\\u0000".
    expect(jsonValue('"\\\\u0000"', true)).toBe('"\\\\u0000"');
  });

  test('canonicalJson sorts keys and drops whitespace', () => {
    expect(canonicalJson('{ "b" : 1, "a" : { "d": [1, 2], "c": null } }')).toBe('{"a":{"c":null,"d":[1,2]},"b":1}');
  });
});

describe('scalars', () => {
  test('integers are kept as text, unsigned bigint included; anything else is VALUE_INVALID', () => {
    const ok = ['0', '-1', '18446744073709551615', '-9223372036854775808'];
    const bad = ['1.5', '', '1e3', '+1', ' 1'];
    expect(outcomes(integerValue, [...ok, ...bad])).toEqual({ ...each(ok, 'same'), ...each(bad, '!VALUE_INVALID') });
  });

  test('numeric: a 65-digit decimal passes through unchanged (never via a JS number)', () => {
    const d65 = '12345678901234567890123456789012345.678901234567890123456789012345';
    expect(d65.replace(/\D/g, '')).toHaveLength(65);
    expect(numericValue(d65)).toBe(d65);
    expect(numericValue('-' + d65)).toBe('-' + d65);
  });
  test('numeric keeps decimal and exponent forms exactly; junk is VALUE_INVALID', () => {
    const ok = ['0.10', '-.5', '1.', '1e-7', '1E+30'];
    const bad = ['', '1,5', 'NaN', '1.2.3', '--1'];
    expect(outcomes(numericValue, [...ok, ...bad])).toEqual({ ...each(ok, 'same'), ...each(bad, '!VALUE_INVALID') });
  });

  test('float keeps the shortest round-trip text, inf and NaN included', () => {
    const ok = ['0.1', '1.7976931348623157e308', '-2.2250738585072014e-308', 'inf', '-inf', 'NaN'];
    expect(outcomes(floatValue, ok)).toEqual(each(ok, 'same'));
  });
  test('float rejects junk', () => expect(valueError(() => floatValue('1.0f')).code).toBe('VALUE_INVALID'));

  test('text keeps everything but NUL', () => {
    expect(textValue('emoji 😀, quote ", newline\n')).toBe('emoji 😀, quote ", newline\n');
    expect(textValue('')).toBe('');
    const e = valueError(() => textValue('a\u0000b'));
    expect(e.code).toBe('VALUE_INVALID');
    expect(e.message).toMatch(/NUL/);
  });

  test('bytea accepts \\x hex of whole bytes only', () => {
    expect(byteaValue('\\x')).toBe('\\x');
    expect(byteaValue('\\x00FFab')).toBe('\\x00FFab');
    for (const bad of ['00ff', '\\x0', '\\xgg', 'x00'])
      expect(valueError(() => byteaValue(bad)).code).toBe('VALUE_INVALID');
  });
});

describe('latin1BytesValue (zlib bytes stored as a latin1 string in utf8mb4 text)', () => {
  test('rebuilds the exact zlib bytes, which inflate back to the original', () => {
    const original = Buffer.from(
      JSON.stringify({
        type: 'excalidraw',
        elements: Array.from({ length: 50 }, (_, i) => ({ id: i, text: 'ünïcødé 😀' })),
      }),
    );
    const deflated = deflateSync(original);
    // What MySQL holds: every byte 0..255 as the code point U+0000..U+00FF.
    const asText = deflated.toString('latin1');
    const out = latin1BytesValue(asText);
    expect(out.startsWith('\\x')).toBe(true);
    const bytes = Buffer.from(out.slice(2), 'hex');
    expect(bytes.equals(deflated)).toBe(true);
    expect(inflateSync(bytes).equals(original)).toBe(true);
  });

  test('all 256 byte values map one to one', () => {
    const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    expect(latin1BytesValue(all.toString('latin1'))).toBe('\\x' + all.toString('hex'));
  });

  test('a character above U+00FF is rejected with its offset', () => {
    const e = valueError(() => latin1BytesValue('ab\u0100c'));
    expect(e.code).toBe('VALUE_INVALID');
    expect(e.message).toMatch(/U\+0100 at offset 2/);
    expect(valueError(() => latin1BytesValue('x😀')).code).toBe('VALUE_INVALID');
  });
});

describe('arrays', () => {
  test("'' is the empty array for SET and simple-array", () => {
    expect(setToArray('')).toBe('{}');
    expect(simpleArrayToArray('')).toBe('{}');
  });

  test('items are always quoted, so NULL-looking and spaced items stay text', () => {
    expect(setToArray('a,b')).toBe('{"a","b"}');
    expect(simpleArrayToArray('NULL, x')).toBe('{"NULL"," x"}');
  });

  test('quotes and backslashes are escaped for the array literal', () => {
    expect(simpleArrayToArray('say "hi",back\\slash')).toBe('{"say \\"hi\\"","back\\\\slash"}');
    expect(arrayLiteral(['{}', ''])).toBe('{"{}",""}');
  });
});

describe('enumValue', () => {
  const map = { active: 'ACTIVE', gone: 'DELETED', same: 'same' };

  test('maps labels', () => {
    expect(enumValue(map, 'active')).toBe('ACTIVE');
    expect(enumValue(map, 'same')).toBe('same');
  });

  test('a label missing from the map is ENUM_UNMAPPED, naming the value', () => {
    const e = valueError(() => enumValue(map, 'Active'));
    expect(e.code).toBe('ENUM_UNMAPPED');
    expect(e.message).toContain('"Active"');
  });

  test('inherited object keys are not labels', () => {
    expect(valueError(() => enumValue(map, 'toString')).code).toBe('ENUM_UNMAPPED');
  });
});

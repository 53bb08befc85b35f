import { Canon, canonicalArray, canonicalFor, parseArrayLiteral } from '../../src/verify/canonical';
import { rowHash, TableChecksum } from '../../src/verify/row-checksum';

const same = (type: string, a: string, b: string) => expect(canonicalFor(type)(a)).toBe(canonicalFor(type)(b));
const differ = (type: string, a: string, b: string) => expect(canonicalFor(type)(a)).not.toBe(canonicalFor(type)(b));

describe('canonicalFor', () => {
  test('json/jsonb compare by value: key order and whitespace do not matter', () => {
    same('jsonb', '{"b":1,"a":{"y":[1,2],"x":null}}', '{ "a": { "x": null, "y": [1, 2] }, "b": 1 }');
    same('json', '[1, {"b":2,"a":1}]', '[1,{"a":1,"b":2}]');
    differ('jsonb', '[1,2]', '[2,1]');
    differ('jsonb', '{"a":"1"}', '{"a":1}');
  });

  test('timestamps compare without trailing zero fractions', () => {
    const c = canonicalFor('timestamp without time zone');
    expect(c('2024-01-01 10:00:00.120000')).toBe('2024-01-01 10:00:00.12');
    expect(c('2024-01-01 10:00:00.000000')).toBe('2024-01-01 10:00:00');
    expect(c('2024-01-01 10:00:00')).toBe('2024-01-01 10:00:00');
    expect(c('2024-01-01 10:00:00.000001')).toBe('2024-01-01 10:00:00.000001');
    same('timestamp with time zone', '2024-01-01 10:00:00.500000+00', '2024-01-01 10:00:00.5+00');
    differ('timestamp', '2024-01-01 10:00:00.5', '2024-01-01 10:00:00.05');
  });

  test('time values trim their fraction too', () => {
    same('time without time zone', '10:00:00.100', '10:00:00.1');
  });

  test('char(n) (bpchar) compares without its padding, leading spaces kept', () => {
    same('character(10)', 'abc       ', 'abc');
    same('bpchar', 'abc ', 'abc');
    differ('character(5)', ' abc', 'abc');
  });

  test('uuids and bytea compare case-insensitively; text does not', () => {
    same('uuid', '6CCD780C-BABA-1026-9564-5B8C656024DB', '6ccd780c-baba-1026-9564-5b8c656024db');
    same('bytea', '\\xABCD', '\\xabcd');
    differ('text', 'ABC', 'abc');
  });

  test('floats compare by numeric value, booleans by meaning', () => {
    same('double precision', '1.50', '1.5');
    same('real', '1e3', '1000');
    same('boolean', 'true', 't');
    same('boolean', 'false', 'f');
  });

  test('other types are compared as written', () => {
    expect(canonicalFor('numeric')('1.50')).toBe('1.50');
    expect(canonicalFor('text')('  x ')).toBe('  x ');
  });
});

describe('arrays', () => {
  test("Postgres's literal style, converge's all-quoted style and JSON are equal", () => {
    const a = canonicalArray('{a,"b c","say \\"hi\\"","back\\\\slash"}');
    expect(a).toBe(canonicalArray('{"a","b c","say \\"hi\\"","back\\\\slash"}'));
    expect(a).toBe(canonicalArray('["a","b c","say \\"hi\\"","back\\\\slash"]'));
    expect(JSON.parse(a)).toEqual(['a', 'b c', 'say "hi"', 'back\\slash']);
  });

  test('canonicalFor routes any [] type to array comparison', () => {
    same('text[]', '{x,y}', '["x","y"]');
    same('character varying[]', '{}', '[]');
  });

  test('unquoted NULL is a NULL element, quoted "NULL" is text', () => {
    expect(parseArrayLiteral('{NULL,"NULL",a}')).toEqual([null, 'NULL', 'a']);
  });

  test('empty, single and comma-holding elements', () => {
    expect(parseArrayLiteral('{}')).toEqual([]);
    expect(parseArrayLiteral('{only}')).toEqual(['only']);
    expect(parseArrayLiteral('{"a,b",""}')).toEqual(['a,b', '']);
  });
});

describe('row checksums', () => {
  const canon: Canon[] = [canonicalFor('integer'), canonicalFor('jsonb'), canonicalFor('text')];
  const rows: Array<Array<string | null>> = [
    ['1', '{"a":1,"b":2}', 'x'],
    ['2', '[]', null],
    ['3', 'null', ''],
  ];

  const sum = (rs: Array<Array<string | null>>, c = canon) => {
    const t = new TableChecksum(c);
    for (const r of rs) t.add(r);
    return t;
  };

  test('order-independent: any row order gives the same checksum and count', () => {
    const a = sum(rows);
    const b = sum([rows[2], rows[0], rows[1]]);
    expect(b.hex()).toBe(a.hex());
    expect(b.rows).toBe(3);
    expect(a.hex()).toMatch(/^[0-9a-f]{16}$/);
  });

  test('canonical values hash alike: JSON spelled differently gives the same checksum', () => {
    const respelled = rows.map((r) => [...r]);
    respelled[0][1] = '{ "b": 2, "a": 1 }';
    expect(sum(respelled).hex()).toBe(sum(rows).hex());
  });

  test("NULL and '' hash differently", () => {
    const t = [canonicalFor('text')];
    expect(rowHash([null], t)).not.toBe(rowHash([''], t));
    expect(sum([[null]], t).hex()).not.toBe(sum([['']], t).hex());
  });

  test('values do not run together across columns', () => {
    const two = [canonicalFor('text'), canonicalFor('text')];
    expect(rowHash(['ab', 'c'], two)).not.toBe(rowHash(['a', 'bc'], two));
  });

  test('a missing row, an extra duplicate and a changed value all change the checksum', () => {
    const base = sum(rows).hex();
    expect(sum(rows.slice(1)).hex()).not.toBe(base);
    expect(sum([...rows, rows[0]]).hex()).not.toBe(base);
    expect(sum([rows[0], rows[1], ['3', 'null', 'changed']]).hex()).not.toBe(base);
  });

  test('an empty table is all zeros', () => {
    expect(sum([]).hex()).toBe('0000000000000000');
  });
});

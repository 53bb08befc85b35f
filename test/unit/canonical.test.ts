import { Canon, canonicalArray, canonicalFor, numericScale, parseArrayLiteral } from '../../src/verify/canonical';
import { rowHash, TableChecksum } from '../../src/verify/row-checksum';
import { pgType } from '../helpers/pg-value-type';

const c = (spec: string): Canon => {
  const f = canonicalFor(pgType(spec));
  if (!f) throw new Error(`no canonical form for ${spec}`);
  return f;
};
const same = (type: string, a: string, b: string) => expect(c(type)(a)).toBe(c(type)(b));
const differ = (type: string, a: string, b: string) => expect(c(type)(a)).not.toBe(c(type)(b));

/**
 * Each case pairs what the source side hands verify (the mapping's output: the text converge
 * loads with COPY FROM) with what Postgres prints reading the column back (COPY TO, TimeZone
 * UTC, DateStyle ISO, to_jsonb for arrays), and a value Postgres would store differently.
 */
describe('canonicalFor', () => {
  test('timestamptz with any precision: source UTC wall time equals the +00 read-back', () => {
    for (const t of ['timestamptz', 'timestamptz(0)', 'timestamptz(3)', 'timestamptz(6)']) {
      same(t, '2024-03-31 01:30:00.120', '2024-03-31 01:30:00.12+00');
      same(t, '2024-03-31 01:30:00', '2024-03-31 01:30:00+00');
      same(t, '2024-03-31 03:30:00+02', '2024-03-31 01:30:00+00');
      same(t, '2024-03-31T01:30:00+00:00', '2024-03-31 01:30:00+00'); // to_jsonb's spelling
      differ(t, '2024-03-31 01:30:00', '2024-03-31 02:30:00+00'); // a one-hour shift
      differ(t, '2024-03-31 01:30:00.123456', '2024-03-31 01:30:00.123+00'); // rounded away by (3)
    }
    same('timestamptz', '2024-01-01 00:30:00-01', '2024-01-01 01:30:00+00');
    same('timestamptz', '0001-01-01 00:00:00 BC', '0001-01-01 00:00:00+00 BC');
    same('timestamptz', 'infinity', 'infinity');
    differ('timestamptz', 'infinity', '-infinity');
  });

  test('timestamp without time zone: trailing zero fractions, a date alone is midnight', () => {
    const t = c('timestamp(6)');
    expect(t('2024-01-01 10:00:00.120000')).toBe('2024-01-01 10:00:00.12');
    expect(t('2024-01-01 10:00:00.000000')).toBe('2024-01-01 10:00:00');
    same('timestamp', '2024-01-01', '2024-01-01 00:00:00');
    same('timestamp(3)', '2024-01-01 10:00:00.5', '2024-01-01T10:00:00.500');
    differ('timestamp', '2024-01-01 10:00:00.5', '2024-01-01 10:00:00.05');
    differ('timestamp', '2024-01-01 10:00:00', '2024-01-01 11:00:00');
  });

  test('date, time(p), timetz', () => {
    same('date', '2024-02-29', '2024-02-29');
    differ('date', '2024-02-29', '2024-03-01');
    same('time(3)', '10:00:00.100', '10:00:00.1');
    same('time', '23:59:59.999999', '23:59:59.999999');
    differ('time(3)', '10:00:00.1234', '10:00:00.123');
    same('timetz(3)', '10:00:00.500', '10:00:00.5+00');
    differ('timetz', '10:00:00+01', '10:00:00+00');
  });

  test('interval: MySQL TIME text against what Postgres prints', () => {
    same('interval', '-838:59:59', '-838:59:59');
    same('interval', '10:00:00.500000', '10:00:00.5');
    same('interval', '1 day 02:00:00', '1 day 02:00:00');
    same('interval', '1 year 2 mons', '14 mons');
    differ('interval', '25:00:00', '1 day 01:00:00'); // stored differently
    differ('interval', '10:00:00', '-10:00:00');
  });

  test('numeric(p,s): the typmod scale, never rounding away a difference', () => {
    expect(numericScale(((65 << 16) | 30) + 4)).toBe(30);
    expect(numericScale(-1)).toBeUndefined();
    same('numeric(10,2)', '12.5', '12.50');
    same('numeric(10,2)', '12.500', '12.50');
    same('numeric(10,2)', '-0.00', '0.00');
    differ('numeric(10,2)', '12.505', '12.51');
    same('numeric(65,30)', '1.5', '1.500000000000000000000000000000');
    same(
      'numeric(65,30)',
      '-99999999999999999999999999999999999.999999999999999999999999999999',
      '-99999999999999999999999999999999999.999999999999999999999999999999',
    );
    differ('numeric(65,30)', '0.000000000000000000000000000001', '0.000000000000000000000000000002');
    same('numeric(20,0)', '18446744073709551615', '18446744073709551615');
    differ('numeric(20,0)', '18446744073709551615', '18446744073709551614');
  });

  test('numeric without typmod keeps the display scale Postgres keeps', () => {
    differ('numeric', '12.5', '12.50');
    same('numeric', '007.10', '7.10');
    same('numeric', '1.5e3', '1500');
    same('numeric', '1e-3', '0.001');
    same('numeric', '+.5', '0.5');
    same('numeric', 'nan', 'NaN');
  });

  test('floats by binary value; real as single precision', () => {
    same('float8', '1.50', '1.5');
    same('float8', '1e3', '1000');
    same('float8', '0.30000000000000004', '0.30000000000000004');
    differ('float8', '0.30000000000000004', '0.3');
    same('float4', '3.14159', '3.14159');
    same('float4', '0.30000000000000004', '0.3'); // the same real
    differ('float4', '0.1', '0.2');
    same('float8', 'inf', 'Infinity');
    differ('float8', 'inf', 'NaN');
    differ('float8', '-inf', 'Infinity');
    differ('float8', '', '0');
  });

  test('integers, booleans', () => {
    same('int8', '9223372036854775807', '9223372036854775807');
    differ('int8', '9223372036854775807', '9223372036854775806');
    same('int4', '+007', '7');
    same('int2', '-0', '0');
    for (const t of ['t', 'true', 'TRUE', '1', 'y', 'yes', 'on']) same('bool', t, 't');
    for (const f of ['f', 'false', '0', 'n', 'no', 'off']) same('bool', f, 'f');
    differ('bool', 't', 'f');
  });

  test('uuid case and spelling do not matter; in a text column case does', () => {
    same('uuid', '6CCD780C-BABA-1026-9564-5B8C656024DB', '6ccd780c-baba-1026-9564-5b8c656024db');
    same('uuid', '{6ccd780cbaba102695645b8c656024db}', '6ccd780c-baba-1026-9564-5b8c656024db');
    differ('uuid', '6ccd780c-baba-1026-9564-5b8c656024db', '6ccd780c-baba-1026-9564-5b8c656024dc');
    differ('text', '6CCD780C-BABA-1026-9564-5B8C656024DB', '6ccd780c-baba-1026-9564-5b8c656024db');
    differ('varchar(36)', 'ABC', 'abc');
    differ('citext', 'ABC', 'abc');
  });

  test("character types: char(n)'s padding only", () => {
    same('bpchar(10)', 'abc       ', 'abc');
    differ('bpchar(5)', ' abc', 'abc');
    same('varchar(5)', 'abc', 'abc');
    differ('varchar(5)', 'abc ', 'abc');
    differ('text', '', ' ');
  });

  test('bytea, bit, varbit', () => {
    same('bytea', '\\xABCD', '\\xabcd');
    same('bytea', 'a\\000\\\\', '\\x61005c');
    differ('bytea', '\\x00', '\\x');
    same('bit(4)', '0101', 'B0101');
    same('varbit(8)', 'X1F', '00011111');
    differ('varbit', '01', '010');
  });

  test('json/jsonb compare by value, numbers as jsonb keeps them', () => {
    same('jsonb', '{"b":1,"a":{"y":[1,2],"x":null}}', '{ "a": { "x": null, "y": [1, 2] }, "b": 1 }');
    same('json', '[1, {"b":2,"a":1}]', '[1,{"a":1,"b":2}]');
    same('jsonb', '{"n": 1E2}', '{"n": 100}');
    same('jsonb', '{"a": 1, "a": 2}', '{"a": 2}');
    differ('jsonb', '[1,2]', '[2,1]');
    differ('jsonb', '{"a":"1"}', '{"a":1}');
    differ('jsonb', '{"a":1}', '{"b":1}');
    differ('jsonb', '{"id": 12345678901234567890}', '{"id": 12345678901234567891}'); // no JS double
    differ('jsonb', '{"p": 1.5}', '{"p": 1.50}');
    same('jsonb', '"caf\\u00e9"', '"café"');
  });

  test('inet, cidr, macaddr', () => {
    same('inet', '192.168.1.5/32', '192.168.1.5');
    differ('inet', '192.168.1.5/24', '192.168.1.5');
    same('inet', '2001:DB8::0:1', '2001:db8::1');
    same('cidr', '10/8', '10.0.0.0/8');
    same('cidr', '10.1.0.0', '10.1.0.0/32');
    same('macaddr', '08-00-2B-01-02-03', '08:00:2b:01:02:03');
    same('macaddr', '0800.2b01.0203', '08:00:2b:01:02:03');
    same('macaddr8', '08:00:2b:01:02:03', '08:00:2b:ff:fe:01:02:03');
    differ('macaddr', '08:00:2b:01:02:03', '08:00:2b:01:02:04');
  });

  test('enums compare their labels; domains are resolved by the catalog', () => {
    same('enum', 'open', 'open');
    differ('enum', 'open', 'Open');
  });

  test('a type converge cannot compare has no canonical form', () => {
    for (const t of ['point', 'tsvector', 'money', 'xml', 'hstore', 'int4range', 'point[]'])
      expect(canonicalFor(pgType(t))).toBeNull();
  });

  test('a value that does not parse as its type compares as written', () => {
    expect(c('timestamptz')('not a time')).toBe('not a time');
    expect(c('jsonb')('{"a":')).toBe('{"a":');
    expect(c('int4')('12x')).toBe('12x');
  });
});

describe('arrays', () => {
  test("Postgres's literal style, converge's all-quoted style and JSON are equal", () => {
    const a = canonicalArray('{a,"b c","say \\"hi\\"","back\\\\slash"}');
    expect(a).toBe(canonicalArray('{"a","b c","say \\"hi\\"","back\\\\slash"}'));
    expect(a).toBe(canonicalArray('["a","b c","say \\"hi\\"","back\\\\slash"]'));
    expect(JSON.parse(a)).toEqual(['a', 'b c', 'say "hi"', 'back\\slash']);
  });

  test('elements compare by their type: source literal against to_jsonb', () => {
    same('text[]', '{x,y}', '["x","y"]');
    same('varchar(5)[]', '{}', '[]');
    same('numeric(10,2)[]', '{"1.5","2"}', '[1.50, 2.00]');
    differ('numeric[]', '{1.5}', '[1.50]');
    same('timestamptz(3)[]', '{"2024-01-01 10:00:00.5"}', '["2024-01-01T10:00:00.5+00:00"]');
    differ('timestamptz[]', '{"2024-01-01 10:00:00"}', '["2024-01-01T11:00:00+00:00"]');
    same('bool[]', '{t,f,NULL}', '[true, false, null]');
    same('uuid[]', '{6CCD780C-BABA-1026-9564-5B8C656024DB}', '["6ccd780c-baba-1026-9564-5b8c656024db"]');
    same('jsonb[]', '{"{\\"b\\": 1, \\"a\\": 2}"}', '[{"a": 2, "b": 1}]');
    same('int4[]', '{{1,2},{3,4}}', '[[1,2],[3,4]]');
    same('int4[]', '[0:1]={1,2}', '[1,2]');
    differ('int4[]', '{{1,2},{3,4}}', '[1,2,3,4]');
    same('enum[]', '{"open","closed"}', '["open","closed"]');
    differ('text[]', '{NULL}', '[""]');
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
  const canon: Canon[] = [c('int4'), c('jsonb'), c('text')];
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
    const t = [c('text')];
    expect(rowHash([null], t)).not.toBe(rowHash([''], t));
    expect(sum([[null]], t).hex()).not.toBe(sum([['']], t).hex());
  });

  test('values do not run together across columns', () => {
    const two = [c('text'), c('text')];
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

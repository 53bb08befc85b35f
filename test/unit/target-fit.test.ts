import { targetFit } from '../../src/mapping/check/target-fit';
import { advise, JSON_NUL_PATTERN, NUL_PATTERN } from '../../src/mapping/value-advice';
import { jsonValue } from '../../src/transform/transforms/json';
import type { PgColumn } from '../../src/target/postgres/catalog';

const col = (type: string, o: Partial<PgColumn> = {}): PgColumn =>
  ({
    name: 'c',
    type,
    typtype: 'b',
    baseType: null,
    notNull: false,
    hasDefault: false,
    defaultExpr: null,
    generated: false,
    identity: false,
    sequence: null,
    enumLabels: null,
    maxLength: /\((\d+)\)/.exec(type) ? Number(/\((\d+)\)/.exec(type)![1]) : null,
    ...o,
  }) as PgColumn;

/** What a target column accepts, judged on the program's output as COPY would judge it. */
describe('targetFit', () => {
  test.each<[string, Partial<PgColumn>, string | undefined, string | null, string | undefined]>([
    ['text', { notNull: true }, 'text', null, 'null-into-not-null'],
    ['text', {}, 'text', null, undefined],
    ['text', {}, 'text', 'a\u0000b', 'nul-in-text'],
    ['character varying(3)', {}, 'text', 'abcd', 'too-long'],
    ['character varying(3)', {}, 'text', '😀😀😀', undefined], // three characters, six UTF-16 units
    ['integer', {}, 'integer', '2147483648', 'out-of-range'],
    ['integer', {}, 'integer', '-2147483648', undefined],
    ['smallint', {}, 'copy', '40000', 'out-of-range'],
    ['bigint', {}, 'integer', '9223372036854775808', 'out-of-range'],
    ['integer', {}, 'copy', 'many', 'integer-invalid'],
    ['uuid', {}, 'copy', '', 'empty-uuid'],
    ['uuid', {}, 'copy', 'space-admin', 'uuid-invalid'],
    ['jsonb', {}, 'json', '{"a":"\\u0000"}', 'nul-in-jsonb'],
    ['jsonb', {}, 'json', '{"a":"\\\\u0000"}', undefined], // an escaped backslash, then text
    ['json', {}, 'json', '{"a":"\\u0000"}', undefined], // json stores the escape
    ['json', {}, 'copy', '{nope', 'json-invalid'],
    ['boolean', {}, 'copy', '2', 'boolean-unread'],
    ['boolean', {}, 'copy', 'yes', undefined],
    ['timestamp without time zone', {}, 'copy', '0000-00-00 00:00:00', 'zero-date'],
    ['user_kind', { typtype: 'e', enumLabels: ['A', 'B'] }, 'enum', 'C', 'enum-label-invalid'],
  ])('%s %j (%s): %j → %s', (type, o, rule, v, want) => {
    expect(targetFit(col(type, o), rule)?.(v)).toBe(want);
  });
});

describe('the advice fits the target type, and does what it says', () => {
  test('\\u0000 into jsonb: the replace it advises leaves JSON that jsonb takes, and keeps an escaped backslash', () => {
    const a = advise('nul-in-jsonb', { kind: 'jsonb' });
    expect(a.fix?.column?.replace?.pattern).toBe(JSON_NUL_PATTERN);
    const re = new RegExp(JSON_NUL_PATTERN, 'g');
    for (const [v, out] of [
      ['{"a":"x\\u0000y\\u0000"}', '{"a":"xy"}'],
      ['{"a":"\\\\u0000"}', '{"a":"\\\\u0000"}'],
      ['"\\\\\\u0000"', '"\\\\"'],
    ]) {
      const replaced = v.replace(re, '');
      expect(replaced).toBe(out);
      expect(jsonValue(replaced, true)).toBe(out);
    }
    expect(a.words).not.toMatch(/use json/);
  });

  test('NUL in text: a replace for text, bytes for bytea', () => {
    expect(advise('nul-in-text', { kind: 'text' }).fix).toEqual({
      column: { replace: { pattern: NUL_PATTERN, with: '' } },
    });
    expect('a\u0000b'.replace(new RegExp(NUL_PATTERN, 'g'), '')).toBe('ab');
    expect(advise('nul-in-text', { kind: 'bytea' }).fix).toEqual({ column: { type: 'bytea' } });
  });

  test('booleans: non-zero numbers join the true spellings; other values have no fix to guess', () => {
    expect(advise('boolean-unread', {}, { values: ['2', '-1'] }).fix?.column?.trueValues).toEqual([
      '1',
      'Y',
      'y',
      'true',
      'TRUE',
      'T',
      't',
      '2',
      '-1',
    ]);
    expect(advise('boolean-unread', {}, { values: ['maybe'] }).fix).toBeUndefined();
  });

  test('what NULL may become depends on the column: zero dates, empty uuids, NOT NULL', () => {
    expect(advise('zero-date', { nullable: true }).fix).toEqual({ column: { zeroDate: 'null' } });
    expect(advise('zero-date', { nullable: false }).fix?.column?.zeroDate).toBe('1970-01-01 00:00:00');
    expect(advise('empty-uuid', { nullable: false }).fix).toBeUndefined();
    expect(advise('null-into-not-null', { kind: 'text', column: 'c' }).fix).toEqual({ column: { nullTo: '' } });
    expect(advise('null-into-not-null', { kind: 'uuid', column: 'c' }).fix).toEqual({
      table: { dropRowsWithNull: ['c'] },
    });
    expect(advise('out-of-range', {}, { values: ['99999999999999999999'] }).fix).toEqual({ targetType: 'numeric' });
  });
});

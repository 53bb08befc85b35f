import { ConvergeError } from '../../src/core/errors';
import { compileTable, SourceColumn } from '../../src/transform/compile-table';
import { lookupKey } from '../../src/transform/lookups';
import { tableRuleFromYaml } from '../fixtures/unit/mapping-rule';

const text = (...names: string[]): SourceColumn[] => names.map((name) => ({ name, encoding: 'text' }));
const noLookups = new Map<string, Map<string, string>>();
const opts = { timezone: 'UTC', lookups: noLookups, origin: 'users.csv' };

function thrown(fn: () => unknown): ConvergeError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ConvergeError);
    return e as ConvergeError;
  }
  throw new Error('expected a ConvergeError, nothing was thrown');
}

describe('compileTable: binding the rule to the source columns', () => {
  test('target columns follow the mapping order, renames and added columns', async () => {
    const rule = await tableRuleFromYaml(`
tables:
  users:
    target: accounts
    columns:
      id: uuid
      mail: { to: email }
    drop: [legacy]
    add:
      origin: { constant: mysql }
      label: { concat: [id, mail], separator: ':' }
`);
    const t = compileTable(rule, text('legacy', 'mail', 'id'), opts);
    expect(t.source).toBe('users');
    expect(t.target).toBe('accounts');
    expect(t.targetColumns).toEqual(['id', 'email', 'origin', 'label']);
    const id = '6ccd780c-baba-1026-9564-5b8c656024db';
    expect(t.transformRow(['x', 'a@b.c', id], 2)).toEqual([id, 'a@b.c', 'mysql', `${id}:a@b.c`]);
    expect(t.transformRow(['x', null, id], 3)).toEqual([id, null, 'mysql', null]);
  });

  test('a source column neither mapped nor dropped is MAPPING_INVALID, naming it', async () => {
    const rule = await tableRuleFromYaml('tables:\n  users:\n    columns:\n      id: uuid\n');
    const e = thrown(() => compileTable(rule, text('id', 'nickname'), opts));
    expect(e.code).toBe('MAPPING_INVALID');
    expect(e.context).toMatchObject({ table: 'users', column: 'nickname', file: rule.file, line: 2 });
  });

  test('a mapped column the source lacks is MAPPING_UNKNOWN_COLUMN with the mapping file and line', async () => {
    const rule = await tableRuleFromYaml('tables:\n  users:\n    columns:\n      id: uuid\n      nick: text\n');
    const e = thrown(() => compileTable(rule, text('id'), opts));
    expect(e.code).toBe('MAPPING_UNKNOWN_COLUMN');
    expect(e.context).toMatchObject({ table: 'users', column: 'nick', file: rule.file, line: 5 });
  });

  test('a dropped column the source lacks is MAPPING_UNKNOWN_COLUMN', async () => {
    const rule = await tableRuleFromYaml('tables:\n  users:\n    columns:\n      id: uuid\n    drop: [ghost]\n');
    const e = thrown(() => compileTable(rule, text('id'), opts));
    expect(e.code).toBe('MAPPING_UNKNOWN_COLUMN');
    expect(e.context.column).toBe('ghost');
  });

  test('two source columns mapped to one target column is MAPPING_INVALID', async () => {
    const rule = await tableRuleFromYaml('tables:\n  users:\n    columns:\n      a: text\n      b: { to: a }\n');
    expect(thrown(() => compileTable(rule, text('a', 'b'), opts)).code).toBe('MAPPING_INVALID');
  });

  test('concat naming a column the source lacks is MAPPING_UNKNOWN_COLUMN', async () => {
    const rule = await tableRuleFromYaml(
      'tables:\n  users:\n    columns:\n      a: text\n    add:\n      c: { concat: [a, zz] }\n',
    );
    expect(thrown(() => compileTable(rule, text('a'), opts)).code).toBe('MAPPING_UNKNOWN_COLUMN');
  });
});

describe('compileTable: null handling is declared and counted', () => {
  test("emptyToNull turns '' into NULL and counts it; NULL stays NULL uncounted", async () => {
    const rule = await tableRuleFromYaml(
      'tables:\n  users:\n    columns:\n      note: { type: text, emptyToNull: true }\n      plain: text\n',
    );
    const t = compileTable(rule, text('note', 'plain'), opts);
    expect(t.transformRow(['', ''], 2)).toEqual([null, '']);
    expect(t.transformRow([null, null], 3)).toEqual([null, null]);
    expect(t.transformRow(['x', 'y'], 4)).toEqual(['x', 'y']);
    expect(t.ledger.counts).toEqual({ note: { emptyToNull: 1 } });
  });

  test("nullTo gives NULL (and '' made NULL) a value, counted as nullDefaulted", async () => {
    const rule = await tableRuleFromYaml(
      "tables:\n  users:\n    columns:\n      nick: { nullTo: '-', emptyToNull: true }\n",
    );
    const t = compileTable(rule, text('nick'), opts);
    expect(t.transformRow([null], 2)).toEqual(['-']);
    expect(t.transformRow([''], 3)).toEqual(['-']);
    expect(t.transformRow(['bob'], 4)).toEqual(['bob']);
    expect(t.ledger.counts).toEqual({ nick: { nullDefaulted: 2, emptyToNull: 1 } });
  });

  test('counts are kept under the target column name', async () => {
    const rule = await tableRuleFromYaml(
      'tables:\n  users:\n    columns:\n      nick: { to: nickname, emptyToNull: true }\n',
    );
    const t = compileTable(rule, text('nick'), opts);
    t.transformRow([''], 2);
    expect(t.ledger.counts).toEqual({ nickname: { emptyToNull: 1 } });
  });
});

describe('compileTable: zero dates', () => {
  const yaml = (policy: string) =>
    `tables:\n  events:\n    columns:\n      at: { type: timestamp${policy} }\n      day: { type: date${policy} }\n`;

  test('default policy is an error: TIMESTAMP_INVALID with table, column, line, value and the rule', async () => {
    const rule = await tableRuleFromYaml(yaml(''));
    const t = compileTable(rule, text('at', 'day'), { ...opts, origin: 'events.csv' });
    const e = thrown(() => t.transformRow(['0000-00-00 00:00:00', '2024-01-01'], 7));
    expect(e.code).toBe('TIMESTAMP_INVALID');
    expect(e.context).toMatchObject({
      stage: 'transform',
      table: 'events',
      column: 'at',
      file: 'events.csv',
      csvLine: 7,
      value: '0000-00-00 00:00:00',
      row: { at: '0000-00-00 00:00:00', day: '2024-01-01' },
      mappingRule: `${rule.file}:4`,
    });
  });

  test("zeroDate: 'null' makes them NULL, counted", async () => {
    const t = compileTable(await tableRuleFromYaml(yaml(", zeroDate: 'null'")), text('at', 'day'), opts);
    expect(t.transformRow(['0000-00-00 00:00:00', '2024-00-15'], 2)).toEqual([null, null]);
    expect(t.transformRow(['2024-01-15 10:00:00', '2024-01-15'], 3)).toEqual(['2024-01-15 10:00:00', '2024-01-15']);
    expect(t.ledger.counts).toEqual({ at: { zeroDateNulled: 1 }, day: { zeroDateNulled: 1 } });
  });

  test('zeroDate: <value> replaces them, counted', async () => {
    const t = compileTable(await tableRuleFromYaml(yaml(", zeroDate: '1970-01-01'")), text('at', 'day'), opts);
    expect(t.transformRow(['0000-00-00 00:00:00', '0000-00-00'], 2)).toEqual(['1970-01-01', '1970-01-01']);
    expect(t.ledger.counts).toEqual({ at: { zeroDateReplaced: 1 }, day: { zeroDateReplaced: 1 } });
  });

  test('a real but impossible date is still an error under zeroDate: null', async () => {
    const t = compileTable(await tableRuleFromYaml(yaml(", zeroDate: 'null'")), text('at', 'day'), opts);
    const e = thrown(() => t.transformRow(['2023-02-29 00:00:00', '2024-01-01'], 9));
    expect(e.code).toBe('TIMESTAMP_INVALID');
    expect(e.context.csvLine).toBe(9);
  });
});

describe('compileTable: value transforms and their counts', () => {
  test('an enum label missing from the map is ENUM_UNMAPPED with table, column, csvLine and value', async () => {
    const rule = await tableRuleFromYaml(
      'tables:\n  identities:\n    columns:\n      state:\n        type: enum\n        map: { active: ACTIVE, inactive: INACTIVE }\n',
    );
    const t = compileTable(rule, text('state'), { ...opts, origin: 'identities.csv' });
    expect(t.transformRow(['active'], 2)).toEqual(['ACTIVE']);
    const e = thrown(() => t.transformRow(['banned'], 3));
    expect(e.code).toBe('ENUM_UNMAPPED');
    expect(e.context).toMatchObject({
      table: 'identities',
      column: 'state',
      csvLine: 3,
      value: 'banned',
      file: 'identities.csv',
    });
    expect(e.describe()).toContain('CSV line 3');
    expect(t.ledger.counts).toEqual({ state: { enumRelabelled: 1 } });
  });

  test('remap rewrites ids through a lookup after the uuid is made canonical', async () => {
    const rule = await tableRuleFromYaml(`
lookups:
  types:
    source: { table: identity_credential_types, key: id, naturalKey: name }
    target: { table: identity_credential_types, key: id, naturalKey: name }
tables:
  identity_credentials:
    columns:
      type_id: { type: uuid, remap: types }
`);
    const lookups = new Map([
      ['types', new Map([['11111111-1111-1111-1111-111111111111', '22222222-2222-2222-2222-222222222222']])],
    ]);
    const t = compileTable(rule, text('type_id'), { ...opts, lookups });
    expect(t.transformRow(['11111111-1111-1111-1111-111111111111'], 2)).toEqual([
      '22222222-2222-2222-2222-222222222222',
    ]);
    expect(t.transformRow(['33333333-3333-3333-3333-333333333333'], 3)).toEqual([
      '33333333-3333-3333-3333-333333333333',
    ]);
    expect(t.transformRow([null], 4)).toEqual([null]);
    expect(t.ledger.counts).toEqual({ type_id: { remapped: 1 } });
  });

  test('remap matches ids the way lookups are keyed (lookupKey): an upper-case uuid in a text column is remapped', async () => {
    const rule = await tableRuleFromYaml(`
lookups:
  types:
    source: { table: types, key: id, naturalKey: name }
    target: { table: types, key: id, naturalKey: name }
tables:
  creds:
    columns:
      type_id: { remap: types }
`);
    const from = 'AAAAAAAA-1111-1111-1111-111111111111';
    const lookups = new Map([['types', new Map([[lookupKey(from), '22222222-2222-2222-2222-222222222222']])]]);
    const t = compileTable(rule, text('type_id'), { ...opts, lookups });
    expect(t.transformRow([from], 2)).toEqual(['22222222-2222-2222-2222-222222222222']);
  });

  test('uuid text is lower-cased and counted only when it changed', async () => {
    const t = compileTable(await tableRuleFromYaml('tables:\n  t:\n    columns:\n      id: uuid\n'), text('id'), opts);
    expect(t.transformRow(['6CCD780C-BABA-1026-9564-5B8C656024DB'], 2)).toEqual([
      '6ccd780c-baba-1026-9564-5b8c656024db',
    ]);
    t.transformRow(['6ccd780c-baba-1026-9564-5b8c656024db'], 3);
    expect(t.ledger.counts).toEqual({ id: { uuidLowercased: 1 } });
    const e = thrown(() => t.transformRow([''], 4));
    expect(e.code).toBe('UUID_INVALID');
  });

  test('invalid: null turns bad JSON into a real NULL (not the sentinel), counted', async () => {
    const t = compileTable(
      await tableRuleFromYaml('tables:\n  t:\n    columns:\n      doc: { type: jsonb, invalid: "null" }\n'),
      text('doc'),
      opts,
    );
    expect(t.transformRow(['{"a":1}'], 2)).toEqual(['{"a":1}']);
    expect(t.transformRow(['{oops'], 3)).toEqual([null]);
    expect(t.transformRow(['{"a":"\\u0000"}'], 4)).toEqual([null]);
    expect(t.ledger.counts).toEqual({ doc: { invalidJsonNulled: 2 } });
  });

  test('trim, case and replace are counted only when they change a value', async () => {
    const rule = await tableRuleFromYaml(`
tables:
  t:
    columns:
      email: { trim: true, case: lower, replace: { pattern: '\\+[^@]*', with: '' } }
`);
    const t = compileTable(rule, text('email'), opts);
    expect(t.transformRow(['  Bob+tag@Example.com '], 2)).toEqual(['bob@example.com']);
    expect(t.transformRow(['plain@example.com'], 3)).toEqual(['plain@example.com']);
    expect(t.ledger.counts).toEqual({ email: { trimmed: 1, caseChanged: 1, replaced: 1 } });
  });

  test('timestamps are shifted to UTC from the default zone, or the column zone, and counted', async () => {
    const rule = await tableRuleFromYaml(
      'tables:\n  t:\n    columns:\n      a: timestamp\n      b: { type: timestamp, timezone: UTC }\n',
    );
    const t = compileTable(rule, text('a', 'b'), { ...opts, timezone: 'Europe/Amsterdam' });
    expect(t.transformRow(['2024-07-01 12:00:00.5', '2024-07-01 12:00:00.5'], 2)).toEqual([
      '2024-07-01 10:00:00.5',
      '2024-07-01 12:00:00.5',
    ]);
    expect(t.ledger.counts).toEqual({ a: { timezoneShifted: 1 } });
  });

  test('copy keeps hex-exported binary as bytea and rejects NUL in text', async () => {
    const t = compileTable(
      await tableRuleFromYaml('tables:\n  t:\n    columns:\n      blob: copy\n      note: copy\n'),
      [
        { name: 'blob', encoding: 'hex' },
        { name: 'note', encoding: 'text' },
      ],
      opts,
    );
    expect(t.transformRow(['\\x00ff', 'ok'], 2)).toEqual(['\\x00ff', 'ok']);
    const e = thrown(() => t.transformRow(['\\x00', 'a\u0000b'], 3));
    expect(e.code).toBe('VALUE_INVALID');
    expect(e.context.column).toBe('note');
  });

  test('a value error carries the source row, long values cut to 200 characters', async () => {
    const t = compileTable(
      await tableRuleFromYaml('tables:\n  t:\n    columns:\n      n: integer\n      big: text\n'),
      text('n', 'big'),
      opts,
    );
    const e = thrown(() => t.transformRow(['x1', 'y'.repeat(500)], 2));
    expect(e.code).toBe('VALUE_INVALID');
    expect(e.context.row!.big).toHaveLength(201);
    expect(e.context.value).toBe('x1');
  });
});

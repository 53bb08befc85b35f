import type { ChangeCounts, ChangeKind } from '../../src/transform/change-ledger';
import { compileTable, SourceColumn } from '../../src/transform/compile-table';
import { mapRows } from '../../src/transform/map-rows';
import { TRANSFORM_TYPES, TransformType } from '../../src/mapping/mapping-schema';
import { tableRuleFromYaml } from '../fixtures/unit/mapping-rule';

/**
 * The change ledger counts every value any rule changes, per column and kind: each kind below
 * is reached by its rule on a few rows, and the count must be exactly the number of values it
 * changed (not the rows read, not zero). A kind added to ChangeKind without a case here fails
 * to compile (the Record is total).
 */
interface Case {
  yaml: string;
  columns: string[];
  rows: Array<Array<string | null>>;
  expected: ChangeCounts;
  lookups?: Map<string, Map<string, string>>;
  existing?: string[];
}

const table = (cols: string, extra = '') => `tables:\n  t:\n    columns:\n${cols}${extra}`;

const CASES: Record<ChangeKind, Case> = {
  emptyToNull: {
    yaml: table('      a: { type: text, emptyToNull: true }\n'),
    columns: ['a'],
    rows: [[''], ['x'], [null], ['']],
    expected: { a: { emptyToNull: 2 } },
  },
  nullDefaulted: {
    yaml: table("      a: { type: text, nullTo: 'none' }\n"),
    columns: ['a'],
    rows: [[null], ['x'], [null], [null]],
    expected: { a: { nullDefaulted: 3 } },
  },
  zeroDateNulled: {
    yaml: table('      d: { type: timestamp, zeroDate: null }\n'),
    columns: ['d'],
    rows: [['0000-00-00 00:00:00'], ['2024-01-02 03:04:05'], ['2024-00-10 00:00:00']],
    expected: { d: { zeroDateNulled: 2 } },
  },
  zeroDateReplaced: {
    yaml: table("      d: { type: date, zeroDate: '1970-01-01' }\n"),
    columns: ['d'],
    rows: [['0000-00-00'], ['2024-01-02']],
    expected: { d: { zeroDateReplaced: 1 } },
  },
  invalidJsonNulled: {
    yaml: table('      j: { type: jsonb, invalid: null }\n'),
    columns: ['j'],
    rows: [['{"a":1}'], ['{nope'], ['"\\u0000"'], ['[]']],
    expected: { j: { invalidJsonNulled: 2 } },
  },
  trimmed: {
    yaml: table('      a: { type: text, trim: true }\n'),
    columns: ['a'],
    rows: [[' x'], ['y'], ['z\t']],
    expected: { a: { trimmed: 2 } },
  },
  caseChanged: {
    yaml: table('      a: { type: text, case: lower }\n'),
    columns: ['a'],
    rows: [['Abc'], ['abc'], ['ABC']],
    expected: { a: { caseChanged: 2 } },
  },
  replaced: {
    yaml: table("      a: { type: text, replace: { pattern: '\\x00', with: '' } }\n"),
    columns: ['a'],
    rows: [['a\u0000b'], ['ab'], ['\u0000']],
    expected: { a: { replaced: 2 } },
  },
  remapped: {
    yaml:
      'lookups:\n  ids:\n    source: { table: p, key: id, naturalKey: n }\n    target: { table: p, key: id, naturalKey: n }\n' +
      table('      a: { type: integer, remap: ids }\n'),
    columns: ['a'],
    rows: [['1'], ['2'], ['3']],
    lookups: new Map([
      [
        'ids',
        new Map([
          ['1', '10'],
          ['3', '3'],
        ]),
      ],
    ]),
    expected: { a: { remapped: 1 } },
  },
  enumRelabelled: {
    yaml: table('      e: { type: enum, map: { a: A, b: b } }\n'),
    columns: ['e'],
    rows: [['a'], ['b'], ['a']],
    expected: { e: { enumRelabelled: 2 } },
  },
  uuidLowercased: {
    yaml: table('      u: uuid\n'),
    columns: ['u'],
    rows: [['6CCD780C-BABA-1026-9564-5B8C656024DB'], ['6ccd780c-baba-1026-9564-5b8c656024db']],
    expected: { u: { uuidLowercased: 1 } },
  },
  booleanRespelled: {
    yaml: table("      b: { type: boolean, trueValues: ['1', '2', '-1'], falseValues: ['0', 'off'] }\n"),
    columns: ['b'],
    rows: [['1'], ['2'], ['-1'], ['0'], ['off'], [null]],
    expected: { b: { booleanRespelled: 3 } },
  },
  timezoneShifted: {
    yaml: table('      d: { type: timestamp, timezone: Europe/Amsterdam }\n'),
    columns: ['d'],
    rows: [['2024-01-02 03:04:05'], ['2024-07-02 03:04:05']],
    expected: { d: { timezoneShifted: 2 } },
  },
  duplicateDropped: {
    yaml: table('      k: integer\n', '    unique:\n      - { columns: [k], policy: keep-first }\n'),
    columns: ['k'],
    rows: [['1'], ['1'], ['2'], ['1']],
    expected: { k: { duplicateDropped: 2 } },
  },
  existingSkipped: {
    yaml: table('      k: integer\n', '    existing: { key: [k], policy: skip }\n'),
    columns: ['k'],
    rows: [['1'], ['2'], ['3']],
    existing: ['["2"]', '["3"]'],
    expected: { k: { existingSkipped: 2 } },
  },
  existingReplaced: {
    yaml: table('      k: integer\n', '    existing: { key: [k], policy: replace }\n'),
    columns: ['k'],
    rows: [['1'], ['2'], ['3'], ['4']],
    existing: ['["2"]', '["4"]', '["9"]'],
    expected: { k: { existingReplaced: 2 } },
  },
  columnDropped: {
    yaml: table('      k: integer\n', '    drop: [gone]\n'),
    columns: ['k', 'gone'],
    rows: [['1', 'x']],
    expected: { gone: { columnDropped: 0 } },
  },
  nullRowDropped: {
    yaml: table('      k: integer\n      a: text\n', '    dropRowsWithNull: [a]\n'),
    columns: ['k', 'a'],
    rows: [
      ['1', null],
      ['2', 'x'],
      ['3', null],
    ],
    expected: { a: { nullRowDropped: 2 } },
  },
};

async function ledgerOf(c: Case): Promise<{ counts: ChangeCounts; rows: number; kept: string[] }> {
  const rule = await tableRuleFromYaml(c.yaml);
  const cols: SourceColumn[] = c.columns.map((name) => ({ name, encoding: 'text' }));
  const compiled = compileTable(rule, cols, { timezone: 'UTC', lookups: c.lookups ?? new Map(), origin: 't.csv' });
  const batches = async function* () {
    yield c.rows.map((fields, i) => ({ fields, line: i + 2 }));
  };
  let rows = 0;
  const kept: string[] = [];
  for await (const b of mapRows(compiled, rule, batches, {
    origin: 't.csv',
    existing: c.existing && new Set(c.existing),
  })) {
    rows += b.length;
    for (const r of b) kept.push(`${r.fields[0]}:${r.fields[1] ?? ''}`);
  }
  return { counts: compiled.ledger.counts, rows, kept };
}

/**
 * Every row policy, walked: what the ledger counts must be exactly the rows the policy dropped
 * (rows out = rows in − dropped) or, for replace, the rows it keeps that replace a target row.
 */
interface PolicyCase extends Case {
  /** The rows mapRows yields, by their first field. */
  kept: string[];
}
const ROWS = [
  ['1', 'a', '5'],
  ['2', 'b', '1'],
  ['1', 'c', '9'],
  ['3', null, '2'],
  ['2', 'd', '0'],
];
const POLICIES: Record<string, PolicyCase> = {
  'unique keep-first': {
    yaml: table(
      '      k: integer\n      a: text\n      v: integer\n',
      '    unique:\n      - { columns: [k], policy: keep-first }\n',
    ),
    columns: ['k', 'a', 'v'],
    rows: ROWS,
    expected: { k: { duplicateDropped: 2 } },
    kept: ['1:a', '2:b', '3:'],
  },
  'unique keep-newest': {
    yaml: table(
      '      k: integer\n      a: text\n      v: integer\n',
      '    unique:\n      - { columns: [k], policy: keep-newest, newest: v }\n',
    ),
    columns: ['k', 'a', 'v'],
    rows: ROWS,
    expected: { k: { duplicateDropped: 2 } },
    kept: ['2:b', '1:c', '3:'],
  },
  dropRowsWithNull: {
    yaml: table('      k: integer\n      a: text\n      v: integer\n', '    dropRowsWithNull: [a]\n'),
    columns: ['k', 'a', 'v'],
    rows: ROWS,
    expected: { a: { nullRowDropped: 1 } },
    kept: ['1:a', '2:b', '1:c', '2:d'],
  },
  'existing skip': {
    yaml: table('      k: integer\n      a: text\n      v: integer\n', '    existing: { key: [k, a], policy: skip }\n'),
    columns: ['k', 'a', 'v'],
    rows: ROWS,
    existing: ['["1","c"]', '["2","d"]', '["7","x"]'],
    expected: { 'k+a': { existingSkipped: 2 } },
    kept: ['1:a', '2:b', '3:'],
  },
  'existing replace': {
    yaml: table(
      '      k: integer\n      a: text\n      v: integer\n',
      '    existing: { key: [k, a], policy: replace }\n',
    ),
    columns: ['k', 'a', 'v'],
    rows: ROWS,
    existing: ['["1","c"]', '["2","d"]', '["7","x"]'],
    expected: { 'k+a': { existingReplaced: 2 } },
    kept: ['1:a', '2:b', '1:c', '3:', '2:d'],
  },
  'existing fail, no key held': {
    yaml: table('      k: integer\n      a: text\n      v: integer\n', '    existing: { key: [k, a], policy: fail }\n'),
    columns: ['k', 'a', 'v'],
    rows: ROWS,
    existing: ['["7","x"]'],
    expected: {},
    kept: ['1:a', '2:b', '1:c', '3:', '2:d'],
  },
  'unique keep-first, then existing skip on the rows it kept, then dropRowsWithNull first of all': {
    yaml: table(
      '      k: integer\n      a: text\n      v: integer\n',
      '    unique:\n      - { columns: [k], policy: keep-first }\n    existing: { key: [k], policy: skip }\n    dropRowsWithNull: [a]\n',
    ),
    columns: ['k', 'a', 'v'],
    rows: ROWS,
    existing: ['["2"]'],
    expected: { a: { nullRowDropped: 1 }, k: { duplicateDropped: 2, existingSkipped: 1 } },
    kept: ['1:a'],
  },
};

describe('every row policy: the ledger counts exactly the rows it dropped or replaced', () => {
  test.each(Object.entries(POLICIES))('%s', async (_what, c) => {
    const r = await ledgerOf(c);
    expect(r.counts).toEqual(c.expected);
    expect(r.kept).toEqual(c.kept);
    const dropped = Object.values(r.counts).reduce(
      (n, k) => n + (k.duplicateDropped ?? 0) + (k.existingSkipped ?? 0) + (k.nullRowDropped ?? 0),
      0,
    );
    expect(r.rows).toBe(c.rows.length - dropped);
  });

  test('existing fail: a key the target holds stops the table, in the words map check --probe gives', async () => {
    const c = { ...POLICIES['existing fail, no key held'], existing: ['["2","d"]'] };
    await expect(ledgerOf(c)).rejects.toMatchObject({
      code: 'DUPLICATE_ROW',
      message: expect.stringContaining(
        'key (k, a) = (2, d) is already in target table t, and the existing policy is fail: declare existing: { key: [k, a], policy: skip }',
      ),
    });
  });

  test('unique fail: a repeated key stops the table, naming every key column and the values', async () => {
    const c = {
      ...POLICIES['unique keep-first'],
      yaml: table(
        '      k: integer\n      a: text\n      v: integer\n',
        '    unique:\n      - { columns: [k, v], policy: fail }\n',
      ),
      rows: [
        ['1', 'a', '5'],
        ['1', 'b', '5'],
      ],
    };
    await expect(ledgerOf(c)).rejects.toMatchObject({
      code: 'DUPLICATE_ROW',
      message: expect.stringContaining('key (k, v) = (1, 5) repeats (the first at line 2)'),
    });
  });
});

describe('the change ledger counts every value a rule changes, per column and kind', () => {
  test.each(Object.entries(CASES))('%s', async (_kind, c) => {
    expect((await ledgerOf(c)).counts).toEqual(c.expected);
  });

  test('nullTo after zeroDate: null and after invalid: null is counted as well', async () => {
    const r = await ledgerOf({
      yaml: table(
        "      d: { type: timestamp, zeroDate: null, nullTo: '1970-01-01 00:00:00' }\n      j: { type: json, invalid: null, nullTo: '{}' }\n",
      ),
      columns: ['d', 'j'],
      rows: [['0000-00-00 00:00:00', '{x']],
      expected: {},
    });
    expect(r.counts).toEqual({
      d: { zeroDateNulled: 1, nullDefaulted: 1 },
      j: { invalidJsonNulled: 1, nullDefaulted: 1 },
    });
  });

  // Each transform type on a value it keeps as it is: nothing is counted, so a count above means a change.
  const SAME: Record<TransformType, [string, string]> = {
    copy: ['copy', 'x'],
    text: ['text', 'x'],
    uuid: ['uuid', '6ccd780c-baba-1026-9564-5b8c656024db'],
    boolean: ['boolean', '1'],
    enum: ['{ type: enum, map: { a: a } }', 'a'],
    set: ['set', 'a,b'],
    timestamp: ['timestamp', '2024-01-02 03:04:05'],
    date: ['date', '2024-01-02'],
    time: ['time', '12:00:00'],
    year: ['year', '2024'],
    json: ['json', '{"a":1}'],
    jsonb: ['jsonb', '{"a":1}'],
    integer: ['integer', '42'],
    numeric: ['numeric', '4.2'],
    float: ['float', '4.2'],
    bytea: ['bytea', 'ab'],
    'simple-array': ['simple-array', 'a,b'],
    'simple-json': ['simple-json', '{}'],
    'latin1-bytes': ['latin1-bytes', 'ab'],
    'latin1-base64': ['latin1-base64', 'ab'],
    'json-array': ['json-array', '[1,2]'],
  };
  test.each(TRANSFORM_TYPES.map((t) => [t]))('%s counts nothing on a value no rule changes', async (t) => {
    const [spec, value] = SAME[t];
    const r = await ledgerOf({ yaml: table(`      a: ${spec}\n`), columns: ['a'], rows: [[value]], expected: {} });
    expect(r).toMatchObject({ counts: {}, rows: 1 });
  });
});

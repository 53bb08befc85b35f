import { ConvergeError } from '../../src/core/errors';
import type { CsvRecord } from '../../src/csv/csv-decode';
import type { TableRule } from '../../src/mapping/load-mapping';
import { compileTable, SourceColumn } from '../../src/transform/compile-table';
import { mapRows, MappedRow, RowBatches, RowPolicyOptions } from '../../src/transform/map-rows';
import { tableRuleFromYaml } from '../fixtures/unit/mapping-rule';

const text = (...names: string[]): SourceColumn[] => names.map((name) => ({ name, encoding: 'text' }));

/** Rows as the CSV reader would give them: lines start at 2 (after the header), batches of `size`. */
function batchesOf(rows: Array<Array<string | null>>, size = 2): { factory: RowBatches; passes: () => number } {
  const records: CsvRecord[] = rows.map((fields, i) => ({ fields, line: i + 2 }));
  let passes = 0;
  const factory: RowBatches = () => {
    passes++;
    return (async function* () {
      for (let i = 0; i < records.length; i += size) yield records.slice(i, i + size);
    })();
  };
  return { factory, passes: () => passes };
}

async function run(
  rule: TableRule,
  columns: SourceColumn[],
  rows: Array<Array<string | null>>,
  opts: Partial<RowPolicyOptions> = {},
) {
  const table = compileTable(rule, columns, { timezone: 'UTC', lookups: new Map(), origin: 'src.csv' });
  const out: MappedRow[] = [];
  for await (const batch of mapRows(table, rule, batchesOf(rows).factory, { origin: 'src.csv', ...opts }))
    out.push(...batch);
  return { out, lines: out.map((r) => r.line), fields: out.map((r) => r.fields), counts: table.ledger.counts };
}

async function runError(
  rule: TableRule,
  columns: SourceColumn[],
  rows: Array<Array<string | null>>,
  opts: Partial<RowPolicyOptions> = {},
): Promise<ConvergeError> {
  try {
    await run(rule, columns, rows, opts);
  } catch (e) {
    expect(e).toBeInstanceOf(ConvergeError);
    return e as ConvergeError;
  }
  throw new Error('expected a ConvergeError, all rows mapped');
}

const sessions = (policy: string, extra = '') => `
tables:
  sessions:
    columns:
      id: integer
      nid: text
      email: { type: text, emptyToNull: true }
      updated_at: timestamp
    unique:
      - columns: [nid, email]
        policy: ${policy}${extra}
`;
const cols = text('id', 'nid', 'email', 'updated_at');

describe('mapRows: unique indexes only the target enforces', () => {
  const rows = [
    ['1', 'n1', 'a@x', '2024-01-01 00:00:00'],
    ['2', 'n1', 'b@x', '2024-01-01 00:00:00'],
    ['3', 'n1', 'a@x', '2024-03-01 00:00:00'],
    ['4', 'n1', 'a@x', '2024-02-01 00:00:00'],
  ];

  test('without a policy every row passes through, in order, with its line', async () => {
    const r = await run(
      await tableRuleFromYaml(
        'tables:\n  sessions:\n    columns: { id: integer, nid: text, email: text, updated_at: timestamp }\n',
      ),
      cols,
      rows,
    );
    expect(r.lines).toEqual([2, 3, 4, 5]);
    expect(r.fields[0]).toEqual(['1', 'n1', 'a@x', '2024-01-01 00:00:00']);
  });

  test("fail: DUPLICATE_ROW at the duplicate's line, naming the first", async () => {
    const e = await runError(await tableRuleFromYaml(sessions('fail')), cols, rows);
    expect(e.code).toBe('DUPLICATE_ROW');
    expect(e.context).toMatchObject({ table: 'sessions', csvLine: 4, file: 'src.csv', column: 'nid' });
    expect(e.message).toContain('line 2');
  });

  test('keep-first: the first row of each key wins, the rest are counted', async () => {
    const r = await run(await tableRuleFromYaml(sessions('keep-first')), cols, rows);
    expect(r.fields.map((f) => f[0])).toEqual(['1', '2']);
    expect(r.counts['nid+email']).toEqual({ duplicateDropped: 2 });
  });

  test('keep-newest: the greatest newest value wins wherever it is', async () => {
    const r = await run(await tableRuleFromYaml(sessions('keep-newest', '\n        newest: updated_at')), cols, rows);
    expect(r.fields.map((f) => f[0])).toEqual(['2', '3']);
    expect(r.counts['nid+email']).toEqual({ duplicateDropped: 2 });
  });

  test('keep-newest: on a tie the first row wins', async () => {
    const tie = [
      ['1', 'n1', 'a@x', '2024-01-01 00:00:00'],
      ['2', 'n1', 'a@x', '2024-01-01 00:00:00'],
    ];
    const r = await run(await tableRuleFromYaml(sessions('keep-newest', '\n        newest: updated_at')), cols, tie);
    expect(r.fields.map((f) => f[0])).toEqual(['1']);
  });

  test('keep-newest: a row with a NULL newest value loses to one with a value', async () => {
    const withNull = [
      ['1', 'n1', 'a@x', '2024-01-01 00:00:00'],
      ['2', 'n1', 'a@x', null],
    ];
    const r = await run(
      await tableRuleFromYaml(sessions('keep-newest', '\n        newest: updated_at')),
      cols,
      withNull,
    );
    expect(r.fields.map((f) => f[0])).toEqual(['1']);
  });

  test('keep-newest compares numbers as numbers: version 10 is newer than version 9', async () => {
    const rule = await tableRuleFromYaml(`
tables:
  docs:
    columns:
      id: integer
      slug: text
      version: integer
    unique:
      - columns: [slug]
        policy: keep-newest
        newest: version
`);
    const r = await run(rule, text('id', 'slug', 'version'), [
      ['1', 'home', '9'],
      ['2', 'home', '10'],
    ]);
    expect(r.fields.map((f) => f[0])).toEqual(['2']);
  });

  test('keep-newest reads the rows twice but counts each change once', async () => {
    const rowsWithEmpty = [
      ['1', 'n1', '', '2024-01-01 00:00:00'],
      ['2', 'n2', 'a@x', '2024-01-01 00:00:00'],
      ['3', 'n2', 'a@x', '2024-05-01 00:00:00'],
    ];
    const rule = await tableRuleFromYaml(sessions('keep-newest', '\n        newest: updated_at'));
    const table = compileTable(rule, cols, { timezone: 'UTC', lookups: new Map(), origin: 'src.csv' });
    const source = batchesOf(rowsWithEmpty);
    const out: MappedRow[] = [];
    for await (const b of mapRows(table, rule, source.factory, { origin: 'src.csv' })) out.push(...b);
    expect(source.passes()).toBe(2);
    expect(out.map((r) => r.fields[0])).toEqual(['1', '3']);
    expect(table.ledger.counts).toEqual({ email: { emptyToNull: 1 }, 'nid+email': { duplicateDropped: 1 } });
  });

  test('NULL key parts never conflict (Postgres unique indexes treat NULLs as distinct)', async () => {
    const nullKeys = [
      ['1', 'n1', '', '2024-01-01 00:00:00'],
      ['2', 'n1', '', '2024-01-01 00:00:00'],
      ['3', 'n1', null, '2024-01-01 00:00:00'],
    ];
    for (const policy of ['fail', 'keep-first', 'keep-newest\n        newest: updated_at']) {
      const r = await run(await tableRuleFromYaml(sessions(policy)), cols, nullKeys);
      expect({ policy, ids: r.fields.map((f) => f[0]) }).toEqual({ policy, ids: ['1', '2', '3'] });
    }
  });

  test("'' and NULL are different key values when emptyToNull is not declared", async () => {
    const rule = await tableRuleFromYaml(
      'tables:\n  t:\n    columns:\n      k: text\n    unique:\n      - columns: [k]\n        policy: fail\n',
    );
    const r = await run(rule, text('k'), [[''], [null], [null]]);
    expect(r.fields).toEqual([[''], [null], [null]]);
    expect((await runError(rule, text('k'), [[''], ['']])).context.csvLine).toBe(3);
  });

  test('a unique policy on a column that is not a target column is MAPPING_UNKNOWN_COLUMN', async () => {
    const rule = await tableRuleFromYaml(
      'tables:\n  t:\n    columns:\n      k: { to: key }\n    unique:\n      - columns: [k]\n        policy: fail\n',
    );
    expect((await runError(rule, text('k'), [['a']])).code).toBe('MAPPING_UNKNOWN_COLUMN');
  });
});

describe('mapRows: rows the target already holds', () => {
  const rule = (policy: string) =>
    tableRuleFromYaml(
      `tables:\n  types:\n    columns:\n      id: integer\n      name: text\n    existing: { key: [name], policy: ${policy} }\n`,
    );
  const rows = [
    ['1', 'password'],
    ['2', 'oidc'],
    ['3', 'totp'],
  ];
  const existing = new Set([JSON.stringify(['oidc'])]);

  test('skip drops them, counted under the key', async () => {
    const r = await run(await rule('skip'), text('id', 'name'), rows, { existing });
    expect(r.fields.map((f) => f[0])).toEqual(['1', '3']);
    expect(r.counts).toEqual({ name: { existingSkipped: 1 } });
  });

  test("fail is DUPLICATE_ROW at the row's line", async () => {
    const e = await runError(await rule('fail'), text('id', 'name'), rows, { existing });
    expect(e.code).toBe('DUPLICATE_ROW');
    expect(e.context.csvLine).toBe(3);
  });

  test('replace keeps them for the loader to replace', async () => {
    const r = await run(await rule('replace'), text('id', 'name'), rows, { existing });
    expect(r.fields.map((f) => f[0])).toEqual(['1', '2', '3']);
  });

  test('applyExisting (verification) keeps every row, even under fail', async () => {
    const r = await run(await rule('fail'), text('id', 'name'), rows, { existing, applyExisting: true });
    expect(r.fields).toHaveLength(3);
  });
});

describe('mapRows: dropRowsWithNull', () => {
  const yaml = (extra = '') => `
tables:
  addresses:
    columns:
      id: integer
      identifier: { type: text, emptyToNull: true }
      seen: timestamp
    dropRowsWithNull: [identifier]${extra}
`;

  test("rows with NULL (also NULL made from '') in the listed columns are dropped, counted as nullRowDropped", async () => {
    const r = await run(await tableRuleFromYaml(yaml()), text('id', 'identifier', 'seen'), [
      ['1', 'a@x', '2024-01-01 00:00:00'],
      ['2', null, '2024-01-01 00:00:00'],
      ['3', '', '2024-01-01 00:00:00'],
    ]);
    expect(r.lines).toEqual([2]);
    expect(r.counts).toEqual({ identifier: { nullRowDropped: 2, emptyToNull: 1 } });
  });

  test('a dropped row cannot win keep-newest, and nothing is counted twice', async () => {
    const extra = '\n    unique:\n      - columns: [id]\n        policy: keep-newest\n        newest: seen';
    const r = await run(await tableRuleFromYaml(yaml(extra)), text('id', 'identifier', 'seen'), [
      ['1', 'a@x', '2024-01-01 00:00:00'],
      ['1', null, '2024-09-01 00:00:00'],
    ]);
    expect(r.lines).toEqual([2]);
    expect(r.counts).toEqual({ identifier: { nullRowDropped: 1 } });
  });

  test('a listed column that is not a target column is MAPPING_UNKNOWN_COLUMN', async () => {
    const rule = await tableRuleFromYaml('tables:\n  t:\n    columns:\n      a: text\n    dropRowsWithNull: [b]\n');
    expect((await runError(rule, text('a'), [['x']])).code).toBe('MAPPING_UNKNOWN_COLUMN');
  });
});

describe('mapRows: errors from value transforms keep their line', () => {
  test('a bad value in the third row reports line 4, whatever the batch size', async () => {
    const rule = await tableRuleFromYaml('tables:\n  t:\n    columns:\n      n: integer\n');
    const e = await runError(rule, text('n'), [['1'], ['2'], ['x'], ['4']]);
    expect(e.code).toBe('VALUE_INVALID');
    expect(e.context).toMatchObject({ csvLine: 4, column: 'n', table: 't' });
  });
});

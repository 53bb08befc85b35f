import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { encodeRecord } from '../../src/csv/csv-encode';
import { parseCopyContext, parseKeyDetail, rowAtLine, rowWithValues } from '../../src/target/postgres/load/locate-row';

describe('parseCopyContext', () => {
  test.each([
    ['COPY identities, line 4, column traits: "{bad"', { line: 4, column: 'traits' }],
    ['COPY identities, line 12', { line: 12, column: undefined }],
    ['COPY sessions, line 3: "1,2,3"', { line: 3, column: undefined }],
    ['PL/pgSQL function f() line 2\nCOPY t, line 7, column id: "x"', { line: 7, column: 'id' }],
  ])('%j', (where, out) => {
    expect(parseCopyContext(where)).toEqual(out);
  });

  test('anything else gives nothing', () => {
    expect(parseCopyContext(undefined)).toEqual({});
    expect(parseCopyContext('SQL statement "SELECT 1"')).toEqual({});
  });
});

describe('parseKeyDetail', () => {
  test('unique violation on one column', () => {
    expect(parseKeyDetail('Key (id)=(42) already exists.')).toEqual({ id: '42' });
  });

  test('foreign key violation on two columns', () => {
    expect(parseKeyDetail('Key (nid, identity_id)=(a1, b2) is not present in table "identities".')).toEqual({
      nid: 'a1',
      identity_id: 'b2',
    });
  });

  test('quoted column names are unquoted', () => {
    expect(parseKeyDetail('Key ("Mixed Case")=(x) already exists.')).toEqual({ 'Mixed Case': 'x' });
  });

  test('a single-column value containing ", " is kept whole', () => {
    expect(parseKeyDetail('Key (name)=(Smith, John) already exists.')).toEqual({ name: 'Smith, John' });
  });

  test('a multi-column key whose values contain ", " is ambiguous: nothing', () => {
    expect(parseKeyDetail('Key (a, b)=(x, y, z) already exists.')).toBeUndefined();
  });

  test('other details give nothing', () => {
    expect(parseKeyDetail(undefined)).toBeUndefined();
    expect(parseKeyDetail('Failing row contains (1, null).')).toBeUndefined();
  });
});

describe('rowAtLine and rowWithValues', () => {
  let dir: string;
  let file: string;

  // Physical lines: 1 header; 2 row a; 3-5 row b (two embedded newlines); 6 row c; 7-8 row d.
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'converge-locate-'));
    file = path.join(dir, 'identities.csv');
    const rows: Array<Array<string | null>> = [
      ['id', 'traits'],
      ['a', '{}'],
      ['b', '{"bio":"line1\nline2\nline3"}'],
      ['c', null],
      ['D-UPPER', 'x\r\ny'],
    ];
    writeFileSync(file, rows.map(encodeRecord).join(''));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('a single-line record is found at its own line', async () => {
    expect(await rowAtLine(file, 2)).toEqual({ csvLine: 2, row: { id: 'a', traits: '{}' } });
    expect(await rowAtLine(file, 6)).toEqual({ csvLine: 6, row: { id: 'c', traits: null } });
  });

  test('Postgres reports the LAST physical line of a multi-line record: that record is returned', async () => {
    const b = { csvLine: 3, row: { id: 'b', traits: '{"bio":"line1\nline2\nline3"}' } };
    expect(await rowAtLine(file, 5)).toEqual(b);
    expect(await rowAtLine(file, 4)).toEqual(b);
    expect(await rowAtLine(file, 3)).toEqual(b);
  });

  test('a CRLF inside quotes counts as one line', async () => {
    expect(await rowAtLine(file, 8)).toEqual({ csvLine: 7, row: { id: 'D-UPPER', traits: 'x\r\ny' } });
  });

  test('the header line is no record', async () => {
    expect(await rowAtLine(file, 1)).toBeUndefined();
  });

  test('rowWithValues finds the first record by key, case-insensitively (ids from error details)', async () => {
    expect(await rowWithValues(file, { id: 'd-upper' })).toEqual({
      csvLine: 7,
      row: { id: 'D-UPPER', traits: 'x\r\ny' },
    });
    expect(await rowWithValues(file, { id: 'zzz' })).toBeUndefined();
    expect(await rowWithValues(file, { nope: 'a' })).toBeUndefined();
  });
});

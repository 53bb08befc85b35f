import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { ConvergeError } from '../../src/core/errors';
import { CsvDecoder, CsvRecord } from '../../src/csv/csv-decode';
import { bytesToHexField, encodeField, encodeRecord } from '../../src/csv/csv-encode';
import { readCsvRecords } from '../../src/csv/read-csv';
import { createPrng } from '../../fixtures/demo/generic-prng';

/** Seeded PRNG so a failing round trip can be replayed from its seed. */
function prng(seed: number): () => number {
  const p = createPrng(seed);
  return () => p.next();
}

// The values that have broken CSV round trips before: NULL vs '' vs the texts that look like NULL.
const TRICKY: Array<string | null> = [
  null,
  '',
  'NULL',
  '\\N',
  '"',
  '""',
  ',',
  ',,',
  '\n',
  '\r\n',
  '\r',
  'a\nb',
  'x\r\ny',
  ' ',
  ' padded ',
  '😀',
  'zwölf 😀 ünïcødé',
  '\\.',
  '\\x00ff',
  'say "hi", then\nleave',
  '"quoted"',
  'tab\there',
  '\u00a0',
];

function randomField(rnd: () => number): string | null {
  const r = rnd();
  if (r < 0.45) return TRICKY[Math.floor(rnd() * TRICKY.length)];
  if (r < 0.5) return 'L'.repeat(5000 + Math.floor(rnd() * 5000)) + '"\n,' + '😀'.repeat(100);
  const alphabet = ['a', 'b', 'Z', '0', ' ', ',', '"', '\n', '\r\n', '😀', 'é', '\\', 'N'];
  let s = '';
  const len = Math.floor(rnd() * 12);
  for (let i = 0; i < len; i++) s += alphabet[Math.floor(rnd() * alphabet.length)];
  return s;
}

function randomRecords(rnd: () => number): Array<Array<string | null>> {
  const width = 1 + Math.floor(rnd() * 5);
  const n = 1 + Math.floor(rnd() * 30);
  return Array.from({ length: n }, () => Array.from({ length: width }, () => randomField(rnd)));
}

/** Feeds text to a decoder in chunks of random size (1 char up to 64). */
function decodeInChunks(text: string, rnd: () => number): CsvRecord[] {
  const d = new CsvDecoder('mem.csv');
  const out: CsvRecord[] = [];
  let i = 0;
  while (i < text.length) {
    const size = 1 + Math.floor(rnd() * (rnd() < 0.3 ? 3 : 64));
    d.push(text.slice(i, i + size), (r) => out.push(r));
    i += size;
  }
  d.end((r) => out.push(r));
  return out;
}

function decodeAll(text: string): CsvRecord[] {
  const d = new CsvDecoder('mem.csv');
  const out: CsvRecord[] = [];
  d.push(text, (r) => out.push(r));
  d.end((r) => out.push(r));
  return out;
}

/** csv-parse as the reference parser, with our one dialect rule: unquoted empty is NULL. */
function referenceParse(text: string): Array<Array<string | null>> {
  return parse(text, {
    record_delimiter: '\n',
    relax_column_count: true,
    cast: (value: string, context: { quoting: boolean }) => (value === '' && !context.quoting ? null : value),
  }) as Array<Array<string | null>>;
}

function expectedStartLines(records: Array<Array<string | null>>): number[] {
  const lines: number[] = [];
  let line = 1;
  for (const r of records) {
    lines.push(line);
    line += encodeRecord(r).split('\n').length - 1;
  }
  return lines;
}

function csvError(fn: () => unknown): ConvergeError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ConvergeError);
    return e as ConvergeError;
  }
  throw new Error('expected a ConvergeError, nothing was thrown');
}

describe('encodeField', () => {
  test.each<[string | null, string]>([
    [null, ''],
    ['', '""'],
    ['NULL', 'NULL'],
    ['\\N', '\\N'],
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['crlf\r\n', '"crlf\r\n"'],
    ['bare\rcr', '"bare\rcr"'],
    ['\\.', '"\\."'],
    ['😀', '😀'],
  ])('%j → %j', (v, out) => {
    expect(encodeField(v)).toBe(out);
  });

  test('encodeRecord joins with commas and ends with \\n; NULL and empty never merge', () => {
    expect(encodeRecord([null, '', 'x'])).toBe(',"",x\n');
    expect(encodeRecord([null])).toBe('\n');
    expect(encodeRecord([''])).toBe('""\n');
  });

  test('bytesToHexField writes bytea input form in lower case', () => {
    expect(bytesToHexField(Buffer.from([0x00, 0xab, 0xff]))).toBe('\\x00abff');
    expect(bytesToHexField(Buffer.alloc(0))).toBe('\\x');
  });
});

describe('CsvDecoder round trip (property test over seeded random records)', () => {
  const seeds = Array.from({ length: 200 }, (_, i) => i + 1);

  // One test per property, looping over seeds; the seed is part of the compared value so a
  // failure names the case to replay.
  test('fields and start lines survive random chunking (200 seeds)', () => {
    for (const seed of seeds) {
      const rnd = prng(seed);
      const records = randomRecords(rnd);
      const text = records.map(encodeRecord).join('');
      const decoded = decodeInChunks(text, rnd);
      expect({ seed, fields: decoded.map((r) => r.fields) }).toEqual({ seed, fields: records });
      expect({ seed, lines: decoded.map((r) => r.line) }).toEqual({ seed, lines: expectedStartLines(records) });
    }
  });

  test('agrees with csv-parse on the same text (200 seeds)', () => {
    for (const seed of seeds) {
      const rnd = prng(seed * 7919);
      const text = randomRecords(rnd).map(encodeRecord).join('');
      expect({ seed, fields: decodeAll(text).map((r) => r.fields) }).toEqual({ seed, fields: referenceParse(text) });
    }
  });

  test('every tricky value alone in a record, split at every offset', () => {
    for (const v of TRICKY) {
      const text = encodeRecord([v, 'tail']) + encodeRecord(['head', v]);
      for (let cut = 0; cut <= text.length; cut++) {
        const d = new CsvDecoder('mem.csv');
        const out: CsvRecord[] = [];
        d.push(text.slice(0, cut), (r) => out.push(r));
        d.push(text.slice(cut), (r) => out.push(r));
        d.end((r) => out.push(r));
        expect(out.map((r) => r.fields)).toEqual([
          [v, 'tail'],
          ['head', v],
        ]);
      }
    }
  });

  test("a record with embedded newlines pushes the next record's start line down", () => {
    const text = 'id,body\n1,"a\nb\r\nc"\n2,x\n';
    expect(decodeAll(text).map((r) => [r.line, r.fields])).toEqual([
      [1, ['id', 'body']],
      [2, ['1', 'a\nb\r\nc']],
      [5, ['2', 'x']],
    ]);
  });

  test('values with many doubled quotes (JSON) decode intact and agree with csv-parse, split at every offset', () => {
    const json = JSON.stringify({ a: 'say "hi"', b: [1, '""', { c: '\n' }], d: '😀,"' });
    const text = encodeRecord(['1', json, 'x']) + encodeRecord([json, '', null]) + encodeRecord(['"', '""', 'e"']);
    const expected = referenceParse(text);
    expect(expected[0][1]).toBe(json);
    for (let cut = 0; cut <= text.length; cut++) {
      const d = new CsvDecoder('mem.csv');
      const out: CsvRecord[] = [];
      d.push(text.slice(0, cut), (r) => out.push(r));
      d.push(text.slice(cut), (r) => out.push(r));
      d.end((r) => out.push(r));
      expect({ cut, fields: out.map((r) => r.fields) }).toEqual({ cut, fields: expected });
    }
  });

  test('NULL, empty string and the texts NULL and \\N decode to four different values', () => {
    expect(decodeAll(',"",NULL,\\N\n')[0].fields).toEqual([null, '', 'NULL', '\\N']);
  });
});

describe('CsvDecoder rejects malformed input with CSV_INVALID and the line', () => {
  test('quote inside an unquoted field', () => {
    const e = csvError(() => decodeAll('a,b\nc,d"e\n'));
    expect(e.code).toBe('CSV_INVALID');
    expect(e.context.csvLine).toBe(2);
    expect(e.context.file).toBe('mem.csv');
    expect(e.message).toMatch(/quote inside an unquoted field/);
  });

  test('text after a closing quote', () => {
    const e = csvError(() => decodeAll('"ab"c\n'));
    expect(e.code).toBe('CSV_INVALID');
    expect(e.context.csvLine).toBe(1);
  });

  test('file truncated inside a quoted field', () => {
    const e = csvError(() => decodeAll('h\n"abc\ndef'));
    expect(e.code).toBe('CSV_INVALID');
    expect(e.message).toMatch(/ends inside a quoted field/);
    expect(e.context.csvLine).toBe(3);
  });

  test('file truncated right after a closing quote (no final newline)', () => {
    const e = csvError(() => decodeAll('h\n"abc"'));
    expect(e.code).toBe('CSV_INVALID');
    expect(e.context.csvLine).toBe(2);
  });

  test('missing final newline', () => {
    const e = csvError(() => decodeAll('a,b\nc,d'));
    expect(e.code).toBe('CSV_INVALID');
    expect(e.message).toMatch(/no final newline/);
    expect(e.context.csvLine).toBe(2);
  });

  test('missing final newline after a trailing empty field', () => {
    const e = csvError(() => decodeAll('a,b\nc,'));
    expect(e.code).toBe('CSV_INVALID');
    expect(e.context.csvLine).toBe(2);
  });

  test('bare CR outside quotes (CRLF record ends are not our dialect)', () => {
    const e = csvError(() => decodeAll('a,b\nc,d\r\n'));
    expect(e.code).toBe('CSV_INVALID');
    expect(e.message).toMatch(/carriage return/);
    expect(e.context.csvLine).toBe(2);
  });

  test("errors after a multi-line quoted field name the physical line, not the record's first", () => {
    expect(csvError(() => decodeAll('a,b\n"x\ny",c"d\n')).context.csvLine).toBe(3);
    expect(csvError(() => decodeAll('a,b\n"x\n\ny"z,c\n')).context.csvLine).toBe(4);
    expect(csvError(() => decodeAll('a,b\n"x\ny",c\r\n')).context.csvLine).toBe(3);
  });

  test('a quote or CR later in an unquoted field is found even when the field ends in the next chunk', () => {
    const split = (text: string, cut: number) => () => {
      const d = new CsvDecoder('mem.csv');
      d.push(text.slice(0, cut), () => undefined);
      d.push(text.slice(cut), () => undefined);
      d.end(() => undefined);
    };
    for (let cut = 0; cut <= 9; cut++) {
      expect(csvError(split('h\nab"cdef\n', cut)).message).toMatch(/quote inside an unquoted field/);
      expect(csvError(split('h\nabc\rdef\n', cut)).message).toMatch(/carriage return/);
    }
  });

  test('an empty input is not an error for the decoder (read-csv checks the header)', () => {
    expect(decodeAll('')).toEqual([]);
  });
});

describe('readCsvRecords', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'converge-csv-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const write = (name: string, data: string | Buffer): string => {
    const file = path.join(dir, name);
    writeFileSync(file, data);
    return file;
  };

  async function readAll(file: string, expectHeader?: string[]): Promise<CsvRecord[]> {
    const out: CsvRecord[] = [];
    for await (const r of readCsvRecords({ file, expectHeader })) out.push(r);
    return out;
  }

  async function readError(file: string, expectHeader?: string[]): Promise<ConvergeError> {
    try {
      await readAll(file, expectHeader);
    } catch (e) {
      expect(e).toBeInstanceOf(ConvergeError);
      return e as ConvergeError;
    }
    throw new Error('expected a ConvergeError, nothing was thrown');
  }

  test('yields data records (not the header) with their physical start lines', async () => {
    const file = write('ok.csv', 'id,note\n1,"two\nlines"\n2,\n3,""\n');
    const rows = await readAll(file, ['id', 'note']);
    expect(rows).toEqual([
      { line: 2, fields: ['1', 'two\nlines'] },
      { line: 4, fields: ['2', null] },
      { line: 5, fields: ['3', ''] },
    ]);
  });

  test('a record with the wrong number of fields names its line', async () => {
    const file = write('width.csv', 'a,b\n1,2\n3,4,5\n');
    const e = await readError(file);
    expect(e.code).toBe('CSV_INVALID');
    expect(e.context.csvLine).toBe(3);
    expect(e.context.file).toBe(file);
    expect(e.message).toMatch(/3 fields, the header has 2/);
  });

  test('a header that does not match the manifest fails on line 1', async () => {
    const file = write('header.csv', 'id,name\n1,x\n');
    const e = await readError(file, ['id', 'title']);
    expect(e.code).toBe('CSV_INVALID');
    expect(e.context.csvLine).toBe(1);
    expect(e.context.file).toBe(file);
    expect(e.message).toMatch(/header does not match/);
  });

  test('an empty file has no header', async () => {
    const e = await readError(write('empty.csv', ''));
    expect(e.code).toBe('CSV_INVALID');
    expect(e.context.csvLine).toBe(1);
  });

  test('invalid UTF-8 is CSV_INVALID naming the file', async () => {
    const file = write(
      'latin.csv',
      Buffer.concat([Buffer.from('a,b\n1,2\n3,'), Buffer.from([0xc3, 0x28]), Buffer.from('\n')]),
    );
    const e = await readError(file);
    expect(e.code).toBe('CSV_INVALID');
    expect(e.context.file).toBe(file);
    expect(e.message).toMatch(/UTF-8/);
  });

  test('invalid UTF-8 names the line it is on (read-csv promises "an error naming the line")', async () => {
    const file = write(
      'latin-line.csv',
      Buffer.concat([Buffer.from('a,b\n1,2\n3,'), Buffer.from([0xc3, 0x28]), Buffer.from('\n')]),
    );
    const e = await readError(file);
    expect(e.code).toBe('CSV_INVALID');
    expect(e.context.csvLine).toBe(3);
  });

  test('strictUtf8: false replaces invalid bytes instead of failing', async () => {
    const file = write(
      'lenient.csv',
      Buffer.concat([Buffer.from('a\n'), Buffer.from([0xc3, 0x28]), Buffer.from('\n')]),
    );
    const out: CsvRecord[] = [];
    for await (const r of readCsvRecords({ file, strictUtf8: false })) out.push(r);
    expect(out).toEqual([{ line: 2, fields: ['\ufffd('] }]);
  });

  test('a multi-byte character split across the 1 MiB read chunks decodes intact', async () => {
    const pad = 'x'.repeat((1 << 20) - 'h\n'.length - 1);
    const file = write('big.csv', `h\n${pad}😀é\n`);
    const rows = await readAll(file);
    expect(rows).toHaveLength(1);
    expect(rows[0].fields[0]).toBe(`${pad}😀é`);
  });

  test('invalid UTF-8 deep in a 1 MiB block (past its first 64 KiB) still names its line', async () => {
    const rows = 'row\n'.repeat(40_000); // 160 kB: the bad byte lies in the block's third 64 KiB part
    const file = write(
      'latin-deep.csv',
      Buffer.concat([Buffer.from('h\n' + rows + 'x'), Buffer.from([0xff]), Buffer.from('\n')]),
    );
    const e = await readError(file);
    expect(e.code).toBe('CSV_INVALID');
    expect(e.context.csvLine).toBe(40_002);
  });

  test('records straddling the 64 KiB parts of a block are whole, with their lines', async () => {
    const records: Array<Array<string | null>> = [];
    for (let i = 0; i < 3000; i++)
      records.push([String(i), i % 3 ? `"quoted, ${i}"\nline` : null, 'é😀'.repeat(i % 50)]);
    const file = write('parts.csv', encodeRecord(['id', 'note', 'u']) + records.map(encodeRecord).join(''));
    const rows = await readAll(file, ['id', 'note', 'u']);
    expect(rows.map((r) => r.fields)).toEqual(records);
    expect(rows.map((r) => r.line)).toEqual(expectedStartLines(records).map((l) => l + 1));
  });

  test('a truncated file is CSV_INVALID, not a silently shorter table', async () => {
    const e = await readError(write('cut.csv', 'a,b\n1,"unfinished\n'));
    expect(e.code).toBe('CSV_INVALID');
    expect(e.context.csvLine).toBe(3);
  });
});

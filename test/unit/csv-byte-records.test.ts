import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConvergeError } from '../../src/core/errors';
import { readCsvByteRecords } from '../../src/csv/csv-byte-records';
import { encodeRecord } from '../../src/csv/csv-encode';
import { CsvReadOptions, readCsvRecords } from '../../src/csv/read-csv';
import { createPrng } from '../../fixtures/demo/generic-prng';

/**
 * The byte reader against the string reader (itself checked against csv-parse in csv-codec):
 * the same records, the same lines, the same errors, whatever the block size.
 */

/** Seeded, so a failing case reproduces from its seed. */
function prng(seed: number): () => number {
  const p = createPrng(seed);
  return () => p.next();
}

const TRICKY: Array<string | null> = [
  null,
  '',
  'NULL',
  '\\N',
  '"',
  '""',
  ',',
  '\n',
  '\r\n',
  'a\nb',
  '😀',
  'zwölf ünïcødé',
  '\\.',
  'say "hi", then\nleave',
  ' ',
];

function randomField(rnd: () => number): string | null {
  const r = rnd();
  if (r < 0.4) return TRICKY[Math.floor(rnd() * TRICKY.length)];
  if (r < 0.43) return 'L'.repeat(3000 + Math.floor(rnd() * 3000)) + '"\n,' + '😀'.repeat(50);
  const alphabet = ['a', 'b', 'Z', '0', ' ', ',', '"', '\n', '😀', 'é', '\\'];
  let s = '';
  const len = Math.floor(rnd() * 14);
  for (let i = 0; i < len; i++) s += alphabet[Math.floor(rnd() * alphabet.length)];
  return s;
}

let dir: string;
beforeAll(() => (dir = mkdtempSync(path.join(os.tmpdir(), 'converge-byte-records-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let fileNo = 0;
function fileWith(content: string | Buffer): string {
  const f = path.join(dir, `f${fileNo++}.csv`);
  writeFileSync(f, content);
  return f;
}

interface Read {
  records: Array<{ fields: Array<string | null>; line: number }>;
  error?: ConvergeError;
}

async function viaStrings(opts: CsvReadOptions): Promise<Read> {
  const records: Read['records'] = [];
  try {
    for await (const r of readCsvRecords(opts)) records.push({ fields: r.fields.slice(), line: r.line });
  } catch (e) {
    if (!(e instanceof ConvergeError)) throw e;
    return { records, error: e };
  }
  return { records };
}

async function viaBytes(opts: CsvReadOptions, blockBytes: number): Promise<Read> {
  const records: Read['records'] = [];
  let blocks = 0;
  try {
    const res = await readCsvByteRecords(
      opts,
      (buf, spans, at, lines) => records.push({ fields: spans.texts(buf), line: lines.lineAt(at) }),
      async () => void blocks++,
      blockBytes,
    );
    expect(res.records).toBe(records.length);
  } catch (e) {
    if (!(e instanceof ConvergeError)) throw e;
    return { records, error: e };
  }
  return { records };
}

function sameError(a?: ConvergeError, b?: ConvergeError): void {
  expect(b?.code).toBe(a?.code);
  expect(b?.message).toBe(a?.message);
  expect(b?.context).toEqual(a?.context);
}

describe('readCsvByteRecords matches readCsvRecords', () => {
  test('random files, every block size from 1 byte to 1 MiB: same fields, same lines', async () => {
    for (let seed = 1; seed <= 24; seed++) {
      const rnd = prng(seed);
      const width = 1 + Math.floor(rnd() * 5);
      const header = Array.from({ length: width }, (_, i) => `c${i}`);
      const rows = Array.from({ length: 1 + Math.floor(rnd() * 40) }, () =>
        Array.from({ length: width }, () => randomField(rnd)),
      );
      const file = fileWith([header, ...rows].map(encodeRecord).join(''));
      const want = await viaStrings({ file, expectHeader: header });
      expect(want.error).toBeUndefined();
      expect(want.records.map((r) => r.fields)).toEqual(rows);
      for (const block of [1, 3, 64, 1000, 1 << 20]) {
        const got = await viaBytes({ file, expectHeader: header }, block);
        expect(got.error).toBeUndefined();
        expect(got.records).toEqual(want.records);
      }
    }
  });

  test('a record of 5 MB in 64 KiB blocks is carried until it ends, and is read whole', async () => {
    const big = 'x"y\n'.repeat(1_250_000);
    const rows = [
      ['1', big, null],
      ['2', '', 'after'],
    ];
    const file = fileWith([['id', 'v', 'w'], ...rows].map(encodeRecord).join(''));
    const got = await viaBytes({ file }, 1 << 16);
    expect(got.error).toBeUndefined();
    expect(got.records.map((r) => r.fields)).toEqual(rows);
    // Line 2 starts the big record; its 1,250,000 inner newlines and its own end come before the next.
    expect(got.records.map((r) => r.line)).toEqual([2, 2 + 1_250_000 + 1]);
    expect(got.records).toEqual((await viaStrings({ file })).records);
  });

  const BAD: Array<[string, string | Buffer]> = [
    ['quote inside an unquoted field', 'a,b\n1,2\nx"y,3\n'],
    ['carriage return outside quotes', 'a,b\n1,2\r\n'],
    ['text after a closing quote', 'a,b\n"1"x,2\n'],
    ['text after a closing quote, after a multi-line value', 'a,b\n"l1\nl2\nl3",2\n"1"x,2\n'],
    ['file ends inside a quoted field', 'a,b\n1,"open\nstill'],
    ['last record has no final newline', 'a,b\n1,2\n3,4'],
    ['no final newline on the header', 'a,b'],
    ['empty file', ''],
    ['wrong width', 'a,b\n1,2\n"x\ny",2,3\n'],
    ['header does not match', 'a,c\n1,2\n'],
    [
      'invalid UTF-8 on line 4',
      Buffer.concat([Buffer.from('a,b\n1,2\n"x\ny",'), Buffer.from([0xc3, 0x28]), Buffer.from('\n')]),
    ],
    ['invalid UTF-8 in a cut tail', Buffer.concat([Buffer.from('a,b\n1,2\n3,'), Buffer.from([0xff])])],
  ];
  test.each(BAD)('%s: the same error, the same line, at any block size', async (_what, content) => {
    const file = fileWith(content);
    const opts = { file, expectHeader: ['a', 'b'] };
    const want = await viaStrings(opts);
    expect(want.error).toBeInstanceOf(ConvergeError);
    for (const block of [1, 5, 64, 1 << 20]) {
      const got = await viaBytes(opts, block);
      sameError(want.error, got.error);
    }
  });

  test('a file changed since its manifest is CSV_CHECKSUM, as in the string reader', async () => {
    const content = 'a,b\n1,2\n3,4\n';
    const file = fileWith(content);
    const wrong = createHash('sha256')
      .update(content + 'x')
      .digest('hex');
    const want = await viaStrings({ file, expectSha256: wrong });
    const got = await viaBytes({ file, expectSha256: wrong }, 4);
    expect(got.error?.code).toBe('CSV_CHECKSUM');
    sameError(want.error, got.error);
    const right = createHash('sha256').update(content).digest('hex');
    expect((await viaBytes({ file, expectSha256: right }, 4)).error).toBeUndefined();
  });

  test('a cut file with a recorded sha256 is reported as changed, not as malformed', async () => {
    const full = 'a,b\n1,"two\nlines"\n3,4\n';
    const file = fileWith(full.slice(0, 12));
    const sha = createHash('sha256').update(full).digest('hex');
    const got = await viaBytes({ file, expectSha256: sha }, 1 << 20);
    expect(got.error?.code).toBe('CSV_CHECKSUM');
  });
});

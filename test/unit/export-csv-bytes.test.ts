import { encodeRecord } from '../../src/csv/csv-encode';
import { CsvRowWriter } from '../../src/csv/csv-row-writer';
import { readRow, RowBytesSink } from '../../src/source/mysql/row-bytes';
import { shortestFloat32 } from '../../src/source/mysql/stream-rows';

/** The one byte writer must produce exactly what encodeRecord produces on the decoded values. */
const TRICKY = [
  '',
  'plain',
  'a,b',
  'say "hi"',
  '"',
  '""',
  'line\nbreak',
  'cr\rhere',
  '\\.',
  '\\.x',
  ' \\.',
  'NULL',
  '😀 𝄞 ä',
  'x'.repeat(100) + ',',
  'y'.repeat(100),
  '"'.repeat(70),
];

/** Each value as the export writes it: NULL, binary as \\x hex, text as its bytes. */
function writeRow(w: CsvRowWriter, r: Array<string | Buffer | null>, hex: boolean[]): void {
  r.forEach((v, i) => {
    if (v === null) return w.nul(i);
    const b = typeof v === 'string' ? Buffer.from(v, 'utf8') : v;
    if (hex[i]) w.hex(i, b, 0, b.length);
    else w.raw(i, b, 0, b.length);
  });
  w.endRow();
}

function viaWriter(rows: Array<Array<string | Buffer | null>>, hex: boolean[]): string {
  const w = new CsvRowWriter();
  for (const r of rows) writeRow(w, r, hex);
  return (w.take() ?? Buffer.alloc(0)).toString('utf8');
}

test('text values: byte-identical to encodeRecord, including quotes, newlines, \\. and 4-byte characters', () => {
  const rows = TRICKY.map((v, i) => [v, i % 2 ? null : String(i), TRICKY[(i + 5) % TRICKY.length]]);
  expect(viaWriter(rows, [false, false, false])).toBe(
    rows.map((r) => encodeRecord(r as Array<string | null>)).join(''),
  );
});

test('binary columns as \\x hex; an empty value is \\x and NULL stays empty', () => {
  const rows = [[Buffer.from([0, 255, 0x22, 0x2c])], [Buffer.alloc(0)], [null]];
  expect(viaWriter(rows, [true])).toBe('\\x00ff222c\n\\x\n\n');
});

test('values larger than the output block are written whole', () => {
  const big = 'q"'.repeat(300_000);
  expect(viaWriter([[big, 'a']], [false, false])).toBe(encodeRecord([big, 'a']));
  const w = new CsvRowWriter();
  writeRow(w, ['x'.repeat(1 << 19)], [false]);
  expect(w.length).toBe((1 << 19) + 1);
  expect(w.take()!.length).toBe((1 << 19) + 1);
  expect(w.length).toBe(0);
});

test('readRow walks length-encoded fields of every size, and 0xfb as NULL', () => {
  const field = (b: Buffer) => {
    if (b.length < 0xfb) return Buffer.concat([Buffer.from([b.length]), b]);
    if (b.length < 1 << 16) return Buffer.concat([Buffer.from([0xfc, b.length & 255, b.length >> 8]), b]);
    return Buffer.concat([Buffer.from([0xfd, b.length & 255, (b.length >> 8) & 255, b.length >> 16]), b]);
  };
  const values = [Buffer.from('a'), null, Buffer.alloc(300, 0x41), Buffer.alloc(70_000, 0x42), Buffer.alloc(0)];
  const packet = Buffer.concat([
    Buffer.from([9, 9, 9]),
    ...values.map((v) => (v === null ? Buffer.from([0xfb]) : field(v))),
  ]);
  const seen: Array<Buffer | null> = [];
  let ends = 0;
  const sink: RowBytesSink = {
    field: (_i, b, s, e) => seen.push(b === null ? null : Buffer.from(b.subarray(s, e))),
    endRow: () => ends++,
  };
  readRow(packet, 3, values.length, sink);
  expect(seen).toEqual(values);
  expect(ends).toBe(1);
});

test('shortestFloat32: the shortest text that reads back as the same float', () => {
  expect(shortestFloat32('3.4028234663852886e38')).toBe('3.4028235e+38');
  expect(shortestFloat32('1.2345678806304932')).toBe('1.2345679');
  expect(shortestFloat32('16777216')).toBe('16777216');
  expect(shortestFloat32('0.10000000149011612')).toBe('0.1');
  expect(shortestFloat32('1.401298464324817e-45')).toBe('1e-45');
  expect(shortestFloat32('0')).toBe('0');
  for (const x of [Math.fround(Math.PI), Math.fround(-1e-30), Math.fround(123456.789)])
    expect(Math.fround(Number(shortestFloat32(String(x))))).toBe(x);
});

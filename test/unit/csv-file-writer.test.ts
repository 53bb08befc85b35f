import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { encodeRecord } from '../../src/csv/csv-encode';
import { CsvFileWriter } from '../../src/csv/csv-file-writer';
import { readCsvRecords } from '../../src/csv/read-csv';

describe('CsvFileWriter', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'converge-writer-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const row = (i: number): Array<string | null> => [
    String(i),
    i % 5 === 0 ? null : i % 7 === 0 ? '' : `v"${i}",\n😀`,
    'x'.repeat(200),
  ];

  test('waiting for drain many times leaves no error listener behind (was one per wait: MaxListenersExceededWarning)', async () => {
    const file = path.join(dir, 'drain.csv');
    const w = new CsvFileWriter(file, ['id', 'note', 'pad']);
    const warnings: Error[] = [];
    const onWarning = (e: Error) => warnings.push(e);
    process.on('warning', onWarning);
    try {
      // ~12 MB: a dozen 1 MiB blocks, each larger than the stream's buffer, so each waits for 'drain'.
      for (let i = 0; i < 50_000; i++) await w.write(row(i));
      expect(w.errorListeners).toBe(1);
      await w.close();
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings.filter((e) => e.name === 'MaxListenersExceededWarning')).toEqual([]);
  });

  test('what append and write produce is exactly encodeRecord of each row, and bytes and sha256 describe the file', async () => {
    const file = path.join(dir, 'exact.csv');
    const w = new CsvFileWriter(file, ['id', 'note', 'pad']);
    const rows = Array.from({ length: 20_000 }, (_, i) => row(i));
    for (let i = 0; i < rows.length; i++) {
      if (i % 2) w.append(rows[i]);
      else await w.write(rows[i]);
      if (i % 1000 === 0) await w.flushIfFull();
    }
    const result = await w.close();
    const bytes = readFileSync(file);
    expect(bytes.toString('utf8')).toBe(encodeRecord(['id', 'note', 'pad']) + rows.map(encodeRecord).join(''));
    expect(result).toEqual({
      bytes: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      rows: rows.length,
    });
    const back: Array<Array<string | null>> = [];
    for await (const r of readCsvRecords({ file })) back.push(r.fields);
    expect(back).toEqual(rows);
  });

  test('a header-only file is the header line', async () => {
    const file = path.join(dir, 'empty.csv');
    const w = new CsvFileWriter(file, ['a', 'b']);
    expect(await w.close()).toMatchObject({ rows: 0, bytes: 4 });
    expect(readFileSync(file, 'utf8')).toBe('a,b\n');
  });

  test('a write that fails is a ConvergeError naming the file, not a hang', async () => {
    const file = path.join(dir, 'no-such-dir', 'x.csv');
    const w = new CsvFileWriter(file, ['a']);
    await expect(
      (async () => {
        for (let i = 0; i < 10_000; i++) await w.write(['y'.repeat(200)]);
        await w.close();
      })(),
    ).rejects.toMatchObject({ code: expect.any(String), context: expect.objectContaining({ file }) });
  });
});

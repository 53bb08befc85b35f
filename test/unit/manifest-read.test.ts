import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  CSV_DIALECT,
  Manifest,
  MANIFEST_FILE,
  parseManifest,
  readManifest,
  readPartialManifest,
  writeManifest,
} from '../../src/manifest';

/**
 * Only a manifest that does not exist may read as "absent": one that cannot be read or does not
 * parse is an error naming the file, so no stage (and no --resume) starts over on a guess.
 */
const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await fsp.rm(d, { recursive: true, force: true });
});

async function tempDir(): Promise<string> {
  const d = await fsp.mkdtemp(path.join(os.tmpdir(), 'cvt-manifest-'));
  dirs.push(d);
  return d;
}

function sample(extra: Partial<Manifest> = {}): Manifest {
  return {
    format: 'converge-export/1',
    runId: 'r1',
    pipeline: 'p',
    createdAt: '2024-01-01T00:00:00.000Z',
    completedAt: '2024-01-01T00:01:00.000Z',
    source: { descriptor: 'mysql://h/db', database: 'db', serverVersion: '10.11' },
    csv: CSV_DIALECT,
    tables: {
      t: {
        name: 't',
        file: 't.csv',
        files: ['t.csv'],
        chunks: [{ file: 't.csv', range: null, status: 'complete', rows: 2, bytes: 10, sha256: 'ab' }],
        columns: [{ name: 'id', sourceType: 'int(11)', encoding: 'text' }],
        rows: 2,
        bytes: 10,
        sha256: 'ab',
        seconds: 0.5,
        status: 'complete',
      },
    },
    ...extra,
  };
}

test('a manifest written is read back unchanged', async () => {
  const dir = await tempDir();
  await writeManifest(dir, sample());
  expect(await readManifest(dir, 'converge-export/1')).toEqual(sample());
  expect(await readPartialManifest(dir)).toEqual(sample());
});

test('a missing manifest: run the previous stage first; for --resume, absent', async () => {
  const dir = await tempDir();
  await expect(readManifest(dir)).rejects.toMatchObject({
    code: 'MANIFEST_INVALID',
    message: expect.stringMatching(/run the previous stage first/),
  });
  expect(await readPartialManifest(dir)).toBeUndefined();
  expect(await readPartialManifest(path.join(dir, 'not-yet-created'))).toBeUndefined();
});

test('an unreadable manifest (a directory in its place) is IO_FAILED naming the file, never absent', async () => {
  const dir = await tempDir();
  await fsp.mkdir(path.join(dir, MANIFEST_FILE));
  const file = path.join(dir, MANIFEST_FILE);
  for (const read of [readManifest, readPartialManifest]) {
    const err = await read(dir).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ code: 'IO_FAILED', context: { file } });
    expect((err as Error).message).toContain(file);
    expect((err as Error & { cause: NodeJS.ErrnoException }).cause.code).toBe('EISDIR');
  }
});

test('corrupt JSON and a truncated manifest are MANIFEST_INVALID naming the file', async () => {
  const dir = await tempDir();
  const file = path.join(dir, MANIFEST_FILE);
  const whole = JSON.stringify(sample(), null, 2);
  for (const text of ['{"format": ', whole.slice(0, whole.length / 2), '']) {
    await fsp.writeFile(file, text);
    await expect(readPartialManifest(dir)).rejects.toMatchObject({
      code: 'MANIFEST_INVALID',
      context: { file },
      message: expect.stringMatching(/not valid JSON/),
    });
    await expect(readManifest(dir)).rejects.toMatchObject({ code: 'MANIFEST_INVALID', context: { file } });
  }
});

test('a manifest of the wrong shape is MANIFEST_INVALID naming the field', () => {
  const bad = { ...sample(), tables: { t: { ...sample().tables.t, rows: 'two' } } };
  expect(() => parseManifest(JSON.stringify(bad), 'm.json')).toThrow(/tables\.t\.rows/);
  expect(() => parseManifest('[]', 'm.json')).toThrow(expect.objectContaining({ code: 'MANIFEST_INVALID' }));
  const { tables: _tables, ...noTables } = sample();
  expect(() => parseManifest(JSON.stringify(noTables), 'm.json')).toThrow(/tables/);
  expect(() => parseManifest(JSON.stringify({ ...sample(), format: 'converge-export/9' }), 'm.json')).toThrow(/format/);
});

test('a partial manifest (run not finished) is read for --resume but refused as input', async () => {
  const dir = await tempDir();
  await writeManifest(dir, sample({ completedAt: undefined }));
  expect((await readPartialManifest(dir))?.runId).toBe('r1');
  await expect(readManifest(dir)).rejects.toMatchObject({
    code: 'MANIFEST_INVALID',
    message: expect.stringMatching(/did not complete/),
  });
});

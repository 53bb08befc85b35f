import { createHash, randomUUID } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { parseConnectionUrl } from '../../src/core/connection-url';
import { silentLogger } from '../../src/core/logger';
import { Manifest, MANIFEST_FILE, readManifest, readPartialManifest } from '../../src/manifest';
import { ExportOptions, runExport } from '../../src/export/run-export';
import { createMysqlDb, TestDb } from '../helpers/databases';

/**
 * --resume after damage and after a crash: only the broken or unfinished chunks are exported
 * again, and the directory ends byte-identical to a clean run.
 */
let db: TestDb;
let conn: mysql.Connection;
let clean: { dir: string; manifest: Manifest; files: Map<string, string> };
const dirs: string[] = [];

beforeAll(async () => {
  db = await createMysqlDb('export_resume');
  conn = await mysql.createConnection({ uri: db.url });
  await conn.query('CREATE TABLE big (id INT PRIMARY KEY, v VARCHAR(40))');
  await conn.query('CREATE TABLE keyed (id CHAR(36) PRIMARY KEY, n INT)');
  await conn.query('CREATE TABLE small (id INT PRIMARY KEY, note TEXT)');
  await conn.query('CREATE TABLE nokey (v INT)');
  await conn.query('INSERT INTO big VALUES ?', [Array.from({ length: 2000 }, (_, i) => [i + 1, `row ${i}, "quoted"`])]);
  await conn.query('INSERT INTO keyed VALUES ?', [Array.from({ length: 900 }, (_, i) => [randomUUID(), i])]);
  await conn.query('INSERT INTO small VALUES (1, NULL), (2, ?)', ['multi\nline']);
  await conn.query('INSERT INTO nokey VALUES (3), (1), (2)');
  await conn.query('ANALYZE TABLE big, keyed, small, nokey');
  const dir = await tempDir();
  const res = await exportTo(dir);
  clean = { dir, manifest: res.manifest, files: await digests(dir) };
});

afterAll(async () => {
  await conn?.end();
  await db?.drop();
  for (const d of dirs) await fsp.rm(d, { recursive: true, force: true });
});

async function tempDir(): Promise<string> {
  const d = await fsp.mkdtemp(path.join(os.tmpdir(), 'cvt-export-resume-'));
  dirs.push(d);
  return d;
}

function exportTo(dir: string, extra: Partial<ExportOptions> = {}) {
  return runExport({
    source: parseConnectionUrl(db.url, 'mysql', 'source'),
    outDir: dir,
    pipeline: 'resume',
    log: silentLogger(),
    jobs: 2,
    chunkRows: 400,
    ...extra,
  });
}

/** sha256 of every CSV file in a directory. */
async function digests(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const f of (await fsp.readdir(dir)).filter((n) => n.endsWith('.csv')).sort())
    out.set(
      f,
      createHash('sha256')
        .update(await fsp.readFile(path.join(dir, f)))
        .digest('hex'),
    );
  return out;
}

async function copyOfClean(): Promise<string> {
  const dir = await tempDir();
  for (const f of await fsp.readdir(clean.dir)) await fsp.copyFile(path.join(clean.dir, f), path.join(dir, f));
  return dir;
}

test('the clean run splits big and keyed into chunks and lists them in key order', () => {
  expect(clean.manifest.tables.big.files).toEqual([
    'big.00001.csv',
    'big.00002.csv',
    'big.00003.csv',
    'big.00004.csv',
    'big.00005.csv',
  ]);
  expect(clean.manifest.tables.big.rows).toBe(2000);
  expect(clean.manifest.tables.keyed.chunks!.length).toBe(3);
  expect(clean.manifest.tables.small.files).toEqual(['small.csv']);
  expect(clean.manifest.tables.nokey.files).toEqual(['nokey.csv']);
  expect([...clean.files.keys()]).toEqual(
    [...clean.manifest.tables.big.files!, ...clean.manifest.tables.keyed.files!, 'nokey.csv', 'small.csv'].sort(),
  );
});

test('a corrupted chunk and a deleted file are redone, nothing else', async () => {
  const dir = await copyOfClean();
  await fsp.appendFile(path.join(dir, 'big.00003.csv'), 'x');
  await fsp.rm(path.join(dir, 'small.csv'));
  const ran: string[] = [];
  const res = await exportTo(dir, { resume: true, beforeChunk: async (t, c) => void ran.push(`${t}#${c}`) });
  expect(ran.sort()).toEqual(['big#2', 'small#0']);
  expect(
    res.tables
      .filter((t) => t.status === 'resumed')
      .map((t) => t.table)
      .sort(),
  ).toEqual(['keyed', 'nokey']);
  expect(await digests(dir)).toEqual(clean.files);
  expect(stripTimes(await readManifest(dir, 'converge-export/1')).tables).toEqual(stripTimes(clean.manifest).tables);
});

test('after a crash mid-run, resume finishes from the chunks the manifest marks complete', async () => {
  const dir = await tempDir();
  let started = 0;
  const crash = exportTo(dir, {
    jobs: 1,
    beforeChunk: async (t, c) => {
      if (++started === 4) throw new Error(`simulated crash before ${t}#${c}`);
    },
  });
  await expect(crash).rejects.toThrow('simulated crash');
  const partial = (await readPartialManifest(dir))!;
  expect(partial.completedAt).toBeUndefined();
  await expect(readManifest(dir)).rejects.toMatchObject({ code: 'MANIFEST_INVALID' });
  // Every chunk marked complete has its file, whole and synced; nothing else is marked.
  const complete = Object.values(partial.tables).flatMap((t) =>
    (t.chunks ?? []).filter((c) => c.status === 'complete'),
  );
  expect(complete.length).toBe(3);
  for (const c of complete)
    expect(
      createHash('sha256')
        .update(await fsp.readFile(path.join(dir, c.file)))
        .digest('hex'),
    ).toBe(c.sha256);

  const ran: string[] = [];
  await exportTo(dir, { resume: true, beforeChunk: async (t, c) => void ran.push(`${t}#${c}`) });
  const total = Object.values(clean.manifest.tables).reduce((n, t) => n + t.chunks!.length, 0);
  expect(ran.length).toBe(total - 3);
  expect(await digests(dir)).toEqual(clean.files);
});

test('a table whose columns changed is exported again from scratch, its old files removed', async () => {
  const dir = await copyOfClean();
  const m = JSON.parse(await fsp.readFile(path.join(dir, MANIFEST_FILE), 'utf8')) as Manifest;
  m.tables.big.columns[1].sourceType = 'varchar(10)';
  await fsp.writeFile(path.join(dir, MANIFEST_FILE), JSON.stringify(m));
  const ran: string[] = [];
  await exportTo(dir, { resume: true, chunkRows: 1000, beforeChunk: async (t, c) => void ran.push(`${t}#${c}`) });
  expect(ran.sort()).toEqual(['big#0', 'big#1']);
  const files = await fsp.readdir(dir);
  expect(files.filter((f) => f.startsWith('big.')).sort()).toEqual(['big.00001.csv', 'big.00002.csv']);
});

function stripTimes(m: Manifest): Manifest {
  return JSON.parse(JSON.stringify(m, (k, v) => (k === 'seconds' ? undefined : v)));
}

test('--resume over a corrupt manifest fails naming it, instead of exporting everything again', async () => {
  const dir = await copyOfClean();
  const file = path.join(dir, MANIFEST_FILE);
  const text = await fsp.readFile(file, 'utf8');
  await fsp.writeFile(file, text.slice(0, text.length / 2));
  const ran: string[] = [];
  await expect(
    exportTo(dir, { resume: true, beforeChunk: async (t, c) => void ran.push(`${t}#${c}`) }),
  ).rejects.toMatchObject({ code: 'MANIFEST_INVALID', context: { file } });
  expect(ran).toEqual([]);
  expect(await digests(dir)).toEqual(clean.files);
});

test('--resume over a chunk file that cannot be read fails naming it, instead of silently redoing it', async () => {
  const dir = await copyOfClean();
  const file = path.join(dir, 'big.00002.csv');
  await fsp.rm(file);
  await fsp.mkdir(file);
  await expect(exportTo(dir, { resume: true })).rejects.toMatchObject({ code: 'IO_FAILED', context: { file } });
});

import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { Manifest } from '../../src/manifest';
import { createMysqlDb, TestDb } from '../helpers/databases';
import { runCli } from '../helpers/run-cli';

/**
 * `converge export` as an operator runs it (the built CLI; npm test builds first): chunked
 * tables with --jobs, structured log lines only when stderr is not a terminal, and --resume
 * after the process was killed mid-run.
 */
let db: TestDb;
let dir: string;
let pipelineFile: string;
const UNREACHABLE_TARGET = 'postgres://nobody@127.0.0.1:1/none?connect_timeout=1';

beforeAll(async () => {
  db = await createMysqlDb('export_cli');
  const conn = await mysql.createConnection({ uri: db.url });
  try {
    await conn.query('CREATE TABLE events (id INT PRIMARY KEY, body TEXT)');
    await conn.query('CREATE TABLE tags (id CHAR(36) PRIMARY KEY, name VARCHAR(20))');
    await conn.query("INSERT INTO events SELECT seq, REPEAT('e', seq % 300) FROM seq_1_to_3000");
    await conn.query("INSERT INTO tags SELECT UUID(), CONCAT('t', seq) FROM seq_1_to_300");
    await conn.query('ANALYZE TABLE events, tags');
  } finally {
    await conn.end();
  }
  dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'cvt-export-cli-'));
  pipelineFile = path.join(dir, 'pipeline.yaml');
  await fsp.writeFile(
    pipelineFile,
    `name: exportcli\nsource:\n  database: ${db.name}\ntarget:\n  database: none\n  migrations: none\n  tracking: { table: t, style: converge }\nmapping: none\n`,
  );
});

afterAll(async () => {
  await db?.drop();
  if (dir) await fsp.rm(dir, { recursive: true, force: true });
});

const args = (work: string, ...extra: string[]) => [
  'export',
  '--pipeline',
  pipelineFile,
  '--source',
  db.url,
  '--target',
  UNREACHABLE_TARGET,
  '--work-dir',
  work,
  ...extra,
];

test('--jobs 2 with chunks: a summary on stdout, only JSON log lines on stderr', async () => {
  const work = path.join(dir, 'a');
  const r = await runCli(args(work, '--jobs', '2', '--chunk-rows', '1000'));
  expect(r.stderr).not.toMatch(/\x1b\[/);
  const lines = r.stderr.trim().split('\n').filter(Boolean);
  for (const l of lines) expect(() => JSON.parse(l)).not.toThrow();
  expect(r.code).toBe(0);
  expect(lines.map((l) => JSON.parse(l).msg)).toEqual(
    expect.arrayContaining(['snapshot open', 'table split by primary key', 'table exported']),
  );
  // The split follows the server's row estimate: several chunks, not an exact number.
  expect(r.stdout).toMatch(/events\s+3000\s+[\d.]+\s+\d+\s/);
  const m = JSON.parse(await fsp.readFile(path.join(work, 'export', 'manifest.json'), 'utf8')) as Manifest;
  expect(m.tables.events.files!.length).toBeGreaterThan(1);
  m.tables.events.files!.forEach((f, i) => expect(f).toBe(`events.${String(i + 1).padStart(5, '0')}.csv`));
  expect(m.tables.tags.files).toEqual(['tags.csv']);
});

test('--resume after the process is killed mid-run finishes the export', async () => {
  const work = path.join(dir, 'b');
  // SIGKILL a few hundred ms in: wherever it stops, the manifest must only claim synced files.
  await runCli(args(work, '--chunk-rows', '100'), {}, 700);
  const r = await runCli(args(work, '--chunk-rows', '100', '--resume'));
  expect(r.code).toBe(0);
  const m = JSON.parse(await fsp.readFile(path.join(work, 'export', 'manifest.json'), 'utf8')) as Manifest;
  expect(m.completedAt).toBeDefined();
  expect(m.tables.events.rows).toBe(3000);
  expect(m.tables.tags.rows).toBe(300);
  const files = (await fsp.readdir(path.join(work, 'export'))).filter((f) => f.endsWith('.csv')).sort();
  expect(files).toEqual([...m.tables.events.files!, ...m.tables.tags.files!].sort());
});

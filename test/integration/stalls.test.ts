import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { Client } from 'pg';
import { ExitCode } from '../../src/core/exit-codes';
import { createMysqlDb, createPgDb, TestDb } from '../helpers/databases';
import { errorLine } from '../helpers/corpus-case';
import { freezingProxy, FreezingProxy } from '../helpers/freezing-proxy';
import { runCli } from '../helpers/run-cli';

/**
 * A network path that freezes mid-load (no error, sockets open) must not hang converge: the
 * stall watchdog gives up after --stall-timeout-ms with a named error (exit 4) and nothing of
 * the table is committed. Through a TCP proxy that stops forwarding, on both ends.
 */
const ROWS = 40_000;
const STALL_MS = 1500;
let my: TestDb;
let dir: string;
let pipelineFile: string;
const proxies: FreezingProxy[] = [];
const pgDbs: TestDb[] = [];

beforeAll(async () => {
  my = await createMysqlDb('stalls');
  dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'converge-stalls-'));
  const c = await mysql.createConnection({ uri: my.url });
  try {
    await c.query('CREATE TABLE t (id INT NOT NULL PRIMARY KEY, note VARCHAR(255))');
    for (let i = 0; i < ROWS; i += 10_000)
      await c.query('INSERT INTO t VALUES ?', [
        Array.from({ length: 10_000 }, (_, k) => [i + k + 1, `row ${i + k + 1} `.padEnd(200, 'x')]),
      ]);
  } finally {
    await c.end();
  }
  await fsp.mkdir(path.join(dir, 'mapping'));
  await fsp.writeFile(
    path.join(dir, 'mapping', 'mapping.yaml'),
    'tables:\n  t: { columns: { id: integer, note: text } }\n',
  );
  pipelineFile = path.join(dir, 'pipeline.yaml');
  await fsp.writeFile(
    pipelineFile,
    `name: stalls\nsource: { database: ${my.name} }\ntarget: { database: x, migrations: none, tracking: { table: v, style: converge } }\nmapping: mapping\n`,
  );
}, 60_000);

afterAll(async () => {
  for (const p of proxies) await p.close();
  await Promise.all([my, ...pgDbs].map((d) => d?.drop().catch(() => undefined)));
  if (dir) await fsp.rm(dir, { recursive: true, force: true });
});

async function freshTarget(): Promise<TestDb> {
  const db = await createPgDb('stalls');
  pgDbs.push(db);
  const c = new Client({ connectionString: db.url });
  await c.connect();
  try {
    await c.query('CREATE TABLE t (id integer PRIMARY KEY, note text)');
  } finally {
    await c.end();
  }
  return db;
}

function viaProxy(url: string, port: number): string {
  const u = new URL(url);
  u.port = String(port);
  return u.toString();
}

async function rows(db: TestDb): Promise<number> {
  const c = new Client({ connectionString: db.url });
  await c.connect();
  try {
    return Number((await c.query('SELECT count(*)::int AS n FROM t')).rows[0].n);
  } finally {
    await c.end();
  }
}

test('Postgres path freezes mid-COPY: migrate gives up with STALLED (exit 4), the table stays empty', async () => {
  const pg = await freshTarget();
  const u = new URL(pg.url);
  // Frozen once a few MB went towards Postgres: the COPY is under way by then.
  const proxy = await freezingProxy({ host: u.hostname, port: Number(u.port) }, { direction: 'up', bytes: 2 << 20 });
  proxies.push(proxy);
  const work = path.join(dir, 'pg-frozen');
  const r = await runCli(
    [
      'migrate',
      '--no-verify',
      '--pipeline',
      pipelineFile,
      '--source',
      my.url,
      '--target',
      viaProxy(pg.url, proxy.port),
      '--stall-timeout-ms',
      String(STALL_MS),
      '--work-dir',
      work,
    ],
    {},
    60_000,
  );
  expect(proxy.frozen).toBe(true);
  expect(errorLine(r.stderr)).toMatchObject({ code: 'STALLED' });
  expect(r.code).toBe(ExitCode.Connection);
  expect(r.stderr).toMatch(/COPY into t made no progress for 2 s/);
  // The frozen path never told Postgres; closing it ends the backend, which rolls the COPY back.
  await proxy.close();
  expect(await rows(pg)).toBe(0);
}, 90_000);

test('MySQL path freezes mid-read: export gives up with STALLED (exit 4) naming the table; no complete manifest', async () => {
  const pg = await freshTarget();
  const u = new URL(my.url);
  const proxy = await freezingProxy({ host: u.hostname, port: Number(u.port) }, { direction: 'down', bytes: 2 << 20 });
  proxies.push(proxy);
  const work = path.join(dir, 'mysql-frozen');
  const r = await runCli(
    [
      'export',
      '--pipeline',
      pipelineFile,
      '--source',
      viaProxy(my.url, proxy.port),
      '--target',
      pg.url,
      '--stall-timeout-ms',
      String(STALL_MS),
      '--work-dir',
      work,
    ],
    {},
    60_000,
  );
  expect(proxy.frozen).toBe(true);
  expect(errorLine(r.stderr)).toMatchObject({ code: 'STALLED' });
  expect(r.code).toBe(ExitCode.Connection);
  expect(r.stderr).toMatch(/reading table t: MySQL sent no rows for 2 s/);
  const manifest = JSON.parse(await fsp.readFile(path.join(work, 'export', 'manifest.json'), 'utf8'));
  expect(manifest.completedAt).toBeUndefined();
  expect(manifest.tables.t.status).not.toBe('complete');
}, 90_000);

import { randomUUID } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { parseConnectionUrl } from '../../src/core/connection-url';
import { silentLogger } from '../../src/core/logger';
import { readCsvRecords } from '../../src/csv/read-csv';
import { Manifest, tableFiles } from '../../src/manifest';
import { runExport } from '../../src/export/run-export';
import { createMysqlDb, MYSQL_BASE, TestDb } from '../helpers/databases';

/**
 * Three workers export three chunked tables (integer, CHAR(36) and composite keys) while another
 * connection inserts, updates and deletes rows in all of them between chunks. The export must
 * hold exactly what the tables held when it started, chunk files concatenated in key order.
 */
let db: TestDb;
let conn: mysql.Connection;
const dirs: string[] = [];
const TABLES = ['t_int', 't_uuid', 't_comp'];

beforeAll(async () => {
  db = await createMysqlDb('export_snapshot');
  conn = await mysql.createConnection({ uri: db.url });
  await conn.query('CREATE TABLE t_int (id BIGINT UNSIGNED PRIMARY KEY, v VARCHAR(20))');
  await conn.query('CREATE TABLE t_uuid (id CHAR(36) PRIMARY KEY, v INT)');
  await conn.query('CREATE TABLE t_comp (a INT, b VARCHAR(10), v INT, PRIMARY KEY (a, b))');
  const ints = Array.from({ length: 1500 }, (_, i) => [i * 2 + 1, `v${i}`]);
  await conn.query('INSERT INTO t_int VALUES ?', [ints]);
  await conn.query('INSERT INTO t_uuid VALUES ?', [Array.from({ length: 1200 }, (_, i) => [randomUUID(), i])]);
  await conn.query('INSERT INTO t_comp VALUES ?', [
    Array.from({ length: 1200 }, (_, i) => [i % 40, `k${Math.floor(i / 40)}`, i]),
  ]);
  await conn.query('ANALYZE TABLE t_int, t_uuid, t_comp');
});

afterAll(async () => {
  await conn?.end();
  await db?.drop();
  for (const d of dirs) await fsp.rm(d, { recursive: true, force: true });
});

async function tempDir(): Promise<string> {
  const d = await fsp.mkdtemp(path.join(os.tmpdir(), 'cvt-export-snap-'));
  dirs.push(d);
  return d;
}

/** The rows of a table as its export would write them (every value as text), in key order. */
async function currentRows(table: string): Promise<string[][]> {
  const order = table === 't_comp' ? 'a, b' : 'id';
  const [rows] = await conn.query({
    sql: `SELECT * FROM ${table} ORDER BY ${order}`,
    rowsAsArray: true,
    typeCast: (f: { string(): string | null }) => f.string(),
  } as never);
  return rows as unknown as string[][];
}

async function exportedRows(dir: string, m: Manifest, table: string): Promise<Array<Array<string | null>>> {
  const out: Array<Array<string | null>> = [];
  for (const f of tableFiles(m.tables[table]))
    for await (const r of readCsvRecords({ file: path.join(dir, f) })) out.push(r.fields);
  return out;
}

test('rows written while three workers export do not appear, in any chunk of any table', async () => {
  const before = Object.fromEntries(await Promise.all(TABLES.map(async (t) => [t, await currentRows(t)] as const)));
  const dir = await tempDir();
  const workers = new Set<number>();
  let wrote = false;
  const res = await runExport({
    source: parseConnectionUrl(db.url, 'mysql', 'source'),
    outDir: dir,
    pipeline: 'snap',
    log: silentLogger(),
    jobs: 3,
    chunkRows: 250,
    beforeChunk: async (_table, chunk, worker) => {
      workers.add(worker);
      if (wrote || chunk < 1) return;
      wrote = true;
      // Into ranges no worker has read yet, and into ranges already read: neither may show.
      await conn.query("INSERT INTO t_int VALUES (2, 'new'), (1400, 'new'), (2998, 'new'), (100000, 'new')");
      await conn.query("UPDATE t_int SET v = 'changed' WHERE id IN (1, 2999)");
      await conn.query('DELETE FROM t_int WHERE id BETWEEN 1501 AND 1601');
      await conn.query('INSERT INTO t_uuid VALUES (?, -1), (?, -2), (?, -3)', [
        '00000000-0000-0000-0000-000000000000',
        '80000000-0000-0000-0000-000000000000',
        'ffffffff-ffff-ffff-ffff-ffffffffffff',
      ]);
      await conn.query('DELETE FROM t_uuid ORDER BY id DESC LIMIT 100');
      await conn.query("INSERT INTO t_comp VALUES (0, 'a', -1), (20, 'k0a', -2), (39, 'zz', -3)");
      await conn.query('UPDATE t_comp SET v = -9 WHERE a = 39');
    },
  });
  expect(wrote).toBe(true);
  expect(workers).toEqual(new Set([0, 1, 2]));
  expect(res.manifest.snapshot?.method).toBe('flush-lock-then-snapshots');
  for (const t of TABLES) {
    expect(res.manifest.tables[t].chunks!.length).toBeGreaterThan(2);
    expect(res.manifest.tables[t].status).toBe('complete');
    expect(await exportedRows(dir, res.manifest, t)).toEqual(before[t]);
    expect(res.manifest.tables[t].rows).toBe(before[t].length);
  }
  // The writes did happen: the live tables now differ from the export.
  expect(await currentRows('t_int')).not.toEqual(before.t_int);
});

test('without RELOAD (no global read lock) the export falls back to one worker and stays consistent', async () => {
  const user = `cvt_ro_${Date.now().toString(36)}`;
  const base = new URL(MYSQL_BASE);
  await conn.query(`CREATE USER '${user}'@'%' IDENTIFIED BY 'pw-${user}'`);
  await conn.query(`CREATE USER '${user}'@'localhost' IDENTIFIED BY 'pw-${user}'`);
  try {
    for (const h of ['%', 'localhost']) await conn.query(`GRANT SELECT ON \`${db.name}\`.* TO '${user}'@'${h}'`);
    const before = await currentRows('t_uuid');
    const dir = await tempDir();
    const workers = new Set<number>();
    const url = `mysql://${user}:pw-${user}@${base.host}/${db.name}`;
    const res = await runExport({
      source: parseConnectionUrl(url, 'mysql', 'source'),
      outDir: dir,
      pipeline: 'snap',
      log: silentLogger(),
      jobs: 3,
      chunkRows: 250,
      tables: ['t_uuid'],
      beforeChunk: async (_t, chunk, worker) => {
        workers.add(worker);
        if (chunk === 1) await conn.query('INSERT INTO t_uuid VALUES (?, -7)', [randomUUID()]);
      },
    });
    expect(res.manifest.snapshot?.method).toBe('consistent-snapshot');
    expect(workers).toEqual(new Set([0]));
    expect(await exportedRows(dir, res.manifest, 't_uuid')).toEqual(before);
  } finally {
    await conn.query(`DROP USER IF EXISTS '${user}'@'%', '${user}'@'localhost'`);
  }
});

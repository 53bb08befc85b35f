import os from 'node:os';
import path from 'node:path';
import { promises as fsp } from 'node:fs';
import mysql from 'mysql2/promise';
import { parseConnectionUrl } from '../../src/core/connection-url';
import { silentLogger } from '../../src/core/logger';
import { runExport } from '../../src/export/run-export';
import { openMysql } from '../../src/source/mysql/connect';
import { binlogPosition } from '../../src/source/mysql/snapshot';
import { PrivateServer, startPrivateMariadb } from '../helpers/private-servers';

/**
 * With binary logging on, the manifest records the binlog position that matches the snapshot,
 * for one worker (MariaDB's lock-free binlog_snapshot_* status) and for several (taken under
 * the brief global read lock). Rows written after the export start lie past that position.
 */
let server: PrivateServer;
let dir: string;

beforeAll(async () => {
  server = await startPrivateMariadb({ binlog: true });
  dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'converge-binlog-'));
  const c = await mysql.createConnection({ uri: server.url });
  try {
    await c.query('CREATE DATABASE shop');
    await c.query('CREATE TABLE shop.items (id INT PRIMARY KEY, name VARCHAR(20))');
    await c.query('CREATE TABLE shop.orders (id INT PRIMARY KEY, item_id INT)');
    await c.query("INSERT INTO shop.items VALUES (1, 'a'), (2, 'b')");
    await c.query('INSERT INTO shop.orders VALUES (1, 1), (2, 2), (3, 1)');
  } finally {
    await c.end();
  }
}, 90_000);

afterAll(async () => {
  await server?.stop();
  await fsp.rm(dir, { recursive: true, force: true });
});

/** The log's end now, and MariaDB's GTID position there. */
async function gtidNow(): Promise<string> {
  const c = await mysql.createConnection({ uri: server.url });
  try {
    const [rows] = await c.query('SELECT @@GLOBAL.gtid_binlog_pos AS g');
    return (rows as Array<{ g: string }>)[0].g;
  } finally {
    await c.end();
  }
}

async function masterStatus(): Promise<{ file: string; position: number }> {
  const c = await mysql.createConnection({ uri: server.url });
  try {
    const [rows] = await c.query('SHOW MASTER STATUS');
    const r = (rows as Array<{ File: string; Position: number }>)[0];
    return { file: r.File, position: Number(r.Position) };
  } finally {
    await c.end();
  }
}

describe('export records the binary-log position of its snapshot', () => {
  for (const jobs of [1, 2]) {
    it(`with ${jobs} worker(s)`, async () => {
      const before = await masterStatus();
      const gtid = await gtidNow();
      const source = parseConnectionUrl(`${server.url}shop`, 'mysql', 'test');
      const res = await runExport({
        source,
        outDir: path.join(dir, `j${jobs}`),
        pipeline: 'binlog',
        jobs,
        log: silentLogger(),
      });
      const snap = res.manifest.snapshot!;
      expect(snap.binlog).not.toBeNull();
      expect(snap.binlog!.file).toBe(before.file);
      expect(snap.binlog!.position).toBe(before.position);
      // Under the lock and lock-free alike, MariaDB's GTID position at the snapshot comes with it.
      expect(snap.binlog!.gtid).toBe(gtid);
      expect(gtid).toMatch(/^0-1-\d+$/);
      const c = await mysql.createConnection({ uri: server.url });
      await c.query("INSERT INTO shop.items VALUES (10 + ?, 'later')", [jobs]);
      await c.end();
      expect((await masterStatus()).position).toBeGreaterThan(snap.binlog!.position);
      expect(res.manifest.tables.items.rows).toBe(jobs === 1 ? 2 : 3);
    });
  }
});

describe('a lock-free snapshot (one worker, a checkpoint) stands at its own position', () => {
  it('a commit between the snapshot opening and its position being read lies after that position', async () => {
    const source = parseConnectionUrl(`${server.url}shop`, 'mysql', 'test');
    const snap = await openMysql(source);
    const writer = await mysql.createConnection({ uri: server.url });
    try {
      await snap.query('START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY');
      // Nothing else writes to this server: the log's end now is the snapshot's position.
      const opened = { ...(await masterStatus()), gtid: await gtidNow() };
      await writer.query("INSERT INTO shop.items VALUES (20, 'between')");
      const at = await binlogPosition(snap, 'consistent-snapshot');
      const [rows] = await snap.query('SELECT count(*) AS n FROM shop.items WHERE id = 20');
      expect({ at, seen: Number((rows as Array<{ n: number }>)[0].n) }).toEqual({ at: opened, seen: 0 });
      expect((await masterStatus()).position).toBeGreaterThan(opened.position);
    } finally {
      await snap.end();
      await writer.end();
    }
  });
});

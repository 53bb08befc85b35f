import { promises as fsp } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { parseConnectionUrl } from '../../src/core/connection-url';
import { ConvergeError } from '../../src/core/errors';
import { resolveSource, resolveTarget } from '../../src/core/settings';
import { MysqlConnection, openMysql } from '../../src/source/mysql/connect';
import { openPg } from '../../src/target/postgres/connect';
import { createMysqlDb, createPgDb, TestDb } from '../helpers/databases';
import { freePort } from '../helpers/private-servers';
import { runCli } from '../helpers/run-cli';
import { ExitCode } from '../../src/core/exit-codes';

/** Unreachable and silent servers fail within the connect time-out; slow statements and the snapshot lock are bounded too. Loopback only. */

let silent: net.Server;
const held: net.Socket[] = [];
let silentPort: number;
let closedPort: number;
let mydb: TestDb;
let pgdb: TestDb;

beforeAll(async () => {
  // Accepts connections and never says a word: what a hung server or a black-holing proxy looks like.
  silent = net.createServer((s) => held.push(s));
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  silentPort = (silent.address() as net.AddressInfo).port;
  closedPort = await freePort();
  [mydb, pgdb] = await Promise.all([createMysqlDb('timeouts'), createPgDb('timeouts')]);
});

afterAll(async () => {
  for (const s of held) s.destroy();
  await new Promise((r) => silent.close(r));
  await Promise.all([mydb?.drop(), pgdb?.drop()]);
});

async function timed(p: Promise<unknown>): Promise<{ error: ConvergeError; ms: number }> {
  const start = Date.now();
  try {
    await p;
  } catch (e) {
    if (!(e instanceof ConvergeError)) throw e;
    return { error: e, ms: Date.now() - start };
  }
  throw new Error('expected a failure');
}

const pgAt = (port: number, q = '') =>
  parseConnectionUrl(`postgres://postgres@127.0.0.1:${port}/postgres${q}`, 'postgres', '--target');
const myAt = (port: number, q = '') => parseConnectionUrl(`mysql://root@127.0.0.1:${port}/${q}`, 'mysql', '--source');

describe('unreachable servers', () => {
  test('a closed port fails at once with "connection refused" on both ends', async () => {
    for (const [open, info] of [
      [openPg, pgAt(closedPort)],
      [openMysql, myAt(closedPort)],
    ] as const) {
      const { error, ms } = await timed((open as (i: typeof info) => Promise<{ end(): Promise<void> }>)(info));
      expect(error.code).toBe('CONNECT_FAILED');
      expect(error.message).toMatch(
        new RegExp(
          `at (postgres|mysql)://\\w+@127\\.0\\.0\\.1:${closedPort}.*connection refused; check the host and port`,
        ),
      );
      expect(ms).toBeLessThan(3000);
    }
  });

  test('a server that accepts and never answers is given up on after the connect time-out (Postgres)', async () => {
    const { error, ms } = await timed(openPg(pgAt(silentPort, '?connect_timeout_ms=500')));
    expect(error.code).toBe('CONNECT_FAILED');
    expect(error.message).toMatch(/no answer within 500 ms \(connect time-out/);
    expect(ms).toBeGreaterThanOrEqual(450);
    expect(ms).toBeLessThan(3000);
  });

  test('a server that accepts and never answers is given up on after the connect time-out (MySQL)', async () => {
    const { error, ms } = await timed(openMysql(myAt(silentPort, '?connect_timeout_ms=500')));
    expect(error.code).toBe('CONNECT_FAILED');
    expect(error.message).toMatch(/no answer within 500 ms \(connect time-out/);
    expect(ms).toBeGreaterThanOrEqual(450);
    expect(ms).toBeLessThan(3000);
  });

  test('CONVERGE_CONNECT_TIMEOUT_MS from the environment bounds the wait; a --target URL parameter beats it', async () => {
    const saved = { ...process.env };
    try {
      process.env.CONVERGE_CONNECT_TIMEOUT_MS = '700';
      process.env.CONVERGE_SOURCE_URL = `mysql://root@127.0.0.1:${silentPort}/`;
      const my = await timed(openMysql(resolveSource(undefined)));
      expect(my.error.message).toMatch(/no answer within 700 ms/);
      expect(my.ms).toBeLessThan(3000);
      const pg = await timed(
        openPg(resolveTarget(`postgres://postgres@127.0.0.1:${silentPort}/postgres?connect_timeout=1`)),
      );
      expect(pg.error.message).toMatch(/no answer within 1000 ms/);
      expect(pg.ms).toBeGreaterThanOrEqual(950);
      expect(pg.ms).toBeLessThan(3500);
    } finally {
      process.env = saved;
    }
  });
});

describe('statement and lock-wait time-outs', () => {
  test('Postgres statement_timeout cancels a long statement', async () => {
    let client: Client | undefined;
    try {
      client = await openPg(parseConnectionUrl(`${pgdb.url}?statement_timeout_ms=300`, 'postgres', 'test'));
      expect((await client.query('SHOW statement_timeout')).rows[0].statement_timeout).toBe('300ms');
      const start = Date.now();
      await expect(client.query('SELECT pg_sleep(5)')).rejects.toMatchObject({ code: '57014' });
      expect(Date.now() - start).toBeLessThan(3000);
    } finally {
      await client?.end();
    }
  });

  test('MariaDB max_statement_time cancels a long statement', async () => {
    let conn: MysqlConnection | undefined;
    try {
      conn = await openMysql(parseConnectionUrl(`${mydb.url}?statement_timeout_ms=300`, 'mysql', 'test'));
      const [rows] = await conn.query('SELECT @@session.max_statement_time AS t');
      expect(Number((rows as Array<{ t: string }>)[0].t)).toBeCloseTo(0.3);
      const start = Date.now();
      await expect(conn.query('SELECT SLEEP(5)')).rejects.toMatchObject({
        errno: 1969,
        message: expect.stringMatching(/max_statement_time exceeded/),
      });
      expect(Date.now() - start).toBeLessThan(3000);
    } finally {
      await conn?.end();
    }
  });

  test('the snapshot lock waits no longer than the lock-wait time-out', async () => {
    let holder: MysqlConnection | undefined;
    let waiter: MysqlConnection | undefined;
    try {
      holder = await openMysql(parseConnectionUrl(mydb.url, 'mysql', 'test'));
      await holder.query('CREATE TABLE held (id INT PRIMARY KEY)');
      await holder.query('LOCK TABLES held WRITE');
      waiter = await openMysql(parseConnectionUrl(`${mydb.url}?lock_wait_timeout=1`, 'mysql', 'test'));
      const [rows] = await waiter.query(
        'SELECT @@session.lock_wait_timeout AS a, @@session.innodb_lock_wait_timeout AS b',
      );
      expect((rows as Array<{ a: string; b: string }>)[0]).toEqual({ a: '1', b: '1' });
      const start = Date.now();
      await expect(waiter.query('FLUSH TABLES held WITH READ LOCK')).rejects.toMatchObject({
        code: 'ER_LOCK_WAIT_TIMEOUT',
      });
      expect(Date.now() - start).toBeLessThan(4000);
    } finally {
      await waiter?.end();
      await holder?.query('UNLOCK TABLES').catch(() => undefined);
      await holder?.end();
    }
  });
});

describe('connection flags on every command', () => {
  const workDir = () => fsp.mkdtemp(path.join(os.tmpdir(), 'converge-timeouts-'));

  test('import --connect-timeout-ms bounds a silent target, and the target is waited for once, not twice', async () => {
    const dir = await workDir();
    try {
      const before = held.length;
      const r = await runCli([
        'import',
        '--pipeline',
        'kratos',
        '--source',
        mydb.url,
        '--target',
        `postgres://postgres@127.0.0.1:${silentPort}/nowhere`,
        '--connect-timeout-ms',
        '700',
        '--work-dir',
        dir,
      ]);
      expect(r.code).toBe(ExitCode.Connection);
      expect(r.stderr).toMatch(/no answer within 700 ms \(connect time-out/);
      // The run history's connection was the only attempt: the import did not try the same silent server again.
      expect(held.length - before).toBe(1);
    } finally {
      await fsp.rm(dir, { recursive: true, force: true });
    }
  });

  test('--target-sslmode works on a command other than env (doctor reports the refused TLS)', async () => {
    const r = await runCli(['doctor', '--source', mydb.url, '--target', pgdb.url, '--target-sslmode', 'require']);
    expect(r.code).not.toBe(ExitCode.Ok);
    expect(r.stdout + r.stderr).toMatch(/does not support SSL|TLS/i);
    const plain = await runCli(['doctor', '--source', mydb.url, '--target', pgdb.url, '--target-sslmode', 'disable']);
    expect(plain.stdout).toMatch(/target\s+connection\s+ok/i);
  });
});

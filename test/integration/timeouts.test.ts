import { Client } from 'pg';
import { parseConnectionUrl } from '../../src/core/connection-url';
import { MysqlConnection, openMysql } from '../../src/source/mysql/connect';
import { openPg } from '../../src/target/postgres/connect';
import { createMysqlDb, createPgDb, TestDb } from '../helpers/databases';
import { runCli } from '../helpers/run-cli';
import { ExitCode } from '../../src/core/exit-codes';

/**
 * Slow statements and the snapshot lock are bounded by the settings that say so, and the TLS flag
 * works beyond `converge env`. Servers that refuse or never answer, the connect time-out from a
 * flag, a variable or the URL, and a silent target waited for once are corpus cases (connect).
 */

let mydb: TestDb;
let pgdb: TestDb;

beforeAll(async () => {
  [mydb, pgdb] = await Promise.all([createMysqlDb('timeouts'), createPgDb('timeouts')]);
});

afterAll(async () => {
  await Promise.all([mydb?.drop(), pgdb?.drop()]);
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
  test('--target-sslmode works on a command other than env (doctor reports the refused TLS)', async () => {
    const r = await runCli(['doctor', '--source', mydb.url, '--target', pgdb.url, '--target-sslmode', 'require']);
    expect(r.code).not.toBe(ExitCode.Ok);
    expect(r.stdout + r.stderr).toMatch(/does not support SSL|TLS/i);
    const plain = await runCli(['doctor', '--source', mydb.url, '--target', pgdb.url, '--target-sslmode', 'disable']);
    expect(plain.stdout).toMatch(/target\s+connection\s+ok/i);
  });
});

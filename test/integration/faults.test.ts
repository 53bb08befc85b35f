import os from 'node:os';
import path from 'node:path';
import { promises as fsp } from 'node:fs';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import mysql from 'mysql2/promise';
import { Client } from 'pg';
import { createMysqlDb, createPgDb, TestDb } from '../helpers/databases';
import { ExitCode } from '../../src/core/exit-codes';
import { runCli } from '../helpers/run-cli';
import { startCli, waitFor } from '../helpers/corpus-spawn';
import { errorLine } from '../helpers/corpus-case';
import { ConvergeError, ErrorCode } from '../../src/core/errors';
import { expectManifestHonest, manifestIncomplete } from '../helpers/corpus-world';

/**
 * Faults injected into real runs of the built CLI: kill -9 at several points of export, transform
 * and import, the MySQL connection killed mid-export, the Postgres backend terminated mid-COPY.
 * Pauses are made deterministic with locks (a table locked on either server) and a FIFO (an
 * exported file that delivers its bytes when the test says). After each fault: no partial table,
 * no manifest claiming completion, a clear error, and a re-run that ends equal to a clean run.
 */
const run = promisify(execFile);
const ROWS = 50;
const TABLES = ['a', 'b', 'c'];
const MYSQL_DDL = [
  'CREATE TABLE a (id INT NOT NULL PRIMARY KEY, name VARCHAR(40))',
  'CREATE TABLE b (id INT NOT NULL PRIMARY KEY, a_id INT NOT NULL, note TEXT)',
  'CREATE TABLE c (id INT NOT NULL PRIMARY KEY, v TEXT)',
];
const PG_DDL = `CREATE TABLE a (id integer PRIMARY KEY, name text);
  CREATE TABLE b (id integer PRIMARY KEY, a_id integer NOT NULL REFERENCES a (id), note text);
  CREATE TABLE c (id integer PRIMARY KEY, v text);`;
const MAPPING =
  'tables:\n  a: { columns: { id: integer, name: text } }\n  b: { columns: { id: integer, a_id: integer, note: text } }\n  c: { columns: { id: integer, v: text } }\n';

let my: TestDb;
let pgClean: TestDb;
const pgDbs: TestDb[] = [];
let dir: string;
let pipelineFile: string;
let clean: { work: string; tables: Record<string, string> };

const args = (work: string, pg: TestDb) => [
  '--pipeline',
  pipelineFile,
  '--source',
  my.url,
  '--target',
  pg.url,
  '--work-dir',
  work,
];

beforeAll(async () => {
  [my, pgClean] = await Promise.all([createMysqlDb('faults'), createPgDb('faults')]);
  dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'converge-faults-'));
  const c = await mysql.createConnection({ uri: my.url });
  try {
    for (const ddl of MYSQL_DDL) await c.query(ddl);
    const ids = Array.from({ length: ROWS }, (_, i) => i + 1);
    await c.query('INSERT INTO a VALUES ?', [ids.map((i) => [i, `name ${i}, "quoted"`])]);
    await c.query('INSERT INTO b VALUES ?', [ids.map((i) => [i, ((i * 7) % ROWS) + 1, i % 5 ? `note\n${i}` : null])]);
    await c.query('INSERT INTO c VALUES ?', [ids.map((i) => [i, i % 3 ? `v${i}` : ''])]);
  } finally {
    await c.end();
  }
  await fsp.mkdir(path.join(dir, 'mapping'));
  await fsp.writeFile(path.join(dir, 'mapping', 'mapping.yaml'), MAPPING);
  pipelineFile = path.join(dir, 'pipeline.yaml');
  await fsp.writeFile(
    pipelineFile,
    `name: faults\nsource: { database: ${my.name} }\ntarget: { database: x, migrations: none, tracking: { table: v, style: converge } }\nmapping: mapping\n`,
  );
  await onPg(pgClean, PG_DDL);
  const work = path.join(dir, 'clean');
  for (const cmd of ['export', 'transform', 'import']) {
    const r = await runCli([cmd, ...args(work, pgClean)]);
    if (r.code !== 0) throw new Error(`clean ${cmd} failed: ${r.stderr}`);
  }
  clean = { work, tables: await dump(pgClean) };
}, 120_000);

afterAll(async () => {
  await Promise.all([my, pgClean, ...pgDbs].map((d) => d?.drop().catch(() => undefined)));
  if (dir) await fsp.rm(dir, { recursive: true, force: true });
});

async function onPg(db: TestDb, sql: string): Promise<Array<Record<string, unknown>>> {
  const c = new Client({ connectionString: db.url });
  await c.connect();
  try {
    return (await c.query(sql)).rows;
  } finally {
    await c.end();
  }
}

async function dump(db: TestDb): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const t of TABLES)
    out[t] = String((await onPg(db, `SELECT coalesce(json_agg(t ORDER BY id)::text, '[]') AS j FROM ${t} t`))[0].j);
  return out;
}

async function count(db: TestDb, table: string): Promise<number> {
  return Number((await onPg(db, `SELECT count(*)::int AS n FROM ${table}`))[0].n);
}

/** A stage's output files, table by table, as the manifest lists them (chunks joined in key order). */
async function stageFiles(stageDir: string): Promise<Record<string, string>> {
  const m = JSON.parse(await fsp.readFile(path.join(stageDir, 'manifest.json'), 'utf8')) as {
    tables: Record<string, { file: string; files?: string[] }>;
  };
  const out: Record<string, string> = {};
  for (const [name, t] of Object.entries(m.tables)) {
    const parts = await Promise.all(
      (t.files?.length ? t.files : [t.file]).map((f) => fsp.readFile(path.join(stageDir, f), 'utf8')),
    );
    out[name] = parts.map((p, i) => (i === 0 ? p : p.slice(p.indexOf('\n') + 1))).join('');
  }
  return out;
}

async function freshTarget(): Promise<TestDb> {
  const db = await createPgDb('faults');
  pgDbs.push(db);
  await onPg(db, PG_DDL);
  return db;
}

/** Not a bug, not a hang: one of the expected codes, its exit code, and a message that says what happened where. */
function expectClearFailure(r: { code: number; stderr: string }, codes: string[], message: RegExp): void {
  expect(r.stderr).not.toMatch(/this is a bug|unexpected error/);
  const err = errorLine(r.stderr);
  expect({ code: codes.includes(err?.code ?? '') ? 'expected' : err?.code, stderr: r.stderr.slice(-1500) }).toEqual({
    code: 'expected',
    stderr: r.stderr.slice(-1500),
  });
  expect(r.code).toBe(new ConvergeError(err!.code as ErrorCode, '').exitCode);
  expect(err!.line).toMatch(message);
}

/** The id of a MySQL session of this test's database waiting for a table lock: converge's reader. */
async function waitingMysqlSession(conn: mysql.Connection): Promise<number | undefined> {
  const [rows] = await conn.query(
    "SELECT ID AS id FROM information_schema.PROCESSLIST WHERE DB = ? AND STATE LIKE 'Waiting for %' AND ID <> CONNECTION_ID()",
    [my.name],
  );
  return (rows as Array<{ id: number }>)[0]?.id;
}

async function withMysqlLock<T>(table: string, body: (conn: mysql.Connection) => Promise<T>): Promise<T> {
  const conn = await mysql.createConnection({ uri: my.url });
  try {
    await conn.query(`LOCK TABLES ${table} WRITE`);
    return await body(conn);
  } finally {
    await conn.query('UNLOCK TABLES').catch(() => undefined);
    await conn.end();
  }
}

describe('export', () => {
  test.each(['a', 'c'])(
    'kill -9 while the export waits on table %s, then --resume: files equal a clean export',
    async (locked) => {
      const work = path.join(dir, `export-kill-${locked}`);
      await withMysqlLock(locked, async (conn) => {
        // One worker: no snapshot lock to race with, the export reaches the table and waits there.
        const cli = startCli(['export', '--jobs', '1', ...args(work, pgClean)]);
        await waitFor('the export to block on the locked table', () => waitingMysqlSession(conn));
        cli.child.kill('SIGKILL');
        expect((await cli.done).signal).toBe('SIGKILL');
      });
      expect(await manifestIncomplete(path.join(work, 'export'))).toBe(true);
      await expectManifestHonest(path.join(work, 'export'));
      const again = await runCli(['export', '--resume', ...args(work, pgClean)]);
      expect({ code: again.code, stderr: again.code ? again.stderr : '' }).toEqual({ code: 0, stderr: '' });
      expect(await stageFiles(path.join(work, 'export'))).toEqual(await stageFiles(path.join(clean.work, 'export')));
    },
  );

  test('the MySQL connection killed while two workers wait for the snapshot lock: a connection error, not one worker', async () => {
    const work = path.join(dir, 'export-snapshot-killed');
    const cli = startCli(['export', '--jobs', '2', ...args(work, pgClean)], {}, 30_000);
    await withMysqlLock('b', async (conn) => {
      const id = await waitFor('the snapshot lock to wait on table b', () => waitingMysqlSession(conn));
      await conn.query(`KILL CONNECTION ${Number(id)}`);
    });
    const r = await cli.done;
    expect(r.code).toBe(ExitCode.Connection);
    expectClearFailure(r, ['CONNECT_FAILED'], /connection was lost while opening the consistent snapshot/i);
    expect(r.stderr).not.toMatch(/exporting with one worker/);
  });

  test('the MySQL connection killed mid-export: a clear error naming the table, no hang; --resume then completes', async () => {
    const work = path.join(dir, 'export-conn-killed');
    // Bounded: a CLI still running after 30 s is killed, and fails the exit-code check below.
    // One worker: the snapshot needs no global lock, so the export reaches table b and waits there.
    const cli = startCli(['export', '--jobs', '1', ...args(work, pgClean)], {}, 30_000);
    await withMysqlLock('b', async (conn) => {
      const id = await waitFor('the export to block on table b', () => waitingMysqlSession(conn));
      await conn.query(`KILL CONNECTION ${Number(id)}`);
    });
    const r = await cli.done;
    expect({ signal: r.signal, exit: r.code > 1 }).toEqual({ signal: null, exit: true });
    // A lost connection is a connection error (exit 4), not bad data (exit 5).
    expect(r.code).toBe(ExitCode.Connection);
    expectClearFailure(r, ['CONNECT_FAILED'], /connection was lost while reading table b\b/i);
    expect(await manifestIncomplete(path.join(work, 'export'))).toBe(true);
    await expectManifestHonest(path.join(work, 'export'));
    const again = await runCli(['export', '--resume', ...args(work, pgClean)]);
    expect({ code: again.code, stderr: again.code ? again.stderr : '' }).toEqual({ code: 0, stderr: '' });
    expect(await stageFiles(path.join(work, 'export'))).toEqual(await stageFiles(path.join(clean.work, 'export')));
  }, 90_000);
});

describe('migrate', () => {
  test('the MySQL connection killed mid-migrate: exit 4 naming the table, nothing of it committed; a re-run completes', async () => {
    const work = path.join(dir, 'migrate-conn-killed');
    const pg = await freshTarget();
    const cli = startCli(['migrate', '--no-verify', '--jobs', '1', ...args(work, pg)], {}, 30_000);
    await withMysqlLock('b', async (conn) => {
      const id = await waitFor('the migrate to block on table b', () => waitingMysqlSession(conn));
      await conn.query(`KILL CONNECTION ${Number(id)}`);
    });
    const r = await cli.done;
    expect(r.signal).toBeNull();
    expect(r.code).toBe(ExitCode.Connection);
    expectClearFailure(r, ['CONNECT_FAILED'], /connection was lost while reading table b\b/i);
    expect(await count(pg, 'b')).toBe(0);
    const again = await runCli(['migrate', '--truncate', ...args(work, pg)]);
    expect({ code: again.code, stderr: again.code ? again.stderr : '' }).toEqual({ code: 0, stderr: '' });
    expect(await dump(pg)).toEqual(clean.tables);
  }, 90_000);
});

describe('transform', () => {
  /** The work dir with the clean export, b.csv replaced by a FIFO the test feeds. */
  async function withFifo(name: string): Promise<{ work: string; fifo: string }> {
    const work = path.join(dir, name);
    await fsp.mkdir(work, { mode: 0o700 });
    await fsp.cp(path.join(clean.work, 'export'), path.join(work, 'export'), { recursive: true });
    const fifo = path.join(work, 'export', 'b.csv');
    await fsp.rm(fifo);
    await run('mkfifo', ['-m', '600', fifo]);
    return { work, fifo };
  }

  async function rerunEqualsClean(work: string): Promise<void> {
    await fsp.rm(path.join(work, 'export', 'b.csv'));
    await fsp.copyFile(path.join(clean.work, 'export', 'b.csv'), path.join(work, 'export', 'b.csv'));
    const again = await runCli(['transform', ...args(work, pgClean)]);
    expect({ code: again.code, stderr: again.code ? again.stderr : '' }).toEqual({ code: 0, stderr: '' });
    expect(await stageFiles(path.join(work, 'transform'))).toEqual(
      await stageFiles(path.join(clean.work, 'transform')),
    );
  }

  test('kill -9 between tables (a written, b not yet readable): no complete manifest; a re-run equals a clean run', async () => {
    const { work } = await withFifo('transform-kill-between');
    const cli = startCli(['transform', ...args(work, pgClean)]);
    await waitFor(
      'table a transformed',
      async () => JSON.parse(await fsp.readFile(path.join(work, 'transform', 'manifest.json'), 'utf8')).tables?.a,
    );
    cli.child.kill('SIGKILL');
    expect((await cli.done).signal).toBe('SIGKILL');
    expect(await manifestIncomplete(path.join(work, 'transform'))).toBe(true);
    await expectManifestHonest(path.join(work, 'transform'));
    await rerunEqualsClean(work);
  });

  test('kill -9 in the middle of a table (b half read): no complete manifest; a re-run equals a clean run', async () => {
    const { work, fifo } = await withFifo('transform-kill-mid');
    const cli = startCli(['transform', ...args(work, pgClean)]);
    // Opened read-write so it never blocks and the reader never sees end-of-file.
    const fh = await fsp.open(fifo, 'r+');
    try {
      const full = await fsp.readFile(path.join(clean.work, 'export', 'b.csv'), 'utf8');
      await fh.write(full.slice(0, full.indexOf('\n', full.length >> 1) + 1));
      await waitFor('b being written', () => fsp.stat(path.join(work, 'transform', 'b.csv')).then(() => true));
      cli.child.kill('SIGKILL');
      expect((await cli.done).signal).toBe('SIGKILL');
    } finally {
      await fh.close();
    }
    expect(await manifestIncomplete(path.join(work, 'transform'))).toBe(true);
    await expectManifestHonest(path.join(work, 'transform'));
    await rerunEqualsClean(work);
  });
});

describe('import', () => {
  /** A target whose table is locked (SHARE: reads pass, COPY waits) until the body returns. */
  async function withPgLock<T>(db: TestDb, table: string, body: (lock: Client) => Promise<T>): Promise<T> {
    const lock = new Client({ connectionString: db.url });
    await lock.connect();
    try {
      await lock.query('BEGIN');
      await lock.query(`LOCK TABLE ${table} IN SHARE MODE`);
      return await body(lock);
    } finally {
      await lock.query('ROLLBACK').catch(() => undefined);
      await lock.end();
    }
  }

  /** Polled on its own connection: pg_stat_activity is a snapshot per transaction, and the lock holder is inside one. */
  async function waitingImportBackend(db: TestDb): Promise<number | undefined> {
    const rows = await onPg(
      db,
      `SELECT pid FROM pg_stat_activity WHERE datname = '${db.name}' AND application_name LIKE 'converge import%' AND wait_event_type = 'Lock'`,
    );
    return rows[0]?.pid as number | undefined;
  }

  async function noImportBackend(db: TestDb): Promise<boolean> {
    const rows = await onPg(
      db,
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = '${db.name}' AND application_name LIKE 'converge import%'`,
    );
    return Number(rows[0].n) === 0;
  }

  async function transformedWork(name: string): Promise<string> {
    const work = path.join(dir, name);
    await fsp.mkdir(work, { mode: 0o700 });
    await fsp.cp(path.join(clean.work, 'export'), path.join(work, 'export'), { recursive: true });
    await fsp.cp(path.join(clean.work, 'transform'), path.join(work, 'transform'), { recursive: true });
    return work;
  }

  test.each([
    ['a', 'import --truncate'],
    ['b', 'import --resume'],
  ])(
    'kill -9 while COPY into %s waits: that table holds no row; `%s` then equals a clean run',
    async (locked, rerun) => {
      const db = await freshTarget();
      const work = await transformedWork(`import-kill-${locked}`);
      await withPgLock(db, locked, async () => {
        const cli = startCli(['import', ...args(work, db)]);
        await waitFor(`COPY into ${locked} to wait for the lock`, () => waitingImportBackend(db));
        cli.child.kill('SIGKILL');
        expect((await cli.done).signal).toBe('SIGKILL');
      });
      // The orphaned backend finishes its COPY on a dead socket and rolls back.
      await waitFor('the killed import backend to end', () => noImportBackend(db));
      expect(await count(db, locked)).toBe(0);
      if (locked === 'b') expect(await count(db, 'a')).toBe(ROWS);
      const again = await runCli([...rerun.split(' '), ...args(work, db)]);
      expect({ code: again.code, stderr: again.code ? again.stderr : '' }).toEqual({ code: 0, stderr: '' });
      expect(await dump(db)).toEqual(clean.tables);
    },
  );

  test('the Postgres backend terminated during COPY: a connection error, no partial table; --resume equals a clean run', async () => {
    const db = await freshTarget();
    const work = await transformedWork('import-terminated');
    const cli = startCli(['import', ...args(work, db)], {}, 30_000);
    await withPgLock(db, 'b', async () => {
      const pid = await waitFor('COPY into b to wait for the lock', () => waitingImportBackend(db));
      await onPg(db, `SELECT pg_terminate_backend(${Number(pid)})`);
    });
    const r = await cli.done;
    expect(r.signal).toBeNull();
    expectClearFailure(r, ['CONNECT_FAILED'], /table .*\bb\b.*terminat/i);
    expect(await count(db, 'b')).toBe(0);
    expect(await count(db, 'a')).toBe(ROWS);
    const again = await runCli(['import', '--resume', ...args(work, db)]);
    expect({ code: again.code, stderr: again.code ? again.stderr : '' }).toEqual({ code: 0, stderr: '' });
    expect(await dump(db)).toEqual(clean.tables);
  });
});

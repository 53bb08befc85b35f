import os from 'node:os';
import path from 'node:path';
import { promises as fsp } from 'node:fs';
import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import { Client } from 'pg';
import { createMysqlDb, createPgDb, MYSQL_BASE, PG_BASE, TestDb } from '../helpers/databases';
import { runCli, CliResult } from '../helpers/run-cli';

/**
 * Secrets and hostile identifiers through the built CLI on the real servers: a whole pipeline run
 * with a password in both URLs leaves that password in no output, file or run record; the work
 * directory is private; names with quotes, semicolons and spaces are data, never SQL.
 */
const TOKEN = randomBytes(8).toString('hex');
// Characters a URL must escape, and the token that only the password contains.
const PASSWORD = `pw#/%;'"@:${TOKEN}`;
const USER = `cvt_sec_${randomBytes(3).toString('hex')}`;

let my: TestDb;
let pg: TestDb;
let dir: string;

beforeAll(async () => {
  [my, pg] = await Promise.all([createMysqlDb('secrets'), createPgDb('secrets')]);
  dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'converge-secrets-'));
  const root = await mysql.createConnection({ uri: MYSQL_BASE });
  try {
    for (const host of ['%', 'localhost', '127.0.0.1']) {
      await root.query('CREATE USER ?@? IDENTIFIED BY ?', [USER, host, PASSWORD]);
      await root.query(`GRANT ALL ON \`${my.name}\`.* TO ?@?`, [USER, host]);
    }
  } finally {
    await root.end();
  }
  const admin = new Client({ connectionString: `${PG_BASE}/postgres` });
  await admin.connect();
  try {
    await admin.query(`CREATE ROLE ${USER} LOGIN PASSWORD '${PASSWORD.replace(/'/g, "''")}'`);
    await admin.query(`ALTER DATABASE "${pg.name}" OWNER TO ${USER}`);
  } finally {
    await admin.end();
  }
});

afterAll(async () => {
  await Promise.all([my?.drop(), pg?.drop()].map((p) => p?.catch(() => undefined)));
  const root = await mysql.createConnection({ uri: MYSQL_BASE });
  try {
    for (const host of ['%', 'localhost', '127.0.0.1']) await root.query('DROP USER IF EXISTS ?@?', [USER, host]);
  } finally {
    await root.end();
  }
  const admin = new Client({ connectionString: `${PG_BASE}/postgres` });
  await admin.connect();
  try {
    await admin.query(`DROP ROLE IF EXISTS ${USER}`);
  } finally {
    await admin.end();
  }
  if (dir) await fsp.rm(dir, { recursive: true, force: true });
});

const enc = encodeURIComponent;
const sourceUrl = () => `mysql://${USER}:${enc(PASSWORD)}@127.0.0.1:3306/${my.name}`;
const targetUrl = () => `postgres://${USER}:${enc(PASSWORD)}@127.0.0.1:5432/${pg.name}`;

async function onSource(sql: string[]): Promise<void> {
  const c = await mysql.createConnection({ uri: my.url });
  try {
    for (const s of sql) await c.query(s);
  } finally {
    await c.end();
  }
}

/** As the migration user (trust on loopback), so the tables are its own. */
async function onTarget(sql: string): Promise<Array<Record<string, unknown>>> {
  const url = new URL(`${PG_BASE}/${pg.name}`);
  url.username = USER;
  url.password = '';
  const c = new Client({ connectionString: url.toString() });
  await c.connect();
  try {
    return (await c.query(sql)).rows;
  } finally {
    await c.end();
  }
}

async function pipelineDir(name: string, mapping: string): Promise<{ args: string[]; work: string }> {
  const d = path.join(dir, name);
  await fsp.mkdir(path.join(d, 'mapping'), { recursive: true });
  await fsp.writeFile(path.join(d, 'mapping', 'mapping.yaml'), mapping);
  await fsp.writeFile(
    path.join(d, 'pipeline.yaml'),
    `name: ${name}\nsource: { database: ${my.name} }\ntarget: { database: ${pg.name}, migrations: none, tracking: { table: v, style: converge } }\nmapping: mapping\n`,
  );
  const work = path.join(d, 'work');
  return {
    args: [
      '--pipeline',
      path.join(d, 'pipeline.yaml'),
      '--source',
      sourceUrl(),
      '--target',
      targetUrl(),
      '--work-dir',
      work,
    ],
    work,
  };
}

async function filesUnder(d: string): Promise<Array<{ path: string; dir: boolean; mode: number }>> {
  const out: Array<{ path: string; dir: boolean; mode: number }> = [];
  for (const e of await fsp.readdir(d, { withFileTypes: true })) {
    const p = path.join(d, e.name);
    const st = await fsp.stat(p);
    out.push({ path: p, dir: e.isDirectory(), mode: st.mode & 0o777 });
    if (e.isDirectory()) out.push(...(await filesUnder(p)));
  }
  return out;
}

/** Every place a secret could leak to: the needle in any form a URL or JSON could give it. */
function leaks(haystack: string): string[] {
  const forms = [PASSWORD, enc(PASSWORD), JSON.stringify(PASSWORD).slice(1, -1), TOKEN];
  return forms.filter((f) => haystack.includes(f));
}

describe('secrets', () => {
  const outputs: Array<{ what: string; r: CliResult }> = [];
  let work: string;

  beforeAll(async () => {
    await onSource([
      'CREATE TABLE parent (id INT NOT NULL PRIMARY KEY, name VARCHAR(40))',
      'CREATE TABLE child (id INT NOT NULL PRIMARY KEY, parent_id INT NOT NULL, note TEXT)',
      "INSERT INTO parent VALUES (1, 'one'), (2, 'two')",
      "INSERT INTO child VALUES (1, 1, 'a'), (2, 2, NULL)",
    ]);
    await onTarget(
      'CREATE TABLE parent (id integer PRIMARY KEY, name text); CREATE TABLE child (id integer PRIMARY KEY, parent_id integer NOT NULL REFERENCES parent (id), note text)',
    );
    const p = await pipelineDir(
      'secrets',
      'tables:\n  parent: { columns: { id: integer, name: text } }\n  child: { columns: { id: integer, parent_id: integer, note: text } }\n',
    );
    work = p.work;
    const env = { CONVERGE_LOG_LEVEL: 'debug' };
    for (const cmd of [['export'], ['transform'], ['import', '--verify'], ['verify'], ['import'], ['env']]) {
      outputs.push({ what: cmd.join(' '), r: await runCli([...cmd, ...p.args], env) });
    }
  });

  test('the pipeline ran (so the scan below saw real output), and the refused re-import failed cleanly', () => {
    expect(outputs.slice(0, 4).map((o) => [o.what, o.r.code])).toEqual([
      ['export', 0],
      ['transform', 0],
      ['import --verify', 0],
      ['verify', 0],
    ]);
    expect(outputs[4].r.code).toBe(9);
    expect(outputs[4].r.stderr).toContain('TARGET_NOT_EMPTY');
  });

  test('no stdout, stderr or log line holds the password', () => {
    for (const { what, r } of outputs) {
      expect({ what, leaks: leaks(r.stdout + r.stderr) }).toEqual({ what, leaks: [] });
    }
  });

  test('no file in the work directory (manifests, CSVs, reports, events) holds it', async () => {
    const files = (await filesUnder(work)).filter((f) => !f.dir);
    expect(files.map((f) => path.basename(f.path))).toContain('manifest.json');
    // The manifest does say where the data came from: the user and host, without the password.
    expect(await fsp.readFile(path.join(work, 'export', 'manifest.json'), 'utf8')).toContain(`${USER}@127.0.0.1`);
    for (const f of files) {
      const text = await fsp.readFile(f.path, 'utf8');
      expect({ file: f.path, leaks: leaks(text) }).toEqual({ file: f.path, leaks: [] });
    }
  });

  test('no run record on the target holds it', async () => {
    const tables = await onTarget("SELECT table_name FROM information_schema.tables WHERE table_schema = 'converge'");
    expect(tables.length).toBeGreaterThan(0);
    let rows = 0;
    for (const t of tables) {
      const dump = await onTarget(
        `SELECT t::text AS row FROM converge."${String(t.table_name).replace(/"/g, '""')}" t`,
      );
      rows += dump.length;
      for (const r of dump)
        expect({ table: t.table_name, leaks: leaks(String(r.row)) }).toEqual({ table: t.table_name, leaks: [] });
    }
    expect(rows).toBeGreaterThan(0);
  });

  test('the work directory and every directory in it is 0700, every file 0600', async () => {
    expect((await fsp.stat(work)).mode & 0o777).toBe(0o700);
    for (const f of await filesUnder(work)) {
      expect({ path: f.path, mode: f.mode.toString(8) }).toEqual({ path: f.path, mode: f.dir ? '700' : '600' });
    }
  });
});

describe('identifiers with quotes, semicolons and spaces', () => {
  // Each would end a quoted identifier or a statement if it were pasted into SQL unquoted.
  const TABLE = `o'dd\`"; DROP TABLE canary; --`;
  const COL = `n"a'me; DROP TABLE canary`;
  const SPACED = 'with space';

  test('are quoted on both ends, never executed, and the rows arrive', async () => {
    const my1 = (s: string) => '`' + s.replace(/`/g, '``') + '`';
    const pg1 = (s: string) => '"' + s.replace(/"/g, '""') + '"';
    await onSource([
      'CREATE TABLE canary (id INT PRIMARY KEY)',
      `CREATE TABLE ${my1(TABLE)} (id INT NOT NULL PRIMARY KEY, ${my1(COL)} VARCHAR(40), ${my1(SPACED)} TEXT)`,
      `INSERT INTO ${my1(TABLE)} VALUES (1, 'x; DROP TABLE canary', 'a b'), (2, NULL, '"q"')`,
      'INSERT INTO canary VALUES (1)',
    ]);
    await onTarget(`CREATE TABLE canary (id integer PRIMARY KEY); INSERT INTO canary VALUES (1);
      CREATE TABLE ${pg1(TABLE)} (id integer PRIMARY KEY, ${pg1(COL)} text, ${pg1(SPACED)} text)`);
    const y = JSON.stringify;
    const mapping = `tables:\n  canary: skip\n  parent: skip\n  child: skip\n  ${y(TABLE)}:\n    columns:\n      id: integer\n      ${y(COL)}: text\n      ${y(SPACED)}: { type: text, to: ${y(SPACED)} }\n`;
    const p = await pipelineDir('identifiers', mapping);
    for (const cmd of [['export'], ['transform'], ['import', '--verify']]) {
      const r = await runCli([...cmd, ...p.args]);
      expect({ cmd: cmd[0], code: r.code, stderr: r.code ? r.stderr.slice(-2000) : '' }).toEqual({
        cmd: cmd[0],
        code: 0,
        stderr: '',
      });
    }
    const rows = await onTarget(`SELECT id, ${pg1(COL)} AS c, ${pg1(SPACED)} AS s FROM ${pg1(TABLE)} ORDER BY id`);
    expect(rows).toEqual([
      { id: 1, c: 'x; DROP TABLE canary', s: 'a b' },
      { id: 2, c: null, s: '"q"' },
    ]);
    expect(await onTarget('SELECT count(*)::int AS n FROM canary')).toEqual([{ n: 1 }]);
    const c = await mysql.createConnection({ uri: my.url });
    try {
      const [r] = await c.query('SELECT count(*) AS n FROM canary');
      expect(Number((r as Array<{ n: number }>)[0].n)).toBe(1);
    } finally {
      await c.end();
    }
  });
});

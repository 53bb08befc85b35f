import os from 'node:os';
import path from 'node:path';
import { promises as fsp } from 'node:fs';
import mysql from 'mysql2/promise';
import { Client } from 'pg';
import { createMysqlDb, createPgDb, TestDb } from '../helpers/databases';
import { runCli } from '../helpers/run-cli';
import { ExitCode } from '../../src/core/exit-codes';

/**
 * Fail-fast on bad data, through the CLI an operator runs: each case must name table, CSV line
 * and column, exit non-zero, and leave no row of that table in Postgres.
 */
const MYSQL_DDL = [
  "CREATE TABLE parent (id CHAR(36) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL PRIMARY KEY, kind ENUM('a','b','c') NOT NULL, note TEXT)",
  'CREATE TABLE child (id INT NOT NULL PRIMARY KEY, parent_id CHAR(36) NOT NULL, note VARCHAR(20))',
];
const PG_DDL = `
  CREATE TABLE parent (id uuid PRIMARY KEY, kind text NOT NULL CHECK (kind IN ('A','B')), note text);
  CREATE TABLE child (id integer PRIMARY KEY, parent_id uuid NOT NULL REFERENCES parent (id), note text);`;
const MAPPING = `version: 1
tables:
  parent:
    columns:
      id: uuid
      kind: { type: enum, map: { a: A, b: B } }
      note: text
  child:
    columns:
      id: integer
      parent_id: uuid
      note: text
`;

interface Case {
  my: TestDb;
  pg: TestDb;
  dir: string;
  args: string[];
}

const cases: Case[] = [];

async function scenario(rows: {
  parent: Array<[string, string, string | null]>;
  child: Array<[number, string, string | null]>;
}): Promise<Case> {
  const my = await createMysqlDb('ff');
  const pg = await createPgDb('ff');
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'converge-ff-'));
  const c: Case = { my, pg, dir, args: [] };
  cases.push(c);
  const conn = await mysql.createConnection({ uri: my.url });
  try {
    for (const ddl of MYSQL_DDL) await conn.query(ddl);
    if (rows.parent.length) await conn.query('INSERT INTO parent (id, kind, note) VALUES ?', [rows.parent]);
    await conn.query('SET foreign_key_checks = 0');
    if (rows.child.length) await conn.query('INSERT INTO child (id, parent_id, note) VALUES ?', [rows.child]);
  } finally {
    await conn.end();
  }
  const p = new Client({ connectionString: pg.url });
  await p.connect();
  await p.query(PG_DDL);
  await p.end();
  await fsp.mkdir(path.join(dir, 'mapping'));
  await fsp.writeFile(path.join(dir, 'mapping', 'mapping.yaml'), MAPPING);
  await fsp.writeFile(
    path.join(dir, 'pipeline.yaml'),
    `name: failfast\nsource: { database: ${my.name} }\ntarget: { database: ${pg.name}, migrations: none, tracking: { table: v, style: converge } }\nmapping: mapping\n`,
  );
  c.args = [
    '--pipeline',
    path.join(dir, 'pipeline.yaml'),
    '--source',
    my.url,
    '--target',
    pg.url,
    '--work-dir',
    path.join(dir, 'work'),
  ];
  return c;
}

async function pgCount(c: Case, table: string): Promise<number> {
  const p = new Client({ connectionString: c.pg.url });
  await p.connect();
  try {
    return Number((await p.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n);
  } finally {
    await p.end();
  }
}

async function throughImport(c: Case) {
  const ex = await runCli(['export', ...c.args]);
  expect(ex.code).toBe(0);
  const tr = await runCli(['transform', ...c.args]);
  if (tr.code !== 0) return { stage: 'transform', ...tr };
  const im = await runCli(['import', ...c.args]);
  return { stage: 'import', ...im };
}

const P1 = '6f1c1b59-3c55-4c8f-9d1e-2a7b8c9d0e1f';
const P2 = '7a2d2c6a-4d66-4d90-8e2f-3b8c9d0e1f20';

afterAll(async () => {
  for (const c of cases) {
    await c.my.drop().catch(() => undefined);
    await c.pg.drop().catch(() => undefined);
    await fsp.rm(c.dir, { recursive: true, force: true });
  }
});

describe('fail-fast on bad data (CLI, real servers)', () => {
  it('an enum value missing from the map: names table, CSV line, column and value', async () => {
    const c = await scenario({
      parent: [
        [P1, 'a', 'first\nline two'],
        [P2, 'c', null],
      ],
      child: [],
    });
    const r = await throughImport(c);
    expect(r.stage).toBe('transform');
    expect(r.code).toBe(ExitCode.BadData);
    expect(r.stderr).toContain('ENUM_UNMAPPED');
    expect(r.stderr).toContain('table parent');
    // header is line 1, the first record spans lines 2-3, so the bad record starts on line 4
    expect(r.stderr).toContain('CSV line 4');
    expect(r.stderr).toContain('column kind');
    expect(r.stderr).toContain('"c"');
    expect(await pgCount(c, 'parent')).toBe(0);
  });

  it('an invalid UUID: names table, CSV line and column', async () => {
    const c = await scenario({
      parent: [
        [P1, 'a', null],
        ['not-a-uuid-at-all', 'b', null],
      ],
      child: [],
    });
    const r = await throughImport(c);
    expect(r.stage).toBe('transform');
    expect(r.code).toBe(ExitCode.BadData);
    expect(r.stderr).toContain('UUID_INVALID');
    expect(r.stderr).toMatch(/table parent, CSV line \d+, column id/);
    expect(await pgCount(c, 'parent')).toBe(0);
  });

  it('a row whose FK has no parent: the load of that table is rolled back, constraint and row named', async () => {
    const c = await scenario({
      parent: [[P1, 'a', null]],
      child: [
        [1, P1, 'ok'],
        [2, P2, 'orphan'],
      ],
    });
    const r = await throughImport(c);
    expect(r.stage).toBe('import');
    expect(r.code).toBe(ExitCode.LoadRejected);
    expect(r.stderr).toContain('LOAD_REJECTED');
    expect(r.stderr).toContain('table child');
    expect(r.stderr).toContain('CSV line 3');
    expect(r.stderr).toContain('column parent_id');
    expect(r.stderr).toContain('constraint child_parent_id_fkey');
    expect(r.stderr).toContain('orphan');
    expect(await pgCount(c, 'parent')).toBe(1);
    expect(await pgCount(c, 'child')).toBe(0);
  });

  it('a duplicate key (two ids equal only after lower-casing): table rolled back, line named', async () => {
    const c = await scenario({
      parent: [
        [P1, 'a', null],
        [P1.toUpperCase(), 'b', null],
      ],
      child: [],
    });
    const r = await throughImport(c);
    expect(r.stage).toBe('import');
    expect(r.code).toBe(ExitCode.LoadRejected);
    expect(r.stderr).toContain('duplicate key');
    expect(r.stderr).toContain('table parent');
    expect(r.stderr).toMatch(/CSV line [23]/);
    expect(r.stderr).toContain('constraint parent_pkey');
    expect(await pgCount(c, 'parent')).toBe(0);
  });

  it('refuses a non-empty target table unless --truncate', async () => {
    const c = await scenario({ parent: [[P1, 'a', null]], child: [] });
    const p = new Client({ connectionString: c.pg.url });
    await p.connect();
    await p.query(`INSERT INTO parent VALUES ('${P2}', 'B', 'already here')`);
    await p.end();
    const r = await throughImport(c);
    expect(r.code).toBe(ExitCode.TargetState);
    expect(r.stderr).toContain('TARGET_NOT_EMPTY');
    const again = await runCli(['import', '--truncate', ...c.args]);
    expect(again.stderr).not.toContain('unexpected error');
    expect(again.code).toBe(0);
    expect(await pgCount(c, 'parent')).toBe(1);
  });

  describe('a NOT NULL target column nothing feeds is refused before the first row', () => {
    const addUnfed = async (c: Case) => {
      const p = new Client({ connectionString: c.pg.url });
      await p.connect();
      try {
        await p.query('ALTER TABLE child ADD COLUMN rank integer NOT NULL');
      } finally {
        await p.end();
      }
    };
    const csvFiles = async (dir: string) =>
      (await fsp.readdir(dir).catch(() => [] as string[])).filter((f) => f.endsWith('.csv'));

    it('by transform, from the columns the export recorded and the target catalog', async () => {
      const c = await scenario({ parent: [[P1, 'a', null]], child: [[1, P1, null]] });
      expect((await runCli(['export', ...c.args])).code).toBe(0);
      await addUnfed(c);
      const r = await runCli(['transform', ...c.args]);
      expect(r.code).toBe(ExitCode.BadConfig);
      expect(r.stderr).toMatch(/MAPPING_INVALID: .*not-null-unfed/s);
      expect(r.stderr).toContain('child.rank is NOT NULL with no default and nothing feeds it');
      expect(await csvFiles(path.join(c.dir, 'work', 'transform'))).toEqual([]);
    });

    it('by import, from the transformed files and the target catalog: no table is loaded', async () => {
      const c = await scenario({ parent: [[P1, 'a', null]], child: [[1, P1, null]] });
      expect((await runCli(['export', ...c.args])).code).toBe(0);
      expect((await runCli(['transform', ...c.args])).code).toBe(0);
      await addUnfed(c);
      const r = await runCli(['import', ...c.args]);
      expect(r.code).toBe(ExitCode.BadConfig);
      expect(r.stderr).toContain('MAPPING_INVALID: table public.child, column rank');
      expect(r.stderr).toContain(
        'target table public.child: NOT NULL column(s) rank have no default and the transformed files do not feed them',
      );
      // parent comes first in foreign-key order: it was not loaded either.
      expect(await pgCount(c, 'parent')).toBe(0);
    });
  });
});

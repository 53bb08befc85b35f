import os from 'node:os';
import path from 'node:path';
import { promises as fsp } from 'node:fs';
import mysql from 'mysql2/promise';
import { Client } from 'pg';
import { parseConnectionUrl } from '../../src/core/connection-url';
import { ConvergeError } from '../../src/core/errors';
import { loadPipeline } from '../../src/pipeline/load-pipeline';
import { runMigrate } from '../../src/migrate/run-migrate';
import { createMysqlDb, createPgDb, TestDb } from '../helpers/databases';
import { quietLog } from '../helpers/pipeline-fixture';

/**
 * A table's plain indexes are dropped in its transaction before the COPY and built again after
 * the rows (src/target/postgres/load/deferred-indexes.ts). What must hold: after a good load
 * every index is back, the same; after a failure anywhere in the table the table is as before,
 * with the very same indexes (same objects: the drop was rolled back, not redone); indexes
 * that guard the data (unique, expression, partial) are never dropped, so COPY still refuses a
 * duplicate at its row.
 */
const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
});

const PARENT = '6f1c1b59-3c55-4c8f-9d1e-2a7b8c9d0e1f';
const PG_DDL = `
  CREATE TABLE parent (id uuid PRIMARY KEY, note text);
  CREATE TABLE child (
    id integer PRIMARY KEY,
    parent_id uuid NOT NULL REFERENCES parent (id),
    code integer NOT NULL,
    note text CHECK (note IS DISTINCT FROM 'refused'));
  CREATE INDEX child_parent ON child (parent_id);
  CREATE INDEX child_note_code ON child USING btree (note DESC, code) WITH (fillfactor = 70);
  CREATE UNIQUE INDEX child_code_unique ON child (code);
  CREATE INDEX child_lower_note ON child (lower(left(note, 40)));
  CREATE INDEX child_partial ON child (code) WHERE code > 10;`;
const MAPPING =
  'version: 1\ntables:\n  parent:\n    columns: { id: uuid, note: text }\n  child:\n    columns: { id: integer, parent_id: uuid, code: integer, note: text }\n';

type ChildRow = [number, string, number, string | null];

async function scenario(children: ChildRow[]) {
  const my = await createMysqlDb('defidx');
  const pg: TestDb = await createPgDb('defidx');
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'converge-defidx-'));
  cleanups.push(async () => {
    await my.drop();
    await pg.drop();
    await fsp.rm(dir, { recursive: true, force: true });
  });
  const conn = await mysql.createConnection({ uri: my.url });
  try {
    await conn.query('CREATE TABLE parent (id CHAR(36) NOT NULL PRIMARY KEY, note TEXT)');
    await conn.query(
      'CREATE TABLE child (id INT NOT NULL PRIMARY KEY, parent_id CHAR(36) NOT NULL, code INT NOT NULL, note MEDIUMTEXT)',
    );
    await conn.query('INSERT INTO parent (id, note) VALUES ?', [[[PARENT, 'p']]]);
    for (let i = 0; i < children.length; i += 500)
      await conn.query('INSERT INTO child (id, parent_id, code, note) VALUES ?', [children.slice(i, i + 500)]);
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
    `name: defidx\nsource: { database: ${my.name} }\ntarget: { database: ${pg.name}, migrations: none, tracking: { table: v, style: converge } }\nmapping: mapping\n`,
  );
  const pipeline = await loadPipeline(path.join(dir, 'pipeline.yaml'));
  const migrate = () =>
    runMigrate({
      pipeline,
      source: parseConnectionUrl(my.url, 'mysql', 'source'),
      target: parseConnectionUrl(pg.url, 'postgres', 'target'),
      workDir: path.join(dir, 'work'),
      mappingDir: path.join(dir, 'mapping'),
      log: quietLog,
      jobs: 2,
      verify: false,
    });
  return { pg, migrate };
}

/** The child table's indexes: name, definition and the object's identity (oid). */
async function indexes(db: TestDb): Promise<Array<{ name: string; def: string; oid: number; valid: boolean }>> {
  const p = new Client({ connectionString: db.url });
  await p.connect();
  try {
    const { rows } = await p.query(
      `SELECT i.relname AS name, pg_get_indexdef(x.indexrelid) AS def, x.indexrelid::int AS oid, x.indisvalid AS valid
         FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid WHERE x.indrelid = 'child'::regclass ORDER BY 1`,
    );
    return rows;
  } finally {
    await p.end();
  }
}

async function query<T>(db: TestDb, sql: string): Promise<T[]> {
  const p = new Client({ connectionString: db.url });
  await p.connect();
  try {
    return (await p.query(sql)).rows as T[];
  } finally {
    await p.end();
  }
}

const rows = (n: number, note: (i: number) => string | null = (i) => `note ${i % 37}`): ChildRow[] =>
  Array.from({ length: n }, (_, k) => [k + 1, PARENT, k + 1, note(k + 1)]);

async function rejected(p: Promise<unknown>): Promise<ConvergeError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ConvergeError) return e;
    throw e;
  }
  throw new Error('the migrate succeeded, a failure was expected');
}

describe('plain indexes built after the rows, in the table transaction', () => {
  it('after a good load every index is back with the same definition, valid, and holds every row', async () => {
    const s = await scenario(rows(3000));
    const before = await indexes(s.pg);
    await s.migrate();
    const after = await indexes(s.pg);
    expect(after.map((i) => [i.name, i.def, i.valid])).toEqual(before.map((i) => [i.name, i.def, true]));
    // The plain ones were rebuilt (new objects); those that guard data were never touched.
    const rebuilt = after.filter((a) => before.find((b) => b.name === a.name)!.oid !== a.oid).map((i) => i.name);
    expect(rebuilt.sort()).toEqual(['child_note_code', 'child_parent']);
    // The rebuilt index answers from its own entries: every row is in it.
    const p = new Client({ connectionString: s.pg.url });
    await p.connect();
    try {
      await p.query('SET enable_seqscan = off');
      await p.query('SET enable_bitmapscan = off');
      const sql = `SELECT count(*) AS n FROM child WHERE parent_id = '${PARENT}'`;
      const plan = (await p.query(`EXPLAIN ${sql}`)).rows.map((r) => String(r['QUERY PLAN'])).join('\n');
      expect(plan).toContain('child_parent');
      expect(Number((await p.query(sql)).rows[0].n)).toBe(3000);
    } finally {
      await p.end();
    }
    const [{ n: all }] = await query<{ n: string }>(s.pg, 'SELECT count(*) AS n FROM child');
    expect(Number(all)).toBe(3000);
  });

  it('a row refused mid-table: the table is empty and its indexes are the very same objects as before', async () => {
    const s = await scenario(rows(3000, (i) => (i === 2500 ? 'refused' : `note ${i}`)));
    const before = await indexes(s.pg);
    const e = await rejected(s.migrate());
    expect(e.code).toBe('LOAD_REJECTED');
    expect(e.context).toMatchObject({ table: 'child', constraint: 'child_note_check' });
    expect(e.message).toContain('id = "2500"');
    expect(await indexes(s.pg)).toEqual(before);
    const [{ n }] = await query<{ n: string }>(s.pg, 'SELECT count(*) AS n FROM child');
    expect(Number(n)).toBe(0);
  });

  it('a duplicate is still refused by COPY at its row: unique indexes stay during the load', async () => {
    const dup = rows(3000).map((r): ChildRow => (r[0] === 1700 ? [1700, PARENT, 5, 'dup'] : r));
    const s = await scenario(dup);
    const before = await indexes(s.pg);
    const e = await rejected(s.migrate());
    expect(e.code).toBe('LOAD_REJECTED');
    expect(e.context).toMatchObject({ table: 'child', constraint: 'child_code_unique' });
    expect(e.message).toContain('id = "1700"');
    expect(await indexes(s.pg)).toEqual(before);
  });

  it('a value too large for a rebuilt index: refused with the index and the row, table and indexes as before', async () => {
    // Incompressible text well past a btree entry's limit (about 2.7 kB): only the build after the rows sees it.
    const big = Array.from({ length: 400 }, (_, i) =>
      require('node:crypto').createHash('md5').update(String(i)).digest('hex'),
    ).join('');
    const s = await scenario(rows(3000, (i) => (i === 2222 ? big : `note ${i}`)));
    const before = await indexes(s.pg);
    const e = await rejected(s.migrate());
    expect(`${e.code}: ${e.message}`).toMatch(/^LOAD_REJECTED: /);
    expect(e.context).toMatchObject({ table: 'child', index: 'child_note_code', row: { id: '2222' } });
    expect(await indexes(s.pg)).toEqual(before);
    const [{ n }] = await query<{ n: string }>(s.pg, 'SELECT count(*) AS n FROM child');
    expect(Number(n)).toBe(0);
  });
});

import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { Client } from 'pg';
import { ExitCode } from '../../src/core/exit-codes';
import { createMysqlDb, createPgDb, TestDb } from '../helpers/databases';
import { runCli } from '../helpers/run-cli';

/**
 * verify pushed into both databases finds a difference in a table too big to fetch: sums of key
 * segments are compared, the differing segment is split again (integer key ranges over several
 * levels; hash buckets of a uuid key), and only the last small segment's rows are fetched and
 * shown with their key and column. Also a JSON value (hashed on the stream through the mapping)
 * and rows missing or extra.
 */

const ROWS = 60_000;
const UUID_ROWS = 20_000;
const suffix = randomBytes(3).toString('hex');
const ints = `bi_${suffix}`;
const uuids = `bu_${suffix}`;
const mapped = `bm_${suffix}`;

let my: TestDb;
let pgDb: TestDb;
let dir: string;
let pg: Client;
let args: string[];

beforeAll(async () => {
  my = await createMysqlDb('vbisect');
  pgDb = await createPgDb('vbisect');
  dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'converge-vbisect-'));
  const conn = await mysql.createConnection({ uri: my.url });
  try {
    // Columns in an order the code never saw, a key that is not the first column.
    await conn.query(
      `CREATE TABLE ${ints} (label VARCHAR(40) NOT NULL, doc JSON NULL, id BIGINT NOT NULL PRIMARY KEY, at DATETIME(6) NOT NULL, amount DECIMAL(12,3) NULL)`,
    );
    await conn.query(
      `INSERT INTO ${ints} SELECT CONCAT('row ', seq, IF(seq % 3 = 0, ' é', '')), IF(seq % 5 = 0, NULL, JSON_OBJECT('n', seq, 'tag', CONCAT('t', seq % 7), 'half', seq / 2)), seq * 3, '2020-01-01' + INTERVAL seq * 7 SECOND + INTERVAL seq MICROSECOND, IF(seq % 4 = 0, NULL, seq / 8) FROM seq_1_to_${ROWS}`,
    );
    await conn.query(`CREATE TABLE ${uuids} (v INT NULL, id CHAR(36) NOT NULL PRIMARY KEY)`);
    await conn.query(
      `INSERT INTO ${uuids} SELECT seq, CONCAT(SUBSTR(h, 1, 8), '-', SUBSTR(h, 9, 4), '-', SUBSTR(h, 13, 4), '-', SUBSTR(h, 17, 4), '-', SUBSTR(h, 21, 12)) FROM (SELECT seq, MD5(seq) AS h FROM seq_1_to_${UUID_ROWS}) s`,
    );
    // Mappings SQL does not mirror: a regex, a case change, a zone, added columns.
    await conn.query(
      `CREATE TABLE ${mapped} (code VARCHAR(20) NULL, id INT NOT NULL PRIMARY KEY, first VARCHAR(20) NOT NULL, name VARCHAR(40) NULL, last VARCHAR(20) NULL, at DATETIME NOT NULL)`,
    );
    await conn.query(
      `INSERT INTO ${mapped} SELECT CONCAT('a-', seq, '-b'), seq, CONCAT('F', seq), IF(seq % 9 = 0, NULL, CONCAT('Name ', seq, ' é')), IF(seq % 10 = 0, NULL, 'Last'), '2024-04-01 00:30:00' + INTERVAL seq MINUTE FROM seq_1_to_3000`,
    );
  } finally {
    await conn.end();
  }
  pg = new Client({ connectionString: pgDb.url });
  await pg.connect();
  await pg.query(
    `CREATE TABLE ${ints} (amount numeric(12,3), id bigint PRIMARY KEY, label text NOT NULL, at timestamp(6) NOT NULL, doc jsonb)`,
  );
  await pg.query(`CREATE TABLE ${uuids} (id uuid PRIMARY KEY, v integer)`);
  await pg.query(
    `CREATE TABLE ${mapped} (full_name text, id integer PRIMARY KEY, code text, name text, first text NOT NULL, last text, at timestamptz NOT NULL, source_system text)`,
  );
  await fsp.mkdir(path.join(dir, 'mapping'));
  await fsp.writeFile(
    path.join(dir, 'mapping', 'mapping.yaml'),
    `version: 1\ntables:\n  ${ints}:\n    columns:\n      id: integer\n      label: text\n      doc: jsonb\n      at: timestamp\n      amount: numeric\n  ${uuids}:\n    columns:\n      id: uuid\n      v: integer\n  ${mapped}:\n    columns:\n      id: integer\n      code: { type: text, replace: { pattern: '-', with: '_' } }\n      name: { type: text, case: upper }\n      first: text\n      last: text\n      at: { type: timestamp, timezone: Europe/Berlin }\n    add:\n      source_system: { constant: mysql }\n      full_name: { concat: [first, last], separator: ' ' }\n`,
  );
  await fsp.writeFile(
    path.join(dir, 'pipeline.yaml'),
    `name: vbisect\nsource: { database: ${my.name} }\ntarget: { database: ${pgDb.name}, migrations: none, tracking: { table: v, style: converge } }\nmapping: mapping\n`,
  );
  args = ['--pipeline', path.join(dir, 'pipeline.yaml'), '--source', my.url, '--target', pgDb.url];
  args.push('--work-dir', path.join(dir, 'work'));
  const r = await runCli(['migrate', '--keep-files', ...args], {}, 300_000);
  if (r.code !== 0) throw new Error(`migrate failed (${r.code}): ${(r.stdout + r.stderr).slice(-2000)}`);
}, 400_000);

afterAll(async () => {
  await pg?.end().catch(() => undefined);
  await my?.drop().catch(() => undefined);
  await pgDb?.drop().catch(() => undefined);
  if (dir) await fsp.rm(dir, { recursive: true, force: true });
});

interface Paths {
  mode: string;
  sql: string[];
  stream: string[];
  segments: number;
  falseAlarms: number;
}

/** Each table's log line: how it was compared. */
function pathsOf(out: string): Map<string, Paths> {
  const m = new Map<string, Paths>();
  for (const l of out.split('\n'))
    if (/"msg":"table (verified|differs)"/.test(l)) {
      const j = JSON.parse(l) as { table: string; paths: Paths };
      m.set(j.table, j.paths);
    }
  return m;
}

/** Runs verify with the target changed by `change`, then puts it back with `undo`. */
async function verifyWith(change: string, undo: string): Promise<{ out: string; paths: Map<string, Paths> }> {
  await pg.query(change);
  try {
    const r = await runCli(['verify', ...args], {}, 300_000);
    const out = (r.stdout + r.stderr).replace(/\\"/g, '"');
    expect({ change, code: r.code }).toEqual({ change, code: ExitCode.VerifyFailed });
    return { out, paths: pathsOf(r.stdout + r.stderr) };
  } finally {
    await pg.query(undo);
  }
}

test('the loaded tables verify in both databases, with the JSON column hashed on the stream', async () => {
  const r = await runCli(['verify', ...args], {}, 300_000);
  expect({ code: r.code, out: r.code ? (r.stdout + r.stderr).slice(-2000) : '' }).toEqual({ code: 0, out: '' });
  const p = pathsOf(r.stdout + r.stderr);
  expect(p.get(ints)).toMatchObject({ mode: 'range', stream: ['doc'], falseAlarms: 0 });
  expect(p.get(ints)!.sql.sort()).toEqual(['amount', 'at', 'id', 'label']);
  expect(p.get(uuids)).toMatchObject({ mode: 'hash', stream: [], sql: ['id', 'v'], falseAlarms: 0 });
  expect(r.stdout).toMatch(new RegExp(`${ints}: doc\\n`));
  // A regex, a case change, a time zone and added columns go through the table program.
  expect(p.get(mapped)).toMatchObject({ mode: 'range', sql: ['id', 'first', 'last'], falseAlarms: 0 });
  expect(p.get(mapped)!.stream.sort()).toEqual(['at', 'code', 'full_name', 'name', 'source_system']);
  expect(r.stdout).toMatch(new RegExp(`${mapped}: code, name, at, source_system, full_name\\n`));
}, 300_000);

test('one changed value deep in a big table is found through several levels of key ranges', async () => {
  const { out, paths } = await verifyWith(
    `UPDATE ${ints} SET label = label || '!' WHERE id = 123456`,
    `UPDATE ${ints} SET label = rtrim(label, '!') WHERE id = 123456`,
  );
  expect(out).toMatch(/row id=123456 differs in: label(?![\w,])/);
  // The range fetched holds a few hundred keys of the 180,000 the table spans.
  const m = /first differing key range: id in \[(\d+), (\d+)\)/.exec(out);
  expect(m).not.toBeNull();
  const [lo, hi] = [Number(m![1]), Number(m![2])];
  expect(lo <= 123456 && 123456 < hi && hi - lo < 3000).toBe(true);
  // The table's one top range, its 16 parts, and 16 parts of the part that differed.
  expect(paths.get(ints)!.segments).toBeGreaterThanOrEqual(33);
  expect(paths.get(uuids)).toMatchObject({ segments: 256 });
}, 300_000);

test('a JSON key renamed (a streamed column) is reported with its key and column', async () => {
  const { out } = await verifyWith(
    `UPDATE ${ints} SET doc = doc - 'tag' || jsonb_build_object('Tag', doc->'tag') WHERE id = 3003`,
    `UPDATE ${ints} SET doc = doc - 'Tag' || jsonb_build_object('tag', doc->'Tag') WHERE id = 3003`,
  );
  expect(out).toMatch(/row id=3003 differs in: doc(?![\w,])/);
}, 300_000);

test('a missing row is found in its hash bucket of a uuid key, an extra row in its key range', async () => {
  const [{ id }] = (await pg.query(`SELECT id::text FROM ${uuids} WHERE v = 777`)).rows;
  await pg.query(`CREATE TEMP TABLE keep AS SELECT * FROM ${uuids} WHERE v = 777`);
  const missing = await verifyWith(
    `DELETE FROM ${uuids} WHERE v = 777`,
    `INSERT INTO ${uuids} SELECT * FROM keep; DROP TABLE keep`,
  );
  expect(missing.out).toMatch(new RegExp(`differing key hash bucket [0-9a-f]+ of 256\\^1 \\(id\\)`));
  expect(missing.out).toMatch(new RegExp(`source only: \\{[^}]*"id":"${id}"`));
  expect(missing.out).toMatch(/row count: target has 19999, source \(after mapping\) has 20000/);
  const extra = await verifyWith(
    `INSERT INTO ${ints} (id, label, at) VALUES (90001, 'extra', '2020-01-01')`,
    `DELETE FROM ${ints} WHERE id = 90001`,
  );
  expect(extra.out).toMatch(/target only: \{[^}]*"id":"90001"/);
}, 300_000);

test('differences in many places are each reported, up to ten segments', async () => {
  const ids = [3, 30_000, 60_003, 99_999, 150_000, 179_997];
  const { out } = await verifyWith(
    `UPDATE ${ints} SET amount = amount + 1 WHERE id IN (${ids.join(', ')})`,
    `UPDATE ${ints} SET amount = amount - 1 WHERE id IN (${ids.join(', ')})`,
  );
  for (const id of ids.filter((i) => (i / 3) % 4 !== 0))
    expect(out).toMatch(new RegExp(`row id=${id} differs in: amount`));
}, 300_000);

test('a value of a column the mapping rewrites (regex, case, zone, concat) is reported with its key and column', async () => {
  for (const [set, col] of [
    [`code = 'a_7_b!'`, 'code'],
    [`name = lower(name)`, 'name'],
    [`at = at + interval '1 hour'`, 'at'],
    [`full_name = 'F7 Last '`, 'full_name'],
    [`source_system = NULL`, 'source_system'],
  ]) {
    await pg.query(`CREATE TEMP TABLE keep_m AS SELECT * FROM ${mapped} WHERE id = 7`);
    try {
      const { out } = await verifyWith(`UPDATE ${mapped} SET ${set} WHERE id = 7`, `SELECT 1`);
      expect({ set, found: new RegExp(`row id=7 differs in: ${col}(?![\\w,])`).test(out) }).toEqual({
        set,
        found: true,
      });
    } finally {
      await pg.query(`DELETE FROM ${mapped} WHERE id = 7`);
      await pg.query(`INSERT INTO ${mapped} SELECT * FROM keep_m`);
      await pg.query('DROP TABLE keep_m');
    }
  }
}, 600_000);

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
 * verify must be right for every Postgres type it claims to compare: a table built per run
 * (random column order and names) pairs MariaDB columns with Postgres types and their typmod
 * variants, arrays, enums and domains; `converge migrate` loads and verifies it with no
 * difference. Then the target is changed one value at a time (one per type, a missing row, an
 * extra row, NULL ↔ '', a one-hour shift, a JSON key, a numeric's scale, a uuid's case in a text
 * column) and `converge verify` must fail (exit 7) naming the row's key and the column.
 * A type verify has no canonical form for (point) is reported as not verified, never a difference.
 */

interface Col {
  /** Stable name in this file; the column's real name gets a random suffix. */
  key: string;
  my: string;
  pg: string;
  map: string;
  /** MySQL literals for rows id 1, 2, 3. */
  rows: [string, string, string];
  /** A Postgres expression changing row 2's value (undefined: the column is not mutated). */
  change?: string;
}

const COLS: Col[] = [
  {
    key: 'ts3',
    my: 'DATETIME(3)',
    pg: 'timestamptz(3)',
    map: 'timestamp',
    rows: ["'2024-03-31 01:59:59.999'", "'1970-01-01 00:00:00.100'", 'NULL'],
    change: "{c} + interval '1 millisecond'",
  },
  {
    key: 'ts6',
    my: 'DATETIME(6)',
    pg: 'timestamp(6) with time zone',
    map: 'timestamp',
    rows: ["'2024-10-27 00:30:00.123456'", "'9999-12-31 22:59:59.999999'", "'1000-01-01 00:00:00.000000'"],
    change: "{c} + interval '1 hour'",
  },
  {
    key: 'tsd',
    my: 'DATETIME(6)',
    pg: 'ts6_d',
    map: 'timestamp',
    rows: ["'2024-01-01 00:00:00.000001'", "'2000-02-29 12:00:00.500000'", 'NULL'],
    change: "{c} + interval '1 microsecond'",
  },
  {
    key: 'tsn',
    my: 'DATETIME',
    pg: 'timestamp(0)',
    map: 'timestamp',
    rows: ["'2024-01-01 00:00:00'", "'2038-01-19 03:14:08'", 'NULL'],
    change: "{c} + interval '1 second'",
  },
  {
    key: 'dt',
    my: 'DATE',
    pg: 'date',
    map: 'date',
    rows: ["'2024-02-29'", "'1000-01-01'", 'NULL'],
    change: '{c} + 1',
  },
  {
    key: 't3',
    my: 'TIME(3)',
    pg: 'time(3)',
    map: 'time',
    rows: ["'23:59:59.999'", "'12:00:00.500'", "'00:00:00.000'"],
    change: "{c} + interval '1 millisecond'",
  },
  {
    key: 'iv',
    my: 'TIME',
    pg: 'interval',
    map: 'time',
    rows: ["'-838:59:59'", "'838:59:59'", "'00:00:01'"],
    change: "{c} - interval '1 second'",
  },
  {
    key: 'n65',
    my: 'DECIMAL(65,30)',
    pg: 'numeric(65,30)',
    map: 'numeric',
    rows: [
      "'12345678901234567890123456789012345.123456789012345678901234567890'",
      "'-0.000000000000000000000000000001'",
      "'0'",
    ],
    change: '{c} + 1e-30',
  },
  {
    key: 'nfree',
    my: 'DECIMAL(10,2)',
    pg: 'numeric',
    map: 'numeric',
    rows: ["'-0.01'", "'12.50'", "'0.00'"],
    // The same number with another scale: numeric without typmod keeps the scale it was given.
    change: '12.5',
  },
  {
    key: 'n123',
    my: 'DECIMAL(10,1)',
    pg: 'numeric(12,3)',
    map: 'numeric',
    rows: ["'12.5'", "'-99999999.9'", 'NULL'],
    change: '{c} + 0.001',
  },
  {
    key: 'dom',
    my: 'DECIMAL(10,2)',
    pg: 'money2_d',
    map: 'numeric',
    rows: ["'1.10'", "'-5.00'", 'NULL'],
    change: '{c} + 0.01',
  },
  { key: 'f4', my: 'FLOAT', pg: 'real', map: 'float', rows: ['0.1', '3.14159', '-2.5'], change: '{c} + 1' },
  {
    key: 'f8',
    my: 'DOUBLE',
    pg: 'double precision',
    map: 'float',
    rows: ['1.7976931348623157e308', '0.30000000000000004', '5e-324'],
    change: '{c} + 1',
  },
  { key: 'bo', my: 'TINYINT(1)', pg: 'boolean', map: 'boolean', rows: ['1', '0', 'NULL'], change: 'NOT {c}' },
  {
    key: 'si',
    my: 'SMALLINT',
    pg: 'smallint',
    map: 'integer',
    rows: ['-32768', '32767', '0'],
    change: '{c} - 1',
  },
  {
    key: 'bi',
    my: 'BIGINT',
    pg: 'bigint',
    map: 'integer',
    rows: ['-9223372036854775808', '9223372036854775807', 'NULL'],
    change: '{c} - 1',
  },
  {
    key: 'uu',
    my: 'CHAR(36)',
    pg: 'uuid',
    map: 'uuid',
    rows: ["'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11'", "'6ccd780c-baba-1026-9564-5b8c656024db'", 'NULL'],
    change: "'6ccd780c-baba-1026-9564-5b8c656024dc'",
  },
  {
    key: 'ut',
    my: 'CHAR(36)',
    pg: 'text',
    map: 'text',
    rows: ["'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11'", "'6ccd780c-baba-1026-9564-5b8c656024db'", 'NULL'],
    // A uuid's case in a text column is its value.
    change: 'upper({c})',
  },
  {
    key: 'ch',
    my: 'CHAR(10)',
    pg: 'character(10)',
    map: 'text',
    rows: ["'abc'", "' lead'", "''"],
    change: "'lead'",
  },
  {
    key: 'vc',
    my: 'VARCHAR(20)',
    pg: 'varchar(20)',
    map: 'text',
    rows: ["'héllo wörld'", "'trailing  '", 'NULL'],
    change: "'trailing '",
  },
  {
    key: 'tx',
    my: 'TEXT',
    pg: 'text',
    map: 'text',
    rows: ["''", '\'multi\\nline "quoted", comma\'', 'NULL'],
    change: "{c} || 'x'",
  },
  {
    key: 'ci',
    my: 'VARCHAR(40)',
    pg: 'citext',
    map: 'text',
    rows: ["'MiXeD'", "'Case'", 'NULL'],
    change: 'lower({c})',
  },
  {
    key: 'jb',
    my: 'JSON',
    pg: 'jsonb',
    map: 'jsonb',
    rows: [
      '\'{"z": [], "a": null}\'',
      '\'{"a": 1, "nested": {"k": [1, 2.50, "x"]}, "big": 12345678901234567890}\'',
      "'null'",
    ],
    // A key renamed, the value kept.
    change: `({c} #- '{nested,k}') || jsonb_build_object('nested', jsonb_build_object('K', {c}#>'{nested,k}'))`,
  },
  {
    key: 'js',
    my: 'JSON',
    pg: 'json',
    map: 'json',
    rows: ['\'{"z": 1, "a": [true, false, null]}\'', '\'{"b": "é\\\\u00e9", "a": 1e2}\'', 'NULL'],
    change: `'{"b": "é\\u00e9", "a": 101}'`,
  },
  {
    key: 'by',
    my: 'VARBINARY(16)',
    pg: 'bytea',
    map: 'bytea',
    rows: ["X'00FF10'", "X'DEADBEEF'", "X''"],
    change: "{c} || '\\x01'::bytea",
  },
  { key: 'bits', my: 'VARCHAR(4)', pg: 'bit(4)', map: 'copy', rows: ["'0101'", "'1111'", 'NULL'], change: '~{c}' },
  { key: 'vbit', my: 'VARCHAR(8)', pg: 'varbit(8)', map: 'copy', rows: ["'1'", "'10101'", "''"], change: "B'1010'" },
  {
    key: 'ip',
    my: 'VARCHAR(45)',
    pg: 'inet',
    map: 'copy',
    rows: ["'192.168.1.5'", "'2001:DB8::1'", "'10.0.0.1/8'"],
    change: '{c} + 1',
  },
  {
    key: 'net',
    my: 'VARCHAR(45)',
    pg: 'cidr',
    map: 'copy',
    rows: ["'10.0.0.0/8'", "'192.168.0.0/16'", 'NULL'],
    change: "'192.168.0.0/17'",
  },
  {
    key: 'mac',
    my: 'VARCHAR(17)',
    pg: 'macaddr',
    map: 'copy',
    rows: ["'08-00-2B-01-02-03'", "'08:00:2b:01:02:03'", 'NULL'],
    change: "'08:00:2b:01:02:04'",
  },
  {
    key: 'arr',
    my: 'TEXT',
    pg: 'text[]',
    map: 'json-array',
    rows: ['\'["a", "b c", "say \\\\"hi\\\\"", null, "NULL"]\'', '\'["x,y", ""]\'', "'[]'"],
    change: "array_append({c}, 'z')",
  },
  {
    key: 'narr',
    my: 'TEXT',
    pg: 'numeric(10,2)[]',
    map: 'json-array',
    rows: ["'[1.5, 2, -0.01]'", "'[0, 12.5]'", 'NULL'],
    change: 'array_replace({c}, 12.5, 12.51)',
  },
  {
    key: 'tsarr',
    my: 'TEXT',
    pg: 'timestamptz(3)[]',
    map: 'json-array',
    rows: ['\'["2024-01-01 10:00:00.5"]\'', '\'["2024-03-31 02:30:00", null]\'', "'[]'"],
    change: "array_replace({c}, '2024-03-31 02:30:00+00', '2024-03-31 03:30:00+00')",
  },
  {
    key: 'en',
    my: "ENUM('open','closed','pending')",
    pg: 'state_e',
    map: '{ type: enum, map: { open: open, closed: closed, pending: pending } }',
    rows: ["'open'", "'pending'", 'NULL'],
    change: "'closed'",
  },
  {
    key: 'enarr',
    my: "SET('a','b','c')",
    pg: 'tag_e[]',
    map: 'set',
    rows: ["'a,c'", "'b'", "''"],
    change: "array_append({c}, 'c')",
  },
  {
    key: 'tsz6',
    my: 'TIMESTAMP(6)',
    pg: 'timestamptz(6)',
    map: 'timestamp',
    rows: ["'2038-01-19 03:14:07.999999'", "'1970-01-01 00:00:01.000000'", 'NULL'],
    change: "{c} - interval '1 hour'",
  },
  {
    key: 't6',
    my: 'TIME(6)',
    pg: 'time(6)',
    map: 'time',
    rows: ["'00:00:00.000001'", "'23:59:59.999999'", 'NULL'],
    change: "{c} - interval '1 microsecond'",
  },
  {
    key: 'ubi',
    my: 'BIGINT UNSIGNED',
    pg: 'numeric(20,0)',
    map: 'numeric',
    rows: ['18446744073709551615', '1', 'NULL'],
    change: '{c} + 1',
  },
  { key: 'ti', my: 'TINYINT', pg: 'smallint', map: 'integer', rows: ['-128', '127', '0'], change: '{c} - 1' },
  {
    key: 'mi',
    my: 'MEDIUMINT UNSIGNED',
    pg: 'integer',
    map: 'integer',
    rows: ['16777215', '0', 'NULL'],
    change: '{c} + 1',
  },
  {
    key: 'bin',
    my: 'BINARY(4)',
    pg: 'bytea',
    map: 'copy',
    rows: ["X'00000000'", "X'FFFEFDFC'", 'NULL'],
    change: "'\\x00'::bytea",
  },
  {
    key: 'blob',
    my: 'BLOB',
    pg: 'bytea',
    map: 'bytea',
    rows: ["X'DEADBEEF00'", "X'00'", "''"],
    change: "{c} || '\\xff'::bytea",
  },
  { key: 'enc', my: "ENUM('x','y')", pg: 'text', map: 'copy', rows: ["'x'", "'y'", 'NULL'], change: "'x'" },
  {
    key: 'emo',
    my: 'VARCHAR(10)',
    pg: 'varchar(8)',
    map: 'text',
    rows: ["'🎉🚀'", "'a\\\\b|N:'", "''"],
    change: "{c} || '🎉'",
  },
  {
    key: 'zd',
    my: 'DATETIME',
    pg: 'timestamp',
    map: '{ type: timestamp, zeroDate: null }',
    rows: ["'0000-00-00 00:00:00'", "'2024-05-05 05:05:05'", 'NULL'],
    change: "{c} + interval '1 day'",
  },
  // No canonical form: reported as not verified; a changed value is not a difference.
  { key: 'pt', my: 'VARCHAR(40)', pg: 'point', map: 'copy', rows: ["'(1,2)'", "'(3.5,-4)'", 'NULL'] },
];

const PG_TYPES = `
  CREATE EXTENSION IF NOT EXISTS citext;
  CREATE DOMAIN ts6_d AS timestamptz(6);
  CREATE DOMAIN money2_d AS numeric(10,2);
  CREATE TYPE state_e AS ENUM ('open', 'closed', 'pending');
  CREATE TYPE tag_e AS ENUM ('a', 'b', 'c');`;

let my: TestDb;
let pgDb: TestDb;
let dir: string;
let pg: Client;
let args: string[];
const table = `vt_${randomBytes(3).toString('hex')}`;
const name = new Map<string, string>();

function shuffle<T>(xs: T[]): T[] {
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

beforeAll(async () => {
  my = await createMysqlDb('vtypes');
  pgDb = await createPgDb('vtypes');
  dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'converge-vtypes-'));
  const cols = shuffle(COLS);
  for (const c of cols) name.set(c.key, `${c.key}_${randomBytes(2).toString('hex')}`);
  const n = (c: Col) => name.get(c.key)!;
  const conn = await mysql.createConnection({ uri: my.url });
  try {
    // The legacy zero date ('0000-00-00') can only be written with the strict modes off.
    await conn.query(`SET SESSION sql_mode = ''`);
    await conn.query(
      `CREATE TABLE ${table} (${cols.map((c) => `\`${n(c)}\` ${c.my} NULL`).join(', ')}, id INT NOT NULL PRIMARY KEY)`,
    );
    for (let r = 0; r < 3; r++)
      await conn.query(
        `INSERT INTO ${table} (id, ${cols.map((c) => `\`${n(c)}\``).join(', ')}) VALUES (${r + 1}, ${cols.map((c) => c.rows[r]).join(', ')})`,
      );
  } finally {
    await conn.end();
  }
  pg = new Client({ connectionString: pgDb.url });
  await pg.connect();
  await pg.query(PG_TYPES);
  await pg.query(
    `CREATE TABLE ${table} (${shuffle(cols)
      .map((c) => `"${n(c)}" ${c.pg}`)
      .join(', ')}, id integer PRIMARY KEY)`,
  );
  await pg.query(`SET TIME ZONE 'UTC'`);
  await fsp.mkdir(path.join(dir, 'mapping'));
  await fsp.writeFile(
    path.join(dir, 'mapping', 'mapping.yaml'),
    `version: 1\ntables:\n  ${table}:\n    columns:\n      id: integer\n${cols.map((c) => `      ${n(c)}: ${c.map}\n`).join('')}`,
  );
  await fsp.writeFile(
    path.join(dir, 'pipeline.yaml'),
    `name: vtypes\nsource: { database: ${my.name} }\ntarget: { database: ${pgDb.name}, migrations: none, tracking: { table: v, style: converge } }\nmapping: mapping\n`,
  );
  args = ['--pipeline', path.join(dir, 'pipeline.yaml'), '--source', my.url, '--target', pgDb.url];
  args.push('--work-dir', path.join(dir, 'work'));
}, 60_000);

afterAll(async () => {
  await pg?.end().catch(() => undefined);
  await my?.drop().catch(() => undefined);
  await pgDb?.drop().catch(() => undefined);
  if (dir) await fsp.rm(dir, { recursive: true, force: true });
});

/** What verify printed, JSON log lines unescaped enough to search. */
const printed = (r: { stdout: string; stderr: string }) => (r.stdout + r.stderr).replace(/\\"/g, '"');

test('migrate loads every type pair and verify proves it with no difference', async () => {
  const r = await runCli(['migrate', '--keep-files', ...args]);
  expect({ code: r.code, err: r.code ? printed(r).slice(-3000) : '' }).toEqual({ code: 0, err: '' });
  expect(r.stdout).toMatch(new RegExp(`${name.get('pt')} not verified \\(type point\\)`));
  const v = await runCli(['verify', ...args]);
  expect({ code: v.code, err: v.code ? printed(v).slice(-3000) : '' }).toEqual({ code: 0, err: '' });
  expect(v.stdout).toMatch(/yes \(1 columns not verified\)/);
  // Pushed into both databases: integer key ranges, no segment fetched for nothing, and every
  // column whose mapping SQL can mirror hashed in SQL; the others named as hashed on the stream.
  const paths = verifiedPaths(v.stdout + v.stderr);
  expect(paths).toMatchObject({ mode: 'range', falseAlarms: 0 });
  const byPath = (p: string[]) =>
    COLS.filter((c) => p.includes(name.get(c.key)!))
      .map((c) => c.key)
      .sort();
  expect(byPath(paths.stream)).toEqual(STREAMED.slice().sort());
  expect(byPath(paths.sql)).toEqual(
    COLS.map((c) => c.key)
      .filter((k) => !STREAMED.includes(k))
      .sort(),
  );
  for (const k of STREAMED) expect(v.stdout).toContain(name.get(k));
  // Only point is unverified: every other column took part in the checksum.
  expect(v.stdout.match(/not verified \(type /g)).toHaveLength(1);
}, 60_000);

/** Columns whose mapping MySQL cannot mirror in SQL: JSON, floats, arrays, a scale change, non-text targets of a copy. */
const STREAMED = [
  'n123',
  'f4',
  'f8',
  'jb',
  'js',
  'bits',
  'vbit',
  'ip',
  'net',
  'mac',
  'arr',
  'narr',
  'tsarr',
  'enarr',
  'iv',
];

/** How verify compared the table, from its "table verified" log line. */
function verifiedPaths(out: string): { mode: string; sql: string[]; stream: string[]; falseAlarms: number } {
  const line = out.split('\n').find((l) => l.includes('"msg":"table verified"'));
  expect(line).toBeDefined();
  return JSON.parse(line!).paths;
}

/** Applies a change to the target, runs verify, restores row `id` (and removes row 99). */
async function mutated(sql: string, restoreId: number): Promise<string> {
  await pg.query(`CREATE TEMP TABLE keep AS SELECT * FROM ${table} WHERE id = ${restoreId}`);
  try {
    await pg.query(sql);
    const r = await runCli(['verify', ...args]);
    const out = printed(r);
    expect({ sql, code: r.code }).toEqual({ sql, code: ExitCode.VerifyFailed });
    return out;
  } finally {
    await pg.query(`DELETE FROM ${table} WHERE id IN (${restoreId}, 99)`);
    await pg.query(`INSERT INTO ${table} SELECT * FROM keep`);
    await pg.query('DROP TABLE keep');
  }
}

const changed = COLS.filter((c) => c.change);

test.each(changed.map((c) => [c.key, c] as const))(
  'a changed %s value is reported with its key and column',
  async (_k, c) => {
    const col = `"${name.get(c.key)}"`;
    const out = await mutated(`UPDATE ${table} SET ${col} = ${c.change!.replace(/\{c\}/g, col)} WHERE id = 2`, 2);
    expect(out).toMatch(new RegExp(`row id=2 differs in: ${name.get(c.key)}(?![\\w,])`));
  },
  30_000,
);

test("NULL and '' swapped is a difference", async () => {
  const tx = `"${name.get('tx')}"`;
  const out = await mutated(`UPDATE ${table} SET ${tx} = NULL WHERE id = 1`, 1);
  expect(out).toMatch(new RegExp(`row id=1 differs in: ${name.get('tx')}(?![\\w,])`));
}, 30_000);

test('a missing row is reported by its key', async () => {
  const missing = await mutated(`DELETE FROM ${table} WHERE id = 3`, 3);
  expect(missing).toMatch(/source only: \{[^}]*"id":"3"/);
  expect(missing).toMatch(/row count: target has 2, source \(after mapping\) has 3/);
}, 30_000);

test('an extra row is reported by its key', async () => {
  const cols = ['id', ...COLS.map((c) => `"${name.get(c.key)}"`)];
  const out = await mutated(
    `INSERT INTO ${table} (${cols.join(', ')}) SELECT 99, ${cols.slice(1).join(', ')} FROM ${table} WHERE id = 2`,
    2,
  );
  expect(out).toMatch(/target only: \{[^}]*"id":"99"/);
}, 30_000);

test('a changed value of a type verify cannot compare is not a difference', async () => {
  const pt = `"${name.get('pt')}"`;
  await pg.query(`CREATE TEMP TABLE keep AS SELECT * FROM ${table} WHERE id = 2`);
  try {
    await pg.query(`UPDATE ${table} SET ${pt} = point(9, 9) WHERE id = 2`);
    const r = await runCli(['verify', ...args]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`${name.get('pt')} not verified \\(type point\\)`));
  } finally {
    await pg.query(`DELETE FROM ${table} WHERE id = 2`);
    await pg.query(`INSERT INTO ${table} SELECT * FROM keep`);
    await pg.query('DROP TABLE keep');
  }
}, 30_000);

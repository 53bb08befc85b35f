import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { promises as fsp } from 'node:fs';
import mysql from 'mysql2/promise';
import { Client } from 'pg';
import { Prng } from '../../fixtures/demo/prng';
import { binlogServer, BinlogServer } from '../helpers/binlog-server';
import { createPgDb, TestDb, uniqueName } from '../helpers/databases';
import { runCli } from '../helpers/run-cli';
import { parseConnectionUrl } from '../../src/core/connection-url';
import { applyMigrations } from '../../src/schema/apply-migrations';

/**
 * Values the binary log carries in its own encoding (DATETIME(6), TIMESTAMP(3), TIME(2),
 * DECIMAL, FLOAT, DOUBLE, BIT, VARBINARY, unsigned BIGINT, ENUM, SET, YEAR, JSON, text with
 * quotes, tabs and emoji) must reach the target as the snapshot's text would: a table with
 * random column names in a random order, a pipeline the code never saw, changed by single-row
 * and multi-row statements while converge follows; cutover's verify compares every value.
 */
const BIN = path.resolve(__dirname, '../../bin/converge.js');
const tag = randomBytes(3).toString('hex');
const rnd = new Prng(Number.parseInt(tag, 16));

interface Col {
  kind: string;
  mysql: string;
  pg: string;
  map: string;
  value: () => unknown;
}

const text = () =>
  ['plain', 'tab\there', 'quote " and \' both', 'back\\slash', 'naïve 🦄', '', 'comma, newline\nnext'][rnd.int(7)];
const COLS: Col[] = [
  {
    kind: 'dt',
    mysql: 'DATETIME(6)',
    pg: 'timestamp(6)',
    map: 'timestamp',
    value: () =>
      `20${10 + rnd.int(20)}-0${1 + rnd.int(9)}-1${rnd.int(9)} 1${rnd.int(9)}:2${rnd.int(9)}:3${rnd.int(9)}.${String(rnd.int(999999)).padStart(6, '0')}`,
  },
  {
    kind: 'ts',
    mysql: 'TIMESTAMP(3) NULL',
    pg: 'timestamptz(3)',
    map: 'timestamp',
    value: () =>
      rnd.int(5) ? `2021-0${1 + rnd.int(9)}-0${1 + rnd.int(9)} 0${rnd.int(9)}:00:0${rnd.int(9)}.${rnd.int(999)}` : null,
  },
  {
    kind: 'd',
    mysql: 'DATE',
    pg: 'date',
    map: 'date',
    value: () => `19${50 + rnd.int(49)}-1${rnd.int(3)}-2${rnd.int(9)}`,
  },
  {
    kind: 'tm',
    mysql: 'TIME(2)',
    pg: 'time(2)',
    map: 'time',
    value: () => `1${rnd.int(9)}:0${rnd.int(9)}:5${rnd.int(9)}.${rnd.int(99)}`,
  },
  {
    kind: 'dec',
    mysql: 'DECIMAL(24,6)',
    pg: 'numeric(24,6)',
    map: 'numeric',
    value: () => `${rnd.int(2) ? '-' : ''}${rnd.int(1e9)}${rnd.int(1e9)}.${rnd.int(999999)}`,
  },
  { kind: 'f', mysql: 'FLOAT', pg: 'real', map: 'float', value: () => (rnd.next() - 0.5) * 10 ** rnd.int(20) },
  {
    kind: 'dbl',
    mysql: 'DOUBLE',
    pg: 'double precision',
    map: 'float',
    value: () => (rnd.next() - 0.5) * 10 ** (rnd.int(40) - 20),
  },
  { kind: 'bits', mysql: 'BIT(12)', pg: 'integer', map: 'integer', value: () => rnd.int(4096) },
  {
    kind: 'bin',
    mysql: 'VARBINARY(16)',
    pg: 'bytea',
    map: 'bytea',
    value: () => Buffer.from([0, rnd.int(256), 255, 10, 13, 92]),
  },
  {
    kind: 'ubig',
    mysql: 'BIGINT UNSIGNED',
    pg: 'numeric(20)',
    map: 'numeric',
    value: () => (rnd.int(3) ? String(rnd.int(1e9)) : '18446744073709551615'),
  },
  { kind: 'en', mysql: "ENUM('a','b c','ü')", pg: 'text', map: 'text', value: () => ['a', 'b c', 'ü'][rnd.int(3)] },
  { kind: 'st', mysql: "SET('x','y','z')", pg: 'text', map: 'text', value: () => ['x', 'x,z', '', 'y,z'][rnd.int(4)] },
  { kind: 'yr', mysql: 'YEAR', pg: 'integer', map: 'integer', value: () => 1990 + rnd.int(50) },
  {
    kind: 'js',
    mysql: 'JSON',
    pg: 'jsonb',
    map: 'jsonb',
    value: () => JSON.stringify({ k: rnd.int(100), s: text(), a: [1, 2.5, null] }),
  },
  { kind: 'txt', mysql: 'TEXT', pg: 'text', map: 'text', value: text },
];

let server: BinlogServer;
let pgDb: TestDb;
let database: string;
let dir: string;

beforeAll(async () => {
  server = await binlogServer();
});
afterAll(async () => {
  if (database) {
    const c = await mysql.createConnection({ uri: server.base });
    await c.query(`DROP DATABASE IF EXISTS \`${database}\``).finally(() => c.end());
  }
  await pgDb?.drop().catch(() => undefined);
  if (dir) await fsp.rm(dir, { recursive: true, force: true });
  await server?.stop();
});

it('a table of every binlog encoding, with random column names, follows exactly (cutover verifies)', async () => {
  database = uniqueName('follow_types');
  pgDb = await createPgDb('follow_types');
  dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'converge-follow-types-'));
  const table = `t_${tag}`;
  // Random names, random order.
  const cols = COLS.map((c) => ({ ...c, name: `${c.kind}_${randomBytes(2).toString('hex')}` })).sort(
    () => rnd.next() - 0.5,
  );
  const admin = await mysql.createConnection({ uri: server.base });
  await admin.query(`CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4`);
  await admin.end();
  const sourceUrl = `${server.base}/${database}`;
  const my = await mysql.createConnection({ uri: sourceUrl });
  await my.query("SET time_zone = '+00:00'");
  await my.query(
    `CREATE TABLE \`${table}\` (${cols.map((c) => `\`${c.name}\` ${c.mysql}`).join(', ')}, id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY)`,
  );
  const insert = async (n: number) => {
    const rows = Array.from({ length: n }, () => cols.map((c) => c.value()));
    await my.query(`INSERT INTO \`${table}\` (${cols.map((c) => `\`${c.name}\``).join(', ')}) VALUES ?`, [rows]);
  };
  await insert(30);

  await fsp.mkdir(path.join(dir, 'pg'));
  await fsp.mkdir(path.join(dir, 'map'));
  await fsp.writeFile(
    path.join(dir, 'pg', '0001_init.sql'),
    `CREATE TABLE "${table}" (id bigint PRIMARY KEY, ${cols.map((c) => `"${c.name}" ${c.pg}`).join(', ')});\n`,
  );
  await fsp.writeFile(
    path.join(dir, 'map', 'mapping.yaml'),
    `version: 1\ndefaults:\n  timezone: UTC\ntables:\n  ${table}:\n    columns:\n      id: integer\n${cols.map((c) => `      ${c.name}: ${c.map}`).join('\n')}\n`,
  );
  await fsp.writeFile(
    path.join(dir, 'pipeline.yaml'),
    `name: types_${tag}\nsource:\n  database: ${database}\ntarget:\n  database: ${pgDb.name}\n  schema: public\n  migrations: pg\n  tracking: { table: schema_versions_${tag}, style: converge }\nmapping: map\n`,
  );
  const args = [
    '--pipeline',
    path.join(dir, 'pipeline.yaml'),
    '--source',
    sourceUrl,
    '--target',
    pgDb.url,
    '--work-dir',
    path.join(dir, 'work'),
  ];
  await applyMigrations({
    dialect: 'postgres',
    connection: parseConnectionUrl(pgDb.url, 'postgres', 'test target'),
    dir: path.join(dir, 'pg'),
    tracking: { table: `schema_versions_${tag}`, style: 'converge' },
  });

  const child: ChildProcess = spawn(process.execPath, [BIN, 'migrate', ...args, '--follow'], {
    env: { ...process.env, CONVERGE_LOG_FORMAT: 'json' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    const pg = new Client({ connectionString: pgDb.url });
    await pg.connect();
    try {
      for (let i = 0; ; i++) {
        const { rows } = await pg
          .query("SELECT status FROM converge.follow_state WHERE to_regclass('converge.follow_state') IS NOT NULL")
          .catch(() => ({ rows: [] as Array<{ status: string }> }));
        if (rows[0]?.status === 'following') break;
        if (i > 300) throw new Error(`never followed:\n${out}`);
        await new Promise((r) => setTimeout(r, 200));
      }
      // Single-row and multi-row statements, in and out of transactions.
      await insert(5);
      for (let i = 0; i < 10; i++) {
        const c = cols[rnd.int(cols.length)];
        await my.query(`UPDATE \`${table}\` SET \`${c.name}\` = ? WHERE id % 7 = ?`, [c.value(), rnd.int(7)]);
      }
      await my.beginTransaction();
      await my.query(`DELETE FROM \`${table}\` WHERE id % 5 = 0`);
      await insert(3);
      await my.commit();
      await my.query(`UPDATE \`${table}\` SET id = id + 1000 WHERE id = 1`);
      const r = await runCli(['cutover', ...args, '--source-frozen', '--settle', '300'], {}, 120_000);
      expect({ code: r.code, out: r.stdout + r.stderr.slice(-3000) }).toEqual({
        code: 0,
        out: expect.stringContaining('write downtime'),
      });
      expect(await exited).toBe(0);
      const { rows } = await pg.query(`SELECT count(*)::int AS n FROM "${table}"`);
      const [[src]] = (await my.query(`SELECT count(*) AS n FROM \`${table}\``)) as unknown as [[{ n: number }]];
      expect(rows[0].n).toBe(Number(src.n));
    } finally {
      await pg.end();
    }
  } finally {
    child.kill('SIGKILL');
    await my.end();
  }
});

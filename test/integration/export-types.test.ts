import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { parseConnectionUrl } from '../../src/core/connection-url';
import { silentLogger } from '../../src/core/logger';
import { readCsvRecords } from '../../src/csv/read-csv';
import { runExport } from '../../src/export/run-export';
import { Manifest } from '../../src/manifest';
import { createMysqlDb, TestDb } from '../helpers/databases';

/**
 * Every MySQL/MariaDB column type, written at its edges (under a permissive sql_mode where the
 * edge is a zero date), exported, and read back from the CSV. The expected texts are written out
 * here by hand: what the server holds, in converge's dialect (NULL = empty field, binary = \x hex).
 */
let db: TestDb;
let conn: mysql.Connection;
let dir: string;
let manifest: Manifest;
const csv = new Map<string, Array<Array<string | null>>>();

const LONG = 'x'.repeat(70_000) + '😀';
const BYTES_0_255 = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
const BIG_BLOB = Buffer.alloc(300_000, 0xa5);
const F32 = {
  max: 3.4028234663852886e38,
  minNormal: 1.1754943508222875e-38,
  minDenormal: 1.401298464324817e-45,
  pi: Math.fround(Math.PI),
  odd: Math.fround(16777217),
};

const DDL = [
  `CREATE TABLE t_int (id INT PRIMARY KEY, ti TINYINT, tiu TINYINT UNSIGNED, si SMALLINT, siu SMALLINT UNSIGNED, mi MEDIUMINT, miu MEDIUMINT UNSIGNED,
     i INT, iu INT UNSIGNED, bi BIGINT, biu BIGINT UNSIGNED)`,
  `CREATE TABLE t_num (id INT PRIMARY KEY, d DECIMAL(65,30), f FLOAT, db DOUBLE, b1 BIT(1), b64 BIT(64))`,
  `CREATE TABLE t_str (id INT PRIMARY KEY, c CHAR(10), vc VARCHAR(255), tt TINYTEXT, t TEXT, mt MEDIUMTEXT, lt LONGTEXT) CHARACTER SET utf8mb4`,
  `CREATE TABLE t_bin (id INT PRIMARY KEY, b BINARY(4), vb VARBINARY(10), tb TINYBLOB, bl BLOB, mb MEDIUMBLOB, lb LONGBLOB)`,
  `CREATE TABLE t_time (id INT PRIMARY KEY, d DATE, dt DATETIME(6), ts TIMESTAMP(6) NULL DEFAULT NULL, tm TIME(6), y YEAR)`,
  `CREATE TABLE t_misc (id INT PRIMARY KEY, e ENUM('a','b','c d'), s SET('x','y','z'), j JSON, pt POINT, g GEOMETRY)`,
];

beforeAll(async () => {
  db = await createMysqlDb('export_types');
  conn = await mysql.createConnection({ uri: db.url, charset: 'utf8mb4_general_ci' });
  for (const ddl of DDL) await conn.query(ddl);
  await conn.query("SET SESSION sql_mode = '', time_zone = '+00:00'");
  await conn.query(`INSERT INTO t_int VALUES
    (1, -128, 0, -32768, 0, -8388608, 0, -2147483648, 0, -9223372036854775808, 0),
    (2, 127, 255, 32767, 65535, 8388607, 16777215, 2147483647, 4294967295, 9223372036854775807, 18446744073709551615),
    (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)`);
  await conn.query(
    `INSERT INTO t_num VALUES
    (1, 99999999999999999999999999999999999.999999999999999999999999999999, ?, 1.7976931348623157e308, b'1', b'1111111111111111111111111111111111111111111111111111111111111111'),
    (2, -0.000000000000000000000000000001, ?, 4.9406564584124654e-324, b'0', b'0'),
    (3, 0, ?, 0.1, NULL, b'1000000000000000000000000000000000000000000000000000000000000001'),
    (4, -12345.678900000000000000000000000001, ?, -2.2250738585072014e-308, NULL, NULL),
    (5, NULL, ?, NULL, NULL, NULL),
    (6, NULL, NULL, NULL, NULL, NULL)`,
    [F32.max, F32.minDenormal, F32.pi, F32.odd, F32.minNormal],
  );
  await conn.query(
    'INSERT INTO t_str VALUES (1, ?, ?, ?, ?, ?, ?), (2, ?, ?, ?, ?, ?, ?), (3, NULL, NULL, NULL, NULL, NULL, NULL)',
    [
      '😀x',
      'emoji 😀 "quoted", comma\nnewline\r\nCRLF \\ backslash',
      '𝄞 clef',
      '',
      '\\.',
      LONG,
      'ab  ',
      'ab  ',
      ' ',
      'NULL',
      '""',
      'ä€𐍈',
    ],
  );
  await conn.query(
    'INSERT INTO t_bin VALUES (1, ?, ?, ?, ?, ?, ?), (2, ?, ?, ?, ?, ?, ?), (3, NULL, NULL, NULL, NULL, NULL, NULL)',
    [
      Buffer.from([0x00, 0xff]),
      Buffer.from([0x00, 0x0a, 0x0d, 0x22, 0x2c]),
      Buffer.alloc(0),
      BYTES_0_255,
      Buffer.from([0xc3, 0x28]),
      BIG_BLOB,
      Buffer.from('abcd'),
      Buffer.from('\\x41'),
      Buffer.from([0x5c, 0x2e]),
      Buffer.from('plain'),
      Buffer.from('😀'),
      Buffer.from([0]),
    ],
  );
  await conn.query(`INSERT INTO t_time VALUES
    (1, '1000-01-01', '1000-01-01 00:00:00', '1970-01-01 00:00:01', '-838:59:59', 1901),
    (2, '9999-12-31', '9999-12-31 23:59:59.999999', '2038-01-19 03:14:07.999999', '838:59:59', 2155),
    (3, '0000-00-00', '0000-00-00 00:00:00', '0000-00-00 00:00:00', '00:00:00', 0),
    (4, '2024-00-15', '2024-02-00 12:00:00.5', '2024-02-29 12:34:56.123456', '-00:00:01.5', 2024),
    (6, NULL, NULL, NULL, NULL, NULL)`);
  // TIMESTAMP is an instant: written at +02:00, it is exported in UTC.
  await conn.query("SET SESSION time_zone = '+02:00'");
  await conn.query("INSERT INTO t_time (id, ts) VALUES (5, '2024-06-01 12:00:00.000001')");
  await conn.query(`INSERT INTO t_misc VALUES
    (1, 'c d', 'x,z', '{"k": "😀", "n": 1.5e300, "q": "\\\\"quoted\\\\""}', ST_GeomFromText('POINT(1.5 -2)'), ST_GeomFromText('POLYGON((0 0,10 0,10 10,0 10,0 0))')),
    (2, 'x-invalid', '', '[]', NULL, ST_GeomFromText('LINESTRING(0 0,1 1)')),
    (3, NULL, NULL, NULL, NULL, NULL)`);

  dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'cvt-export-types-'));
  const res = await runExport({
    source: parseConnectionUrl(db.url, 'mysql', 'source'),
    outDir: dir,
    pipeline: 'types',
    log: silentLogger(),
    jobs: 2,
  });
  manifest = res.manifest;
  for (const t of Object.values(manifest.tables)) {
    const rows: Array<Array<string | null>> = [];
    for await (const r of readCsvRecords({ file: path.join(dir, t.file), expectHeader: t.columns.map((c) => c.name) }))
      rows.push(r.fields);
    csv.set(t.name, rows);
  }
});

afterAll(async () => {
  await conn?.end();
  await db?.drop();
  if (dir) await fsp.rm(dir, { recursive: true, force: true });
});

const row = (table: string, id: number) => {
  const r = csv.get(table)?.find((f) => f[0] === String(id));
  if (!r) throw new Error(`no row ${id} in ${table}`);
  return r.slice(1);
};

test('integers at their signed and unsigned limits', () => {
  expect(row('t_int', 1)).toEqual([
    '-128',
    '0',
    '-32768',
    '0',
    '-8388608',
    '0',
    '-2147483648',
    '0',
    '-9223372036854775808',
    '0',
  ]);
  expect(row('t_int', 2)).toEqual([
    '127',
    '255',
    '32767',
    '65535',
    '8388607',
    '16777215',
    '2147483647',
    '4294967295',
    '9223372036854775807',
    '18446744073709551615',
  ]);
  expect(row('t_int', 3)).toEqual(Array(10).fill(null));
});

test('decimal(65,30) digit for digit, bit(1) and bit(64) as unsigned integers', () => {
  expect(row('t_num', 1)[0]).toBe('99999999999999999999999999999999999.999999999999999999999999999999');
  expect(row('t_num', 2)[0]).toBe('-0.000000000000000000000000000001');
  expect(row('t_num', 3)[0]).toBe('0.000000000000000000000000000000');
  expect(row('t_num', 4)[0]).toBe('-12345.678900000000000000000000000001');
  expect([row('t_num', 1)[3], row('t_num', 1)[4]]).toEqual(['1', '18446744073709551615']);
  expect([row('t_num', 2)[3], row('t_num', 2)[4]]).toEqual(['0', '0']);
  expect(row('t_num', 3)[4]).toBe('9223372036854775809');
  expect(row('t_num', 6)).toEqual([null, null, null, null, null]);
});

test('float reads back as the same single-precision value, in its shortest text', () => {
  const floats = [1, 2, 3, 4, 5].map((id) => row('t_num', id)[1]!);
  expect(floats).toEqual(['3.4028235e+38', '1e-45', '3.1415927', '16777216', '1.1754944e-38']);
  expect(floats.map((s) => Math.fround(Number(s)))).toEqual([F32.max, F32.minDenormal, F32.pi, F32.odd, F32.minNormal]);
});

test('double reads back as the same double', () => {
  const doubles = [1, 2, 3, 4].map((id) => row('t_num', id)[2]!);
  expect(doubles.map(Number)).toEqual([1.7976931348623157e308, 5e-324, 0.1, -2.2250738585072014e-308]);
});

test('utf8mb4 text of every size: 4-byte characters, quotes, newlines, "" vs NULL, CHAR trailing spaces', () => {
  expect(row('t_str', 1)).toEqual([
    '😀x',
    'emoji 😀 "quoted", comma\nnewline\r\nCRLF \\ backslash',
    '𝄞 clef',
    '',
    '\\.',
    LONG,
  ]);
  // CHAR drops trailing spaces on read (the server's own semantics); VARCHAR keeps them.
  expect(row('t_str', 2)).toEqual(['ab', 'ab  ', ' ', 'NULL', '""', 'ä€𐍈']);
  expect(row('t_str', 3)).toEqual(Array(6).fill(null));
});

test('binary, varbinary and every blob as \\x hex, byte for byte (BINARY padded with zeros)', () => {
  expect(row('t_bin', 1)).toEqual([
    '\\x00ff0000',
    '\\x000a0d222c',
    '\\x',
    '\\x' + BYTES_0_255.toString('hex'),
    '\\xc328',
    '\\x' + BIG_BLOB.toString('hex'),
  ]);
  expect(row('t_bin', 2)).toEqual([
    '\\x61626364',
    '\\x' + Buffer.from('\\x41').toString('hex'),
    '\\x5c2e',
    '\\x' + Buffer.from('plain').toString('hex'),
    '\\xf09f9880',
    '\\x00',
  ]);
  expect(row('t_bin', 3)).toEqual(Array(6).fill(null));
  expect(manifest.tables.t_bin.columns.slice(1).map((c) => c.encoding)).toEqual(Array(6).fill('hex'));
});

test('date, datetime, timestamp (in UTC) with microseconds, time negative and over 24 h, year, zero dates', () => {
  expect(row('t_time', 1)).toEqual([
    '1000-01-01',
    '1000-01-01 00:00:00.000000',
    '1970-01-01 00:00:01.000000',
    '-838:59:59.000000',
    '1901',
  ]);
  expect(row('t_time', 2)).toEqual([
    '9999-12-31',
    '9999-12-31 23:59:59.999999',
    '2038-01-19 03:14:07.999999',
    '838:59:59.000000',
    '2155',
  ]);
  expect(row('t_time', 3)).toEqual([
    '0000-00-00',
    '0000-00-00 00:00:00.000000',
    '0000-00-00 00:00:00.000000',
    '00:00:00.000000',
    '0000',
  ]);
  expect(row('t_time', 4)).toEqual([
    '2024-00-15',
    '2024-02-00 12:00:00.500000',
    '2024-02-29 12:34:56.123456',
    '-00:00:01.500000',
    '2024',
  ]);
  expect(row('t_time', 5)[2]).toBe('2024-06-01 10:00:00.000001');
  expect(row('t_time', 6)).toEqual(Array(5).fill(null));
});

test("enum (with the invalid-value ''), set, JSON (MariaDB's LONGTEXT + json_valid) and spatial as WKT", () => {
  expect(row('t_misc', 1)).toEqual([
    'c d',
    'x,z',
    '{"k": "😀", "n": 1.5e300, "q": "\\"quoted\\""}',
    'POINT(1.5 -2)',
    'POLYGON((0 0,10 0,10 10,0 10,0 0))',
  ]);
  expect(row('t_misc', 2)).toEqual(['', '', '[]', null, 'LINESTRING(0 0,1 1)']);
  expect(row('t_misc', 3)).toEqual(Array(5).fill(null));
  expect(manifest.tables.t_misc.columns.find((c) => c.name === 'j')!.dataType).toBe('json');
});

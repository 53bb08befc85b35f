import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { Client } from 'pg';
import { createMysqlDb, createPgDb, TestDb } from '../helpers/databases';
import { runCli } from '../helpers/run-cli';
import { ExitCode } from '../../src/core/exit-codes';
import { parseConnectionUrl } from '../../src/core/connection-url';
import { runMapCheck } from '../../src/map-check/run-map-check';
import { describeProblem } from '../../src/mapping/check/mapping-problem';

/**
 * `converge map check` as an operator runs it, on real MariaDB and Postgres catalogs and data:
 * a correct mapping passes, and each purpose-broken one fails with exit 3 and the problem named
 * at its file and line. Where a check needs the data (--probe), the data holds the trap.
 */

const SOURCE_DDL = [
  // Zero and impossible dates, as old production databases hold them.
  "SET SESSION sql_mode = 'ALLOW_INVALID_DATES'",
  `CREATE TABLE users (
    id CHAR(36) NOT NULL PRIMARY KEY,
    email VARCHAR(255) NOT NULL,
    kind ENUM('a','b','c') NOT NULL,
    role VARCHAR(20) NULL,
    status VARCHAR(20) NOT NULL,
    nick VARCHAR(20) NULL,
    bio TEXT NULL,
    owner CHAR(36) NULL,
    legacy INT NULL,
    created_at DATETIME NOT NULL,
    hits BIGINT NOT NULL,
    big INT UNSIGNED NOT NULL,
    active TINYINT(1) NOT NULL,
    last_seen DATETIME NULL,
    odd_day DATE NULL,
    ref CHAR(36) NULL,
    qty VARCHAR(10) NULL,
    doc TEXT NULL,
    code VARCHAR(20) NULL
  )`,
  `INSERT INTO users VALUES
    ('6f1c1b59-3c55-4c8f-9d1e-2a7b8c9d0e1f', CONCAT(REPEAT('a', 130), '@example.org'), 'a', 'admin', 'open', 'ann', CONCAT('x', CHAR(0), 'y'), '7a2d2c6a-4d66-4d90-8e2f-3b8c9d0e1f20', 1, '2024-01-02 03:04:05', 7, 1, 1, '0000-00-00 00:00:00', '2024-02-30', 'space-admin', '12x', '{"b": [1, 2', 'B2'),
    ('7a2d2c6a-4d66-4d90-8e2f-3b8c9d0e1f20', 'bob@example.org', 'b', 'guest', 'archived', NULL, 'plain', '', NULL, '2024-02-03 04:05:06', 2147483647, 3000000000, 0, '2024-05-06 07:08:09', '2024-02-29', '6F1C1B59-3C55-4C8F-9D1E-2A7B8C9D0E1F', '-7', '{"a": 1}', 'B2'),
    ('8b3e3d7b-5e77-4ea1-9f30-4c9d0e1f2031', 'cy@example.org', 'c', NULL, 'closed', 'cy', NULL, NULL, 3, '2024-03-04 05:06:07', -2147483648, 0, 2, NULL, NULL, NULL, '12', NULL, 'b2')`,
  'CREATE TABLE tags (name VARCHAR(20) NOT NULL)',
  "INSERT INTO tags VALUES ('x'), ('y'), ('x')",
];

const TARGET_DDL = `
  CREATE TYPE user_kind AS ENUM ('A', 'B', 'C');
  CREATE TABLE users (
    id uuid PRIMARY KEY,
    email text,
    email_short varchar(100),
    kind user_kind NOT NULL,
    role text NOT NULL,
    status text NOT NULL CHECK (status IN ('open', 'closed', 'archived')),
    nick text NOT NULL,
    bio text,
    owner uuid,
    created_at timestamp NOT NULL,
    hits integer NOT NULL,
    big bigint,
    big_small integer,
    active boolean NOT NULL,
    last_seen timestamp,
    odd_day date,
    ref text,
    ref_id uuid,
    qty text,
    qty_n integer,
    doc text,
    doc_j jsonb,
    code text UNIQUE,
    tenant text NOT NULL
  );
  CREATE TABLE tags (name text PRIMARY KEY);`;

/** Line 5 is `id`, 6 `email`, 7 `kind`, 8 `role`, 9 `status`, 10 `nick`, 11 `bio`, 12 `owner`, 13 `created_at`, 15 `big`, 16 `active`, 17 `last_seen`, 18 `odd_day`, 19 `ref`, 20 `qty`, 21 `doc`. */
const GOOD = `version: 1
tables:
  users:
    columns:
      id: uuid
      email: text
      kind: { type: enum, map: { a: A, b: B, c: C } }
      role: { type: enum, nullTo: member, map: { admin: admin, member: member, guest: member } }
      status: { type: enum, map: { open: open, closed: closed, archived: archived } }
      nick: { type: text, nullTo: "" }
      bio: latin1-base64
      owner: { type: uuid, emptyToNull: true }
      created_at: timestamp
      hits: integer
      big: integer
      active: { type: boolean, trueValues: ["1", "2"] }
      last_seen: { type: timestamp, zeroDate: null }
      odd_day: drop
      ref: text
      qty: text
      doc: text
      code: text
    drop: [legacy]
    unique:
      - { columns: [code], policy: keep-first }
    add:
      tenant: { constant: main }
  tags:
    columns:
      name: text
    unique:
      - { columns: [name], policy: keep-first }
`;
const TAGS_LINE = GOOD.split('\n').indexOf('  tags:') + 1;

let my: TestDb;
let pgDb: TestDb;
let dir: string;
let n = 0;

beforeAll(async () => {
  my = await createMysqlDb('mapbroken');
  pgDb = await createPgDb('mapbroken');
  const conn = await mysql.createConnection({ uri: my.url });
  try {
    for (const sql of SOURCE_DDL) await conn.query(sql);
  } finally {
    await conn.end();
  }
  const pg = new Client({ connectionString: pgDb.url });
  await pg.connect();
  try {
    await pg.query(TARGET_DDL);
  } finally {
    await pg.end();
  }
  dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'converge-mapbroken-'));
  await fsp.mkdir(path.join(dir, 'mapping'));
  await fsp.writeFile(
    path.join(dir, 'pipeline.yaml'),
    'name: broken\nsource: { database: unused }\ntarget: { database: unused, migrations: none, tracking: { table: t, style: converge } }\nmapping: mapping\n',
  );
});

afterAll(async () => {
  await my?.drop().catch(() => undefined);
  await pgDb?.drop().catch(() => undefined);
  if (dir) await fsp.rm(dir, { recursive: true, force: true });
});

interface Problem {
  kind: string;
  severity: string;
  table: string;
  column?: string;
  at?: { file: string; line: number; key: string };
  expected?: string;
  found?: string;
}

/**
 * map check on a mapping text. Through the CLI (JSON and text output, exit code) where `cli`;
 * otherwise through the library function the CLI calls, printing each problem as the CLI does,
 * which keeps the many cases fast.
 */
async function check(
  yaml: string,
  probe: boolean,
  cli = false,
  extra: string[] = [],
): Promise<{ code: number; problems: Problem[]; text: string }> {
  const file = path.join(dir, `m${++n}.yaml`);
  await fsp.writeFile(file, yaml);
  if (!cli) {
    const res = await runMapCheck({
      mappingDir: file,
      source: parseConnectionUrl(my.url, 'mysql', 'source'),
      target: parseConnectionUrl(pgDb.url, 'postgres', 'target'),
      targetSchema: 'public',
      probe,
    });
    return {
      code: res.errors > 0 ? ExitCode.BadConfig : ExitCode.Ok,
      problems: res.problems as Problem[],
      text: res.problems.map(describeProblem).join('\n'),
    };
  }
  const args = [
    'map',
    'check',
    '--pipeline',
    path.join(dir, 'pipeline.yaml'),
    '--source',
    my.url,
    '--target',
    pgDb.url,
    '--mapping',
    file,
    ...(probe ? ['--probe'] : []),
    ...extra,
  ];
  const json = await runCli([...args, '--json']);
  if (!json.stdout.trim().startsWith('{'))
    throw new Error(`map check printed no JSON (exit ${json.code}): ${json.stderr}`);
  const text = await runCli(args);
  expect(text.code).toBe(json.code);
  return { code: json.code, problems: JSON.parse(json.stdout).problems, text: text.stdout };
}

const errorsOf = (ps: Problem[]) =>
  ps
    .filter((p) => p.severity === 'error')
    .map((p) => `${p.kind}:${p.column ?? ''}`)
    .sort();

describe('map check on real catalogs and data', () => {
  test('the correct mapping passes, with and without --probe', async () => {
    for (const probe of [false, true]) {
      const r = await check(GOOD, probe, true);
      expect({ probe, errors: errorsOf(r.problems) }).toEqual({ probe, errors: [] });
      expect(r.code).toBe(ExitCode.Ok);
      // Warnings from the catalogs (bigint into integer, VARCHAR values unknown), gone once --probe reads the data.
      expect(r.problems.map((p) => `${p.kind}:${p.column}`)).toEqual(
        probe ? [] : ['enum-values-unknown:role', 'enum-values-unknown:status', 'narrowing:hits'],
      );
    }
  });

  test('--follow: the keep-first policies and the table without a key migrate --follow would refuse, at their lines', async () => {
    const r = await check(GOOD, false, true, ['--follow']);
    expect(r.code).toBe(ExitCode.BadConfig);
    const lines = GOOD.split('\n');
    const follow = r.problems.filter((p) => p.kind === 'follow-unsupported');
    expect(follow.map((p) => [p.table, p.at?.key, p.at?.line])).toEqual([
      ['users', 'tables.users.unique.0', lines.indexOf('      - { columns: [code], policy: keep-first }') + 1],
      ['tags', 'tables.tags', TAGS_LINE],
      ['tags', 'tables.tags.unique.0', lines.indexOf('      - { columns: [name], policy: keep-first }') + 1],
    ]);
    expect(follow[0].expected).toContain('keep-newest with newest:');
    expect(follow[1].expected).toContain('a primary key on both sides');
    expect(r.text).toMatch(
      /error follow-unsupported: .*:\d+ \(key tables\.users\.unique\.0\): unique \(code\) policy keep-first cannot be followed/,
    );
    expect(errorsOf(r.problems).filter((e) => !e.startsWith('follow-unsupported'))).toEqual([]);
  });

  // [what breaks, mapping, --probe, the one error expected, its line]
  const cases: Array<[string, string, boolean, string, number]> = [
    [
      'a source column neither mapped nor dropped',
      GOOD.replace('    drop: [legacy]\n', ''),
      false,
      'column-unmapped:legacy',
      3,
    ],
    [
      'a NOT NULL target column with no default that nothing feeds',
      GOOD.replace('    add:\n      tenant: { constant: main }\n', ''),
      false,
      'not-null-unfed:tenant',
      3,
    ],
    [
      'a type pair that cannot convert',
      GOOD.replace('created_at: timestamp', 'created_at: boolean'),
      false,
      'type-mismatch:created_at',
      13,
    ],
    [
      'an enum map missing a value the ENUM definition allows',
      GOOD.replace('{ a: A, b: B, c: C }', '{ a: A, b: B }'),
      false,
      'enum-value-unmapped:kind',
      7,
    ],
    [
      'an enum map missing a value only the data holds (--probe)',
      GOOD.replace(', guest: member }', ' }'),
      true,
      'enum-value-unmapped:role',
      8,
    ],
    [
      'an enum map landing on a label the Postgres enum does not allow',
      GOOD.replace('{ a: A, b: B, c: C }', '{ a: A, b: B, c: c }'),
      false,
      'enum-label-invalid:kind',
      7,
    ],
    [
      'an enum map landing on a label the CHECK constraint does not allow',
      GOOD.replace('archived: archived', 'archived: gone'),
      false,
      'enum-label-invalid:status',
      9,
    ],
    [
      'a string longer than the target column, the longest found by --probe',
      GOOD.replace('      email: text', '      email: { type: text, to: email_short }'),
      true,
      'too-long:email',
      6,
    ],
    [
      'NULLs into a NOT NULL column, found by --probe',
      GOOD.replace('nick: { type: text, nullTo: "" }', 'nick: text'),
      true,
      'null-into-not-null:nick',
      10,
    ],
    [
      "'' in a uuid column, found by --probe",
      GOOD.replace('owner: { type: uuid, emptyToNull: true }', 'owner: uuid'),
      true,
      'value-invalid:owner',
      12,
    ],
    [
      'integers the narrower target type cannot hold, found by --probe',
      GOOD.replace('      big: integer', '      big: { type: integer, to: big_small }'),
      true,
      'out-of-range:big',
      15,
    ],
    [
      'a TINYINT(1) holding 2, neither true nor false, found by --probe',
      GOOD.replace('      active: { type: boolean, trueValues: ["1", "2"] }', '      active: boolean'),
      true,
      'value-invalid:active',
      16,
    ],
    [
      'a zero date under the default zeroDate: error, found by --probe',
      GOOD.replace('last_seen: { type: timestamp, zeroDate: null }', 'last_seen: timestamp'),
      true,
      'value-invalid:last_seen',
      17,
    ],
    [
      'a date no calendar has (February 30), found by --probe',
      GOOD.replace('odd_day: drop', 'odd_day: date'),
      true,
      'value-invalid:odd_day',
      18,
    ],
    [
      'a value a uuid column cannot hold (a name where an id belongs), found by --probe',
      GOOD.replace('      ref: text', '      ref: { type: uuid, to: ref_id }'),
      true,
      'value-invalid:ref',
      19,
    ],
    [
      'a VARCHAR read as integer holding "12x", found by --probe',
      GOOD.replace('      qty: text', '      qty: { type: integer, to: qty_n }'),
      true,
      'value-invalid:qty',
      20,
    ],
    [
      'invalid JSON in a TEXT read as jsonb, found by --probe',
      GOOD.replace('      doc: text', '      doc: { type: jsonb, to: doc_j }'),
      true,
      'value-invalid:doc',
      21,
    ],
    // No source key: the target's primary key is probed, and 'x' is there twice.
    [
      'keys the target primary key refuses where the source has no key',
      GOOD.replace('    unique:\n      - { columns: [name], policy: keep-first }\n', ''),
      true,
      'duplicate-rows:',
      TAGS_LINE,
    ],
    // 'B2' twice is a duplicate; 'b2' is not, though MySQL's case-insensitive collation says so.
    [
      'keys a target unique index refuses, with no unique policy, found by --probe',
      GOOD.replace('    unique:\n      - { columns: [code], policy: keep-first }\n', ''),
      true,
      'duplicate-rows:',
      3,
    ],
    [
      'U+0000 in a column loaded as text, found by --probe',
      GOOD.replace('bio: latin1-base64', 'bio: text'),
      true,
      'value-invalid:bio',
      11,
    ],
  ];

  test('one broken mapping through the CLI: exit 3, the problem in the JSON and the text output', async () => {
    const [, yaml, probe, want, line] = cases[2];
    const r = await check(yaml, probe, true);
    expect(r.code).toBe(ExitCode.BadConfig);
    expect(errorsOf(r.problems)).toEqual([want]);
    expect(r.text).toMatch(
      new RegExp(`^error ${want.split(':')[0]}: .*m${n}\\.yaml:${line} \\(key tables\\.users\\.columns\\.`, 'm'),
    );
    expect(r.text).toContain('1 error(s), 3 warning(s)');
  });

  test.each(cases)('%s: exit 3, named at its line', async (_what, yaml, probe, want, line) => {
    const r = await check(yaml, probe);
    expect(errorsOf(r.problems)).toEqual([want]);
    expect(r.code).toBe(ExitCode.BadConfig);
    const p = r.problems.find((x) => x.severity === 'error')!;
    expect(p.at?.line).toBe(line);
    expect(p.expected ?? p.found).toBeDefined();
    expect(r.text).toContain(`m${n}.yaml:${line} (key ${p.at!.key})`);
  });

  test('a rejected value is shown by its least example, so the operator can find the row', async () => {
    const r = await check(GOOD.replace('      ref: text', '      ref: { type: uuid, to: ref_id }'), true);
    expect(r.text).toContain(
      '1 value(s) are not uuids; the first at source key (6f1c1b59-3c55-4c8f-9d1e-2a7b8c9d0e1f): "space-admin"',
    );
    // An upper-case uuid is not junk: the transform lower-cases it (counted).
    expect(r.text).not.toContain('6F1C1B59');
  });

  test('a duplicate key is counted as Postgres compares it, and shown by example', async () => {
    const r = await check(GOOD.replace('    unique:\n      - { columns: [code], policy: keep-first }\n', ''), true);
    expect(r.text).toContain(
      '1 row(s) repeat a key the target refuses; the first: key (code) = (B2) repeats under unique index users_code_key, at source key (7a2d2c6a-4d66-4d90-8e2f-3b8c9d0e1f20)',
    );
  });

  test('every problem at once: one run lists them all', async () => {
    let yaml = GOOD;
    const applied: string[] = [];
    for (const [, broken, , want] of cases) {
      // Each case's edit, as whole lines, onto the accumulated mapping; two edits of one line: the first wins.
      const edit = diffLines(GOOD, broken);
      if (!yaml.includes(edit.from)) continue;
      yaml = yaml.replace(edit.from, edit.to);
      applied.push(want);
    }
    // Only the two edits of the kind line collide.
    expect(applied.length).toBe(cases.length - 1);
    const r = await check(yaml, true, true);
    expect(r.code).toBe(ExitCode.BadConfig);
    expect(errorsOf(r.problems)).toEqual(expect.arrayContaining(applied));
    expect(r.text).toMatch(new RegExp(`${errorsOf(r.problems).length} error\\(s\\)`));
  });
});

/** The lines that differ between the good mapping and a broken one, as a replace of whole lines. */
function diffLines(good: string, broken: string): { from: string; to: string } {
  const g = good.split('\n');
  const b = broken.split('\n');
  let p = 0;
  while (p < g.length && p < b.length && g[p] === b[p]) p++;
  let q = 0;
  while (q < g.length - p && q < b.length - p && g[g.length - 1 - q] === b[b.length - 1 - q]) q++;
  const from = g.slice(p, g.length - q);
  const to = b.slice(p, b.length - q);
  // Whole lines with their line ends; every case changes at least one line of the good mapping.
  return { from: from.map((l) => `${l}\n`).join(''), to: to.map((l) => `${l}\n`).join('') };
}

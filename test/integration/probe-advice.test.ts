import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import mysql from 'mysql2/promise';
import { Client } from 'pg';
import { parseDocument, isMap, YAMLMap } from 'yaml';
import { parseConnectionUrl } from '../../src/core/connection-url';
import type { Pipeline } from '../../src/pipeline/load-pipeline';
import { runMapCheck, MapCheckResult } from '../../src/map-check/run-map-check';
import { describeProblem } from '../../src/mapping/check/mapping-problem';
import { withLoadAdvice } from '../../src/mapping/load-advice';
import { ConvergeError } from '../../src/core/errors';
import { runExport } from '../../src/export/run-export';
import { runTransform } from '../../src/transform/run-transform';
import { runMigrate } from '../../src/migrate/run-migrate';
import { readManifest } from '../../src/manifest';
import type { AdviceFix } from '../../src/mapping/value-advice';
import { createMysqlDb, createPgDb, TestDb } from '../helpers/databases';
import { quietLog } from '../helpers/pipeline-fixture';

/**
 * A corpus of dirty sources, generated per run (random table and column names, columns in a
 * random order on each side): NUL in text; the \u0000 escape in JSON for a json target (which
 * stores it) and for jsonb targets (read as json and as jsonb); non-latin1 text under a latin1
 * transform; booleans 2 and -1; a zero date; '' in a uuid column; duplicates under a unique
 * index only the target has; NULL into NOT NULL; an integer beyond the target's; a string
 * longer than the target column. `map check --probe` must list every problem in one run, each
 * with a fix; after applying exactly those fixes map check passes, and transform and migrate
 * load the result each advice promised, with every change counted.
 */
const r = randomBytes(3).toString('hex');
const T = `dirty_${r}`;
const C = Object.fromEntries(
  ['id', 'txt', 'js', 'jsb', 'jsb2', 'lat', 'flag', 'seen', 'ref', 'code', 'nick', 'big', 'title'].map((k) => [
    k,
    `${k}_${randomBytes(2).toString('hex')}`,
  ]),
) as Record<string, string>;

/** [key, MySQL type, Postgres type, mapping rule] */
const COLUMNS: Array<[string, string, string, string]> = [
  ['txt', 'TEXT NULL', 'text', 'text'],
  ['js', 'TEXT NULL', 'json', 'json'],
  ['jsb', 'TEXT NULL', 'jsonb', 'json'],
  ['jsb2', 'TEXT NULL', 'jsonb', 'jsonb'],
  ['lat', 'TEXT NULL', 'text', 'latin1-base64'],
  ['flag', 'TINYINT(1) NOT NULL', 'boolean NOT NULL', 'boolean'],
  ['seen', 'DATETIME NULL', 'timestamp', 'timestamp'],
  ['ref', 'CHAR(36) NULL', 'uuid', 'uuid'],
  ['code', 'VARCHAR(20) NOT NULL', 'text NOT NULL', 'text'],
  ['nick', 'VARCHAR(20) NULL', 'text NOT NULL', 'text'],
  ['big', 'BIGINT NOT NULL', 'integer NOT NULL', 'integer'],
  ['title', 'VARCHAR(100) NOT NULL', 'varchar(10) NOT NULL', 'text'],
];

const JSON_NUL = '{"k":"x\\u0000y"}';
const ROWS: Array<Record<string, unknown>> = [
  {
    id: 1,
    txt: 'a\u0000b',
    js: JSON_NUL,
    jsb: JSON_NUL,
    jsb2: JSON_NUL,
    lat: 'euro €',
    flag: 2,
    seen: '0000-00-00 00:00:00',
    ref: '',
    code: 'A',
    nick: null,
    big: 3000000000,
    title: 'x'.repeat(50),
  },
  {
    id: 2,
    txt: 'plain',
    js: '{"k":1}',
    jsb: '{"k":1}',
    jsb2: '{"k":1}',
    lat: 'café',
    flag: -1,
    seen: '2024-01-02 03:04:05',
    ref: '6ccd780c-baba-1026-9564-5b8c656024db',
    code: 'B',
    nick: 'n',
    big: 1,
    title: 'short',
  },
  {
    id: 3,
    txt: 'q',
    js: '{}',
    jsb: '{}',
    jsb2: '{}',
    lat: 'abc',
    flag: 0,
    seen: null,
    ref: null,
    code: 'A',
    nick: 'm',
    big: 2,
    title: 't',
  },
  {
    id: 4,
    txt: 'r',
    js: '[]',
    jsb: '[]',
    jsb2: '[]',
    lat: 'xyz',
    flag: 1,
    seen: null,
    ref: null,
    code: 'C',
    nick: null,
    big: 3,
    title: 'u',
  },
];

const shuffle = <X>(xs: X[]): X[] =>
  xs
    .map((x) => [Math.random(), x] as const)
    .sort((a, b) => a[0] - b[0])
    .map(([, x]) => x);

let my: TestDb;
let pg: TestDb;
let work: string;
let pgc: Client;
const mappingFile = () => path.join(work, 'mapping', 'map.yaml');
const source = () => parseConnectionUrl(my.url, 'mysql', 'test source');
const target = () => parseConnectionUrl(pg.url, 'postgres', 'test target');

beforeAll(async () => {
  [my, pg] = await Promise.all([createMysqlDb('probeadv'), createPgDb('probeadv')]);
  work = await fsp.mkdtemp(path.join(os.tmpdir(), 'converge-probe-advice-'));
  await fsp.mkdir(path.join(work, 'mapping'));
  const c = await mysql.createConnection({ uri: my.url });
  try {
    await c.query("SET SESSION sql_mode = ''");
    const cols = shuffle(COLUMNS).map(([k, t]) => `\`${C[k]}\` ${t}`);
    await c.query(`CREATE TABLE \`${T}\` (\`${C.id}\` INT NOT NULL PRIMARY KEY, ${cols.join(', ')})`);
    const keys = ['id', ...COLUMNS.map(([k]) => k)];
    for (const row of ROWS)
      await c.query(
        `INSERT INTO \`${T}\` (${keys.map((k) => `\`${C[k]}\``).join(', ')}) VALUES (${keys.map(() => '?').join(', ')})`,
        keys.map((k) => row[k]),
      );
  } finally {
    await c.end();
  }
  pgc = new Client({ connectionString: pg.url });
  await pgc.connect();
  const cols = shuffle(COLUMNS).map(([k, , t]) => `"${C[k]}" ${t}`);
  await pgc.query(`CREATE TABLE "${T}" ("${C.id}" integer PRIMARY KEY, ${cols.join(', ')});
    CREATE UNIQUE INDEX "${T}_code_only_here" ON "${T}" ("${C.code}")`);
  const rules = shuffle([['id', '', '', 'integer'] as (typeof COLUMNS)[number], ...COLUMNS])
    .map(([k, , , rule]) => `      ${C[k]}: ${rule}`)
    .join('\n');
  await fsp.writeFile(mappingFile(), `version: 1\ntables:\n  ${T}:\n    columns:\n${rules}\n`);
});

afterAll(async () => {
  await pgc?.end();
  await Promise.all([my?.drop(), pg?.drop()]);
  await fsp.rm(work, { recursive: true, force: true });
});

const check = () =>
  runMapCheck({ mappingDir: mappingFile(), source: source(), target: target(), targetSchema: 'public', probe: true });
const errorKinds = (res: MapCheckResult) =>
  res.problems
    .filter((p) => p.severity === 'error')
    .map((p) => `${p.kind}:${p.column ? Object.keys(C).find((k) => C[k] === p.column) : ''}`)
    .sort();

/** Applies a fix exactly as advised: mapping keys into the YAML, a target type by ALTER TABLE. */
async function applyFix(table: string, column: string | undefined, fix: AdviceFix): Promise<void> {
  const doc = parseDocument(await fsp.readFile(mappingFile(), 'utf8'));
  if (fix.column) {
    const node = doc.getIn(['tables', table, 'columns', column!]);
    const spec = isMap(node) ? (node as YAMLMap).toJSON() : { type: String(node) };
    doc.setIn(['tables', table, 'columns', column!], doc.createNode({ ...spec, ...fix.column }));
  }
  if (fix.table?.unique) doc.setIn(['tables', table, 'unique'], doc.createNode(fix.table.unique));
  if (fix.table?.dropRowsWithNull)
    doc.setIn(['tables', table, 'dropRowsWithNull'], doc.createNode(fix.table.dropRowsWithNull));
  await fsp.writeFile(mappingFile(), doc.toString());
  if (fix.targetType) await pgc.query(`ALTER TABLE "${table}" ALTER COLUMN "${column}" TYPE ${fix.targetType}`);
}

function pipeline(): Pipeline {
  return {
    name: `probe_${r}`,
    source: { database: my.name, exclude: [] },
    target: { database: pg.name, schema: 'public', migrations: '.', keep: [], replaceSeeded: [] },
    mapping: 'mapping',
    demoScale: 1,
    file: path.join(work, 'pipeline.yaml'),
    root: work,
  } as unknown as Pipeline;
}

describe('map check --probe on a dirty source: every problem in one run, and its advice loads', () => {
  let first: MapCheckResult;

  test('one run lists every problem, per column, with a count, the first row and a fix', async () => {
    first = await check();
    expect(errorKinds(first)).toEqual([
      'duplicate-rows:',
      'null-into-not-null:nick',
      'out-of-range:big',
      'too-long:title',
      'value-invalid:flag',
      'value-invalid:jsb',
      'value-invalid:jsb2',
      'value-invalid:lat',
      'value-invalid:ref',
      'value-invalid:seen',
      'value-invalid:txt',
    ]);
    for (const p of first.problems) {
      expect({ line: describeProblem(p), fix: !!p.fix }).toEqual({ line: describeProblem(p), fix: true });
      expect(p.firstKey).toMatch(/^\(\d\)$/);
    }
    const by = (k: string) => first.problems.find((p) => p.column === C[k])!;
    expect(by('nick')).toMatchObject({ count: 2, firstKey: '(1)' });
    // jsonb, whether read as json or as jsonb, gets the advice that loads into jsonb (never "use json").
    expect(by('jsb').expected).toBe(by('jsb2').expected);
    expect(by('jsb').expected).toContain("replace: { pattern: '(?<=(?:^|[^\\\\])(?:\\\\\\\\)*)\\\\u0000', with: '' }");
    expect(by('txt').expected).toContain("replace: { pattern: '\\x00', with: '' }");
    expect(by('flag').expected).toContain("'2', '-1'");
    expect(first.probe!.rows).toBe(4);
  });

  test('the transform words the same problem the same way (one function gives the advice)', async () => {
    const exportDir = path.join(work, 'export0');
    await runExport({ source: source(), outDir: exportDir, pipeline: 'p', log: quietLog });
    const e = await runTransform({
      exportDir,
      outDir: path.join(work, 'transform0'),
      mappingDir: mappingFile(),
      log: quietLog,
    }).then(
      () => undefined,
      (x: Error) => x,
    );
    expect(e?.message).toBeDefined();
    // The probe saw every dirty value of a column, the transform stops at its first: a listed
    // set of values (trueValues: [...]) may be shorter; the words around it are the same.
    const stem = (t: string) => t.replace(/\[[^\]]*\]/g, '[…]');
    const advised = first.problems.map((p) => stem(p.expected!));
    expect(advised.some((a) => stem(e!.message).includes(a))).toBe(true);
    // migrate runs the same program: its first refusal carries the same words.
    const m = await runMigrate({
      pipeline: pipeline(),
      source: source(),
      target: target(),
      workDir: path.join(work, 'work0'),
      mappingDir: mappingFile(),
      log: quietLog,
    }).then(
      () => undefined,
      (x: Error) => x,
    );
    expect(advised.some((a) => stem(m!.message).includes(a))).toBe(true);
  });

  test('a row Postgres refuses gets the words the probe gives for it (json into jsonb, \\u0000)', async () => {
    const jsb = first.problems.find((p) => p.column === C.jsb)!;
    const e = withLoadAdvice(
      new ConvergeError('LOAD_REJECTED', 'row rejected: unsupported Unicode escape sequence', {
        sqlstate: '22P05',
        column: C.jsb,
      }),
    );
    expect(e.message).toContain(jsb.expected!);
  });

  test('after applying exactly the fixes, map check passes, and transform and migrate load what they promised', async () => {
    for (const p of first.problems) await applyFix(T, p.column, p.fix!);
    const again = await check();
    expect(again.problems.filter((p) => p.severity === 'error').map(describeProblem)).toEqual([]);

    // transform (from an export): passes, and counts every change the fixes declared.
    const exportDir = path.join(work, 'export');
    const transformDir = path.join(work, 'transform');
    await runExport({ source: source(), outDir: exportDir, pipeline: 'p', log: quietLog });
    await runTransform({ exportDir, outDir: transformDir, mappingDir: mappingFile(), target: target(), log: quietLog });
    const m = await readManifest(transformDir, 'converge-transform/1');
    const changes = m.tables[T].changes!;
    expect(changes[C.txt]).toEqual({ replaced: 1 });
    expect(changes[C.jsb]).toEqual({ replaced: 1 });
    expect(changes[C.jsb2]).toEqual({ replaced: 1 });
    expect(changes[C.flag]).toEqual({ booleanRespelled: 2 });
    expect(changes[C.seen]).toEqual({ zeroDateNulled: 1 });
    expect(changes[C.ref]).toEqual({ emptyToNull: 1 });
    expect(changes[C.nick]).toEqual({ nullDefaulted: 2 });
    expect(changes[C.code]).toEqual({ duplicateDropped: 1 });
    expect(m.tables[T].rows).toBe(3);

    // migrate: loads, and the proof (verify) passes.
    const res = await runMigrate({
      pipeline: pipeline(),
      source: source(),
      target: target(),
      workDir: path.join(work, 'work'),
      mappingDir: mappingFile(),
      log: quietLog,
    });
    expect(res.tables.map((t) => t.status)).toEqual(['migrated']);
    expect(res.verify!.tables.filter((v) => !v.ok)).toEqual([]);
    const q = (k: string) => `"${C[k]}"`;
    const { rows } = await pgc.query(
      `SELECT ${q('id')} AS id, ${q('txt')} AS txt, ${q('js')}::text AS js, ${q('jsb')}::text AS jsb, ${q('jsb2')}::text AS jsb2,
         ${q('lat')} AS lat, ${q('flag')} AS flag, ${q('seen')}::text AS seen, ${q('ref')}::text AS ref, ${q('code')} AS code,
         ${q('nick')} AS nick, ${q('big')}::text AS big, length(${q('title')}) AS title FROM "${T}" ORDER BY 1`,
    );
    expect(rows).toEqual([
      {
        id: 1,
        txt: 'ab', // the NUL dropped, as the replace promised
        js: JSON_NUL, // json stores the escape: nothing to do
        jsb: '{"k": "xy"}',
        jsb2: '{"k": "xy"}',
        lat: 'euro €', // loaded as the text it holds
        flag: true, // 2 read as true
        seen: null, // the zero date as NULL
        ref: null, // '' as NULL
        code: 'A',
        nick: '', // NULL as ''
        big: '3000000000', // the widened column holds it
        title: 50, // the widened column holds it
      },
      {
        id: 2,
        txt: 'plain',
        js: '{"k":1}',
        jsb: '{"k": 1}',
        jsb2: '{"k": 1}',
        lat: 'café',
        flag: true, // -1 read as true
        seen: '2024-01-02 03:04:05',
        ref: '6ccd780c-baba-1026-9564-5b8c656024db',
        code: 'B',
        nick: 'n',
        big: '1',
        title: 5,
      },
      // Row 3 repeated code 'A': keep-first dropped it.
      {
        id: 4,
        txt: 'r',
        js: '[]',
        jsb: '[]',
        jsb2: '[]',
        lat: 'xyz',
        flag: true,
        seen: null,
        ref: null,
        code: 'C',
        nick: '',
        big: '3',
        title: 1,
      },
    ]);
  });
});

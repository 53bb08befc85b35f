import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { Client } from 'pg';
import { createMysqlDb, createPgDb, TestDb } from '../helpers/databases';

/**
 * converge as an operator meets it: packed, installed from the tarball into a prefix of its own
 * (production dependencies only), run from an empty folder of the operator's, on an application
 * schema this repository has never seen, with dirty values and a migration tool's tracking
 * table on both sides. The repository's own pipelines, mappings and fixtures play no part.
 */

const REPO = path.resolve(__dirname, '../..');
const work = mkdtempSync(path.join(os.tmpdir(), 'converge-installed-'));
const prefix = path.join(work, 'prefix');
const project = path.join(work, 'shop');
const installed = path.join(prefix, 'lib', 'node_modules', 'converge');
let my: TestDb;
let pg: TestDb;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** A process with no converge or npm settings of this test run leaking in (CONVERGE_*, npm_*). */
function run(cmd: string, args: string[], cwd: string, timeoutMs = 240_000): Promise<Run> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env))
    if (v !== undefined && !k.startsWith('CONVERGE_') && !(k.startsWith('npm_') && k !== 'npm_config_cache'))
      env[k] = v;
  env.PATH = `${path.join(prefix, 'bin')}${path.delimiter}${env.PATH ?? ''}`;
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}

const converge = (args: string[]) => run('converge', args, project);

function expectOk(r: Run, what: string): void {
  if (r.code !== 0) throw new Error(`${what} exited ${r.code}\n${r.stdout}\n${r.stderr}`);
}

/** Every file of the installed package with its content hash: nothing converge runs may change it. */
function snapshot(dir: string, into = new Map<string, string>()): Map<string, string> {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) snapshot(p, into);
    else into.set(path.relative(installed, p), createHash('sha256').update(readFileSync(p)).digest('hex'));
  }
  return into;
}

/** Columns in a random order, so nothing can lean on the order a person would write them in. */
function shuffled<T>(xs: T[]): T[] {
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

const U = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

async function createSource(url: string): Promise<void> {
  const c = await mysql.createConnection({ uri: url, multipleStatements: true });
  try {
    // The legacy application wrote zero dates: a strict session would refuse them.
    await c.query("SET SESSION sql_mode = ''");
    const cols = shuffled([
      '`id` CHAR(36) NOT NULL',
      '`name` VARCHAR(100) NOT NULL',
      '`is_active` TINYINT(1) NOT NULL DEFAULT 1',
      '`referrer_id` CHAR(36) NULL',
      '`created_at` DATETIME NOT NULL',
      '`deleted_at` DATETIME NULL',
    ]);
    await c.query(`
      CREATE TABLE customers (${cols.join(', ')}, PRIMARY KEY (id)) ENGINE=InnoDB;
      CREATE TABLE orders (
        id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
        customer_id CHAR(36) NOT NULL,
        total DECIMAL(10,2) NOT NULL,
        shipped_on DATE NULL,
        note TEXT NULL,
        CONSTRAINT orders_customer FOREIGN KEY (customer_id) REFERENCES customers (id)
      ) ENGINE=InnoDB;
      CREATE TABLE knex_migrations (
        id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
        name VARCHAR(255), batch INT, migration_time DATETIME
      ) ENGINE=InnoDB;
      INSERT INTO knex_migrations (name, batch, migration_time) VALUES
        ('20190101_mysql_init.js', 1, '2019-01-01 10:00:00'),
        ('20200202_mysql_only_fix.js', 2, '2020-02-02 10:00:00');
    `);
    await c.query('INSERT INTO customers (id, name, is_active, referrer_id, created_at, deleted_at) VALUES ?', [
      [
        [U(1), 'Ada', 1, null, '2021-03-04 05:06:07', null],
        [U(2), 'Grace', 2, '', '2021-04-05 06:07:08', '0000-00-00 00:00:00'],
        [U(3), 'Linus', 0, U(1), '2022-05-06 07:08:09', '2023-01-02 03:04:05'],
        [U(4), 'Edsger', -1, '', '2022-06-07 08:09:10', null],
      ],
    ]);
    await c.query('INSERT INTO orders (customer_id, total, shipped_on, note) VALUES ?', [
      [
        [U(1), '10.50', '2021-03-05', 'first'],
        [U(2), '0.99', '0000-00-00', null],
        [U(2), '1234.00', null, 'line\nbreak, "quoted"'],
        [U(3), '7.00', '2022-05-07', ''],
      ],
    ]);
  } finally {
    await c.end();
  }
}

/** The application's own Postgres schema, applied by the application (no migrations in converge). */
async function createTarget(url: string): Promise<void> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(`
      CREATE TABLE customers (
        id uuid PRIMARY KEY, name varchar(100) NOT NULL, is_active boolean NOT NULL DEFAULT true,
        referrer_id uuid NULL, created_at timestamp NOT NULL, deleted_at timestamp NULL);
      CREATE TABLE orders (
        id integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        customer_id uuid NOT NULL REFERENCES customers (id),
        total numeric(10,2) NOT NULL, shipped_on date NULL, note text NULL);
      CREATE TABLE knex_migrations (
        id serial PRIMARY KEY, name varchar(255), batch integer, migration_time timestamptz);
      INSERT INTO knex_migrations (name, batch, migration_time) VALUES
        ('20190101_pg_init.js', 1, '2024-01-01 10:00:00+00'),
        ('20240301_pg_indexes.js', 1, '2024-01-01 10:00:01+00'),
        ('20240415_pg_trgm.js', 2, '2024-04-15 09:00:00+00');
    `);
  } finally {
    await c.end();
  }
}

async function pgRows(url: string, sql: string): Promise<unknown[]> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(sql)).rows;
  } finally {
    await c.end();
  }
}

beforeAll(async () => {
  [my, pg] = await Promise.all([createMysqlDb('installed'), createPgDb('installed')]);
  await Promise.all([createSource(my.url), createTarget(pg.url)]);
}, 60_000);

afterAll(async () => {
  await Promise.all([my?.drop(), pg?.drop()]);
  rmSync(work, { recursive: true, force: true });
});

describe('converge installed from its tarball, in an operator folder', () => {
  let before: Map<string, string>;
  let knexBefore: unknown[];

  test('npm pack, then npm install -g of the tarball into a prefix: a converge command with production dependencies only', async () => {
    // The package is packed from the build this test run made (npm test builds first): running
    // prepack's build here would rewrite dist/ under the other test files using it.
    expect(existsSync(path.join(REPO, 'dist', 'src', 'index.js'))).toBe(true);
    const pkg = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8'));
    expect(pkg.scripts.prepack).toBe('npm run build');
    const pack = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], REPO);
    expectOk(pack, 'npm pack');
    const tarball = path.join(work, JSON.parse(pack.stdout)[0].filename as string);
    const inst = await run(
      'npm',
      ['install', '--global', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', tarball],
      work,
    );
    expectOk(inst, 'npm install -g');
    // Development dependencies are not there, so nothing at run time can lean on them.
    const deps = readdirSync(path.join(installed, 'node_modules'));
    for (const dev of ['typeorm', 'jest', 'typescript', 'csv-parse', 'reflect-metadata', 'ts-jest'])
      expect({ dev, installed: deps.includes(dev) }).toEqual({ dev, installed: false });
    for (const dir of ['fixtures', 'pipelines', 'mappings', 'test', 'src'])
      expect({ dir, shipped: existsSync(path.join(installed, dir)) }).toEqual({ dir, shipped: false });
    expect(existsSync(path.join(installed, 'dist', 'src', 'index.d.ts'))).toBe(true);
    before = snapshot(installed);
    mkdirSync(project);
    const v = await converge(['--version']);
    expectOk(v, 'converge --version');
    expect(v.stdout.trim()).toBe(pkg.version);
  }, 300_000);

  test('converge init writes the project; commands find its pipeline there', async () => {
    const init = await converge(['init']);
    expectOk(init, 'converge init');
    for (const f of ['pipelines/shop/pipeline.yaml', 'mappings/shop/README.md', '.env.example', '.gitignore'])
      expect({ f, written: existsSync(path.join(project, f)) }).toEqual({ f, written: true });
    expect(readFileSync(path.join(project, '.gitignore'), 'utf8')).toContain('converge-work/');
    const again = await converge(['init']);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('nothing was written');
    writeFileSync(path.join(project, '.env'), `CONVERGE_SOURCE_URL=${my.url}\nCONVERGE_TARGET_URL=${pg.url}\n`);
    knexBefore = await pgRows(pg.url, 'SELECT * FROM knex_migrations ORDER BY id');
  });

  test('map init --probe: tracking tables left out with their reason, one proposed default per kind of dirty value', async () => {
    const r = await converge(['map', 'init', '--probe']);
    expectOk(r, 'map init --probe');
    const draftFile = path.join(project, 'mappings', 'shop.draft.yaml');
    expect(r.stdout).toContain(`wrote ${draftFile}`);
    expect(r.stdout).toMatch(/left out \(source\): knex_migrations is the migration-tracking table of Knex/);
    expect(r.stdout).toMatch(/left out \(target\): knex_migrations/);
    const text = readFileSync(draftFile, 'utf8');
    const todos = [...text.matchAll(/# TODO\(([a-z-]+)\)/g)].map((m) => m[1]);
    // Nothing but the zone question and the proposals: every dirty value is one decision per kind.
    expect(todos.filter((k) => k !== 'timezone' && k !== 'type-default')).toEqual([]);
    const proposed = text
      .split('\n')
      .filter((l, i, all) => /# TODO\(type-default\)/.test(all[i - 1] ?? ''))
      .map((l) => l.trim());
    expect(proposed.sort()).toEqual([
      '# boolean: { trueValues: ["1", "Y", "y", "true", "TRUE", "T", "t", "-1", "2"] }',
      '# date: { zeroDate: null }',
      '# timestamp: { zeroDate: null }',
      '# uuid: { emptyToNull: true }',
    ]);
    expect(text).toMatch(/ {2}knex_migrations: skip\n/);
    // Without the decisions, map check --probe fails on exactly those values.
    writeFileSync(path.join(project, 'mappings', 'shop', 'shop.yaml'), text);
    const undecided = await converge(['map', 'check', '--probe']);
    expect(undecided.code).toBe(3);
    expect(undecided.stdout).toContain('value-invalid');
  }, 180_000);

  test('applying only the proposed defaults, map check --probe passes, migrate loads and verifies', async () => {
    const text = readFileSync(path.join(project, 'mappings', 'shop.draft.yaml'), 'utf8')
      .split('\n')
      .map((l, i, all) => (/# TODO\(type-default\)/.test(all[i - 1] ?? '') ? l.replace(/^(\s*)# /, '$1') : l))
      .join('\n');
    writeFileSync(path.join(project, 'mappings', 'shop', 'shop.yaml'), text);
    const check = await converge(['map', 'check', '--probe']);
    expectOk(check, 'map check --probe');
    expect(check.stdout).toMatch(/^0 error\(s\)/m);
    const mig = await converge(['migrate']);
    expectOk(mig, 'migrate');
    // verify's verdict per table: counts and checksums agree on both loaded tables.
    for (const table of ['customers', 'orders'])
      expect(mig.stdout).toMatch(new RegExp(`^\\s*${table}\\s.*\\byes\\s*$`, 'm'));
    expect(mig.stdout).not.toMatch(/\bNO\b/);
    expect(mig.stdout).not.toContain('knex_migrations');
    expect(
      await pgRows(pg.url, 'SELECT name, is_active, referrer_id, deleted_at FROM customers ORDER BY created_at'),
    ).toEqual([
      { name: 'Ada', is_active: true, referrer_id: null, deleted_at: null },
      { name: 'Grace', is_active: true, referrer_id: null, deleted_at: null },
      { name: 'Linus', is_active: false, referrer_id: U(1), deleted_at: new Date('2023-01-02T03:04:05') },
      { name: 'Edsger', is_active: true, referrer_id: null, deleted_at: null },
    ]);
    expect(await pgRows(pg.url, 'SELECT count(*)::int AS n FROM orders WHERE shipped_on IS NULL')).toEqual([{ n: 2 }]);
    // The application's migration history on the target is exactly what its own tool wrote.
    expect(await pgRows(pg.url, 'SELECT * FROM knex_migrations ORDER BY id')).toEqual(knexBefore);
    // Everything converge wrote is in the operator's folder; nothing in the installed package.
    expect(statSync(path.join(project, 'converge-work', 'shop')).isDirectory()).toBe(true);
    expect(snapshot(installed)).toEqual(before);
  }, 300_000);

  test('the library entry point: typed imports compile against the installed .d.ts, and load at run time', async () => {
    const app = path.join(work, 'lib-user');
    mkdirSync(path.join(app, 'node_modules'), { recursive: true });
    symlinkSync(installed, path.join(app, 'node_modules', 'converge'), 'dir');
    writeFileSync(
      path.join(app, 'use.ts'),
      [
        "import { loadPipeline, mapCheck, migrate, verify, ConvergeError, ExitCode } from 'converge';",
        "import type { MigrateOptions, MapCheckResult, Pipeline } from 'converge';",
        'export async function plan(dir: string): Promise<[Pipeline, number]> {',
        '  const p = await loadPipeline(undefined, dir);',
        '  const o: Partial<MigrateOptions> = { pipeline: p, jobs: 2 };',
        '  const r: MapCheckResult | undefined = undefined;',
        '  void [o, r, mapCheck, migrate, verify, ConvergeError];',
        '  return [p, ExitCode.Ok];',
        '}',
        '',
      ].join('\n'),
    );
    const tsc = await run(
      process.execPath,
      [
        path.join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'),
        '--noEmit',
        '--strict',
        '--skipLibCheck',
        '--module',
        'commonjs',
        '--moduleResolution',
        'node',
        '--target',
        'ES2022',
        '--types',
        'node',
        '--typeRoots',
        path.join(REPO, 'node_modules', '@types'),
        'use.ts',
      ],
      app,
    );
    expectOk(tsc, 'tsc on a program importing converge');
    const load = await run(
      process.execPath,
      [
        '-e',
        "const c = require('converge'); console.log(['migrate', 'verify', 'mapCheck', 'mapInit', 'loadPipeline', 'initProject'].map((k) => typeof c[k]).join(','))",
      ],
      app,
    );
    expectOk(load, 'require converge');
    expect(load.stdout.trim()).toBe('function,function,function,function,function,function');
    expect(snapshot(installed)).toEqual(before);
  }, 120_000);

  test('a mapping that copies the tracking table is refused by map check', async () => {
    const file = path.join(project, 'mappings', 'shop', 'shop.yaml');
    const text = readFileSync(file, 'utf8');
    writeFileSync(
      file,
      text.replace(
        /knex_migrations: skip/,
        'knex_migrations:\n    columns: { id: copy, name: text, batch: integer, migration_time: timestamp }',
      ),
    );
    const r = await converge(['map', 'check']);
    expect(r.code).toBe(3);
    expect(r.stdout).toContain('tracking-table-copied');
    writeFileSync(file, text);
  }, 120_000);
});

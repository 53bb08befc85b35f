import os from 'node:os';
import path from 'node:path';
import { promises as fsp } from 'node:fs';
import { Client } from 'pg';
import { createPgDb, TestDb } from '../helpers/databases';
import { runCli } from '../helpers/run-cli';
import { ExitCode } from '../../src/core/exit-codes';

/** `schema apply` enforces one owner per schema: the application's migrations are linted first. */
let db: TestDb;
let dir: string;

beforeAll(async () => {
  db = await createPgDb('apply');
  dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'converge-apply-'));
});

afterAll(async () => {
  await db.drop();
  await fsp.rm(dir, { recursive: true, force: true });
});

async function pipelineWith(name: string, sql: string): Promise<string> {
  const mig = path.join(dir, 'migrations', name, 'postgres');
  await fsp.mkdir(mig, { recursive: true });
  await fsp.writeFile(path.join(mig, '0001_init.sql'), sql);
  const file = path.join(dir, `${name}.yaml`);
  await fsp.writeFile(
    file,
    `name: ${name}\nsource: { database: none }\ntarget: { database: ${db.name}, migrations: migrations/${name}/postgres, tracking: { table: ${name}_versions, style: converge } }\nmapping: mapping\n`,
  );
  return file;
}

async function tables(): Promise<string[]> {
  const c = new Client({ connectionString: db.url });
  await c.connect();
  try {
    return (
      await c.query(
        "SELECT table_schema || '.' || table_name AS t FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1",
      )
    ).rows.map((r) => r.t);
  } finally {
    await c.end();
  }
}

describe('converge schema apply', () => {
  it("refuses migrations that reach into converge's schema, naming file and line, applying nothing", async () => {
    const file = await pipelineWith(
      'intruder',
      'CREATE TABLE widgets (id integer PRIMARY KEY);\nCREATE SCHEMA IF NOT EXISTS converge;\nCREATE TABLE converge.extra (id integer);\n',
    );
    const r = await runCli([
      'schema',
      'apply',
      '--pipeline',
      file,
      '--target',
      db.url,
      '--source',
      'mysql://root@127.0.0.1:3306/none',
    ]);
    expect(r.code).toBe(ExitCode.TargetState);
    expect(r.stderr).toContain('foreign-schema');
    expect(r.stderr).toMatch(/0001_init\.sql:2/);
    expect(await tables()).toEqual([]);
  });

  it('refuses MySQL DDL in a Postgres migration the same way', async () => {
    const file = await pipelineWith('dialect', 'CREATE TABLE `w` (id int AUTO_INCREMENT PRIMARY KEY) ENGINE=InnoDB;\n');
    const r = await runCli([
      'schema',
      'apply',
      '--pipeline',
      file,
      '--target',
      db.url,
      '--source',
      'mysql://root@127.0.0.1:3306/none',
    ]);
    expect(r.code).toBe(ExitCode.TargetState);
    expect(r.stderr).toMatch(/mysql-(backtick|autoincrement|engine)/);
    expect(await tables()).toEqual([]);
  });

  it('applies valid migrations once; a second run changes nothing', async () => {
    const file = await pipelineWith('fine', 'CREATE TABLE widgets (id integer PRIMARY KEY, name text NOT NULL);\n');
    const first = await runCli([
      'schema',
      'apply',
      '--pipeline',
      file,
      '--target',
      db.url,
      '--source',
      'mysql://root@127.0.0.1:3306/none',
    ]);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/0001\s+init\s+applied/);
    const second = await runCli([
      'schema',
      'apply',
      '--pipeline',
      file,
      '--target',
      db.url,
      '--source',
      'mysql://root@127.0.0.1:3306/none',
    ]);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/0001\s+init\s+already-applied/);
    expect(await tables()).toEqual(['public.fine_versions', 'public.widgets']);
  });
});

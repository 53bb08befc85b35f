import os from 'node:os';
import path from 'node:path';
import { promises as fsp } from 'node:fs';
import mysql from 'mysql2/promise';
import { Client } from 'pg';
import { parseConnectionUrl } from '../../src/core/connection-url';
import type { Pipeline } from '../../src/pipeline/load-pipeline';
import { runMigrate } from '../../src/migrate/run-migrate';
import { createMysqlDb, createPgDb, TestDb } from '../helpers/databases';
import { quietLog } from '../helpers/pipeline-fixture';

/**
 * A failed migrate never removes data it did not replace: the target's seeded rows (a platform
 * singleton the application's migrations insert, as Alkemio's) are deleted only inside the
 * transaction that loads their replacement. Names are random per run, so nothing here is a
 * schema the code was written against.
 */
const tag = Math.random().toString(36).slice(2, 7);
const ORG = `org_${tag}`;
const PLATFORM = `platform_${tag}`;
const CHILD = `space_${tag}`;
const SEED_ID = '00000000-0000-4000-8000-00000000beef';

let my: TestDb;
let pg: TestDb;
let work: string;
let pgc: Client;

beforeAll(async () => {
  [my, pg] = await Promise.all([createMysqlDb('seedok'), createPgDb('seedok')]);
  work = await fsp.mkdtemp(path.join(os.tmpdir(), 'converge-seeded-'));
  pgc = new Client({ connectionString: pg.url });
  await pgc.connect();
  await pgc.query(`CREATE TABLE "${ORG}" (id int PRIMARY KEY, name text NOT NULL);
    CREATE TABLE "${PLATFORM}" (id uuid PRIMARY KEY, org_id int REFERENCES "${ORG}" (id), label varchar(20) NOT NULL);
    CREATE TABLE "${CHILD}" (id int PRIMARY KEY, platform_id uuid NOT NULL REFERENCES "${PLATFORM}" (id), title text NOT NULL)`);
  await fsp.writeFile(
    path.join(work, 'map.yaml'),
    `tables:
  ${ORG}: { columns: { id: integer, name: text } }
  ${PLATFORM}: { columns: { id: uuid, org_id: integer, label: text } }
  ${CHILD}: { columns: { id: integer, platform_id: uuid, title: text } }
`,
  );
});

afterAll(async () => {
  await pgc?.end();
  await Promise.all([my?.drop(), pg?.drop()]);
  await fsp.rm(work, { recursive: true, force: true });
});

/** Fresh source rows (bad where asked) and a target holding only the seeded singleton. */
async function prepare(bad: 'org' | 'platform' | 'child'): Promise<void> {
  const c = await mysql.createConnection({ uri: my.url, multipleStatements: true });
  try {
    await c.query(`DROP TABLE IF EXISTS \`${CHILD}\`, \`${PLATFORM}\`, \`${ORG}\`;
      CREATE TABLE \`${ORG}\` (id int PRIMARY KEY, name varchar(40) NULL);
      CREATE TABLE \`${PLATFORM}\` (id char(36) PRIMARY KEY, org_id int NULL, label varchar(40) NULL);
      CREATE TABLE \`${CHILD}\` (id int PRIMARY KEY, platform_id char(36) NOT NULL, title varchar(40) NULL)`);
    await c.query(`INSERT INTO \`${ORG}\` VALUES (1, ?), (2, 'two')`, [bad === 'org' ? null : 'one']);
    await c.query(`INSERT INTO \`${PLATFORM}\` VALUES ('11111111-1111-4111-8111-111111111111', 1, ?)`, [
      bad === 'platform' ? 'a label far too long for twenty' : 'source platform',
    ]);
    await c.query(`INSERT INTO \`${CHILD}\` VALUES (1, '11111111-1111-4111-8111-111111111111', ?)`, [
      bad === 'child' ? null : 'a space',
    ]);
  } finally {
    await c.end();
  }
  await pgc.query(`TRUNCATE "${CHILD}", "${PLATFORM}", "${ORG}"`);
  await pgc.query(`INSERT INTO "${PLATFORM}" VALUES ($1, NULL, 'seeded')`, [SEED_ID]);
}

async function migrate(): Promise<unknown> {
  const pipeline = {
    name: `seeded_${tag}`,
    source: { database: my.name, exclude: [] },
    target: { database: pg.name, schema: 'public', migrations: '.', keep: [], replaceSeeded: [PLATFORM] },
    mapping: '.',
    demoScale: 1,
    file: path.join(work, 'pipeline.yaml'),
    root: work,
  } as unknown as Pipeline;
  return runMigrate({
    pipeline,
    source: parseConnectionUrl(my.url, 'mysql', 'test source'),
    target: parseConnectionUrl(pg.url, 'postgres', 'test target'),
    workDir: path.join(work, 'work'),
    mappingDir: work,
    log: quietLog,
    verify: false,
  }).then(
    () => undefined,
    (e: unknown) => e,
  );
}

async function platformRows(): Promise<Array<{ id: string; label: string }>> {
  return (await pgc.query(`SELECT id::text, label FROM "${PLATFORM}" ORDER BY id`)).rows;
}

describe('replaceSeeded: a failed migrate leaves the seeded rows it did not replace', () => {
  it('a failure before the seeded table loads (a table it references) leaves the seed intact', async () => {
    await prepare('org');
    const e = (await migrate()) as { code?: string; context?: { table?: string } };
    expect(e?.code).toBe('LOAD_REJECTED');
    expect(e.context?.table).toContain(ORG);
    expect(await platformRows()).toEqual([{ id: SEED_ID, label: 'seeded' }]);
  });

  it('a failure in the load of the seeded table itself rolls its deletion back with it', async () => {
    await prepare('platform');
    const e = (await migrate()) as { code?: string; context?: { table?: string } };
    expect(e?.code).toBe('LOAD_REJECTED');
    expect(e.context?.table).toContain(PLATFORM);
    // The advice map check --probe gives for the same problem.
    expect((e as Error).message).toContain('widen the target column to the longest value or text');
    expect(await platformRows()).toEqual([{ id: SEED_ID, label: 'seeded' }]);
  });

  it('a failure in a later table leaves the seeded table holding its replacement, never empty', async () => {
    await prepare('child');
    const e = (await migrate()) as { code?: string; context?: { table?: string } };
    expect(e?.code).toBe('LOAD_REJECTED');
    expect(e.context?.table).toContain(CHILD);
    expect(await platformRows()).toEqual([{ id: '11111111-1111-4111-8111-111111111111', label: 'source platform' }]);
    expect((await pgc.query(`SELECT count(*)::int AS n FROM "${CHILD}"`)).rows[0].n).toBe(0);
  });

  it('a run that succeeds replaces the seed with the source rows', async () => {
    await prepare('platform');
    await fsp.rm(path.join(work, 'work'), { recursive: true, force: true });
    const c = await mysql.createConnection({ uri: my.url });
    await c.query(`UPDATE \`${PLATFORM}\` SET label = 'fixed'`);
    await c.end();
    expect(await migrate()).toBeUndefined();
    expect(await platformRows()).toEqual([{ id: '11111111-1111-4111-8111-111111111111', label: 'fixed' }]);
  });
});

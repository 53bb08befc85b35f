import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import mysql from 'mysql2/promise';
import { Client } from 'pg';
import { parseConnectionUrl } from '../../src/core/connection-url';
import type { Pipeline } from '../../src/pipeline/load-pipeline';
import { runMapCheck } from '../../src/map-check/run-map-check';
import { runExport } from '../../src/export/run-export';
import { runTransform } from '../../src/transform/run-transform';
import { runImport } from '../../src/import/run-import';
import { runMigrate } from '../../src/migrate/run-migrate';
import { readManifest } from '../../src/manifest';
import { createMysqlDb, createPgDb, TestDb } from '../helpers/databases';
import { quietLog } from '../helpers/pipeline-fixture';

/**
 * Keys in the same words everywhere, on the real servers:
 * - a unique index only the target has, over two columns: `map check --probe`, transform (with
 *   `unique: fail`), import and migrate each name every key column and the repeated values, and
 *   give the probe's advice;
 * - a table the target already holds rows of, under `existing: fail | skip | replace`: the probe
 *   applies the policy as the load will (fail is an error with a count, the first key and
 *   advice; skip and replace are counted changes with their first key), and the transform's
 *   ledger counts the same.
 */
const r = randomBytes(3).toString('hex');
const ACCT = `acct_${r}`;
const SEEDED = `seeded_${r}`;
const INDEX = `${ACCT}_tenant_email`;

let my: TestDb;
let pg: TestDb;
let work: string;
const mappingFile = () => path.join(work, 'mapping', 'map.yaml');
const source = () => parseConnectionUrl(my.url, 'mysql', 'test source');
const target = () => parseConnectionUrl(pg.url, 'postgres', 'test target');
let exportDir: string;

beforeAll(async () => {
  [my, pg] = await Promise.all([createMysqlDb('keywords'), createPgDb('keywords')]);
  work = await fsp.mkdtemp(path.join(os.tmpdir(), 'converge-key-words-'));
  await fsp.mkdir(path.join(work, 'mapping'));
  const c = await mysql.createConnection({ uri: my.url });
  try {
    await c.query(
      `CREATE TABLE \`${ACCT}\` (id INT NOT NULL PRIMARY KEY, tenant INT NOT NULL, email VARCHAR(50) NOT NULL)`,
    );
    // (1, a@x) twice: distinct rows in MySQL, one key under the target's index.
    await c.query(`INSERT INTO \`${ACCT}\` VALUES (1, 1, 'a@x'), (2, 1, 'b@x'), (3, 1, 'a@x'), (4, 2, 'a@x')`);
    await c.query(`CREATE TABLE \`${SEEDED}\` (id INT NOT NULL PRIMARY KEY, name VARCHAR(20) NOT NULL)`);
    await c.query(`INSERT INTO \`${SEEDED}\` VALUES (1, 'a'), (2, 'b'), (3, 'c')`);
  } finally {
    await c.end();
  }
  const p = new Client({ connectionString: pg.url });
  await p.connect();
  try {
    await p.query(`CREATE TABLE "${ACCT}" (id integer PRIMARY KEY, tenant integer NOT NULL, email text NOT NULL,
      CONSTRAINT "${INDEX}" UNIQUE (tenant, email))`);
    // The target's own seed: names b and c, under other ids.
    await p.query(`CREATE TABLE "${SEEDED}" (id integer PRIMARY KEY, name text NOT NULL UNIQUE)`);
    await p.query(`INSERT INTO "${SEEDED}" VALUES (100, 'b'), (101, 'c')`);
  } finally {
    await p.end();
  }
  exportDir = path.join(work, 'export');
  await runExport({ source: source(), outDir: exportDir, pipeline: 'p', log: quietLog });
});

afterAll(async () => {
  await Promise.all([my?.drop(), pg?.drop()]);
  await fsp.rm(work, { recursive: true, force: true });
});

async function writeMapping(o: { unique?: string; existing: 'skip' | 'replace' | 'fail' }): Promise<void> {
  await fsp.writeFile(
    mappingFile(),
    `version: 1
tables:
  ${ACCT}:
    columns: { id: integer, tenant: integer, email: text }
${o.unique ? `    unique:\n      - { columns: [tenant, email], policy: ${o.unique} }\n` : ''}  ${SEEDED}:
    columns: { id: integer, name: text }
    existing: { key: [name], policy: ${o.existing} }
`,
  );
}

const check = () =>
  runMapCheck({ mappingDir: mappingFile(), source: source(), target: target(), targetSchema: 'public', probe: true });

let n = 0;
const transform = async () => {
  const outDir = path.join(work, `transform${n++}`);
  await runTransform({ exportDir, outDir, mappingDir: mappingFile(), target: target(), log: quietLog });
  return outDir;
};
const failure = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected a failure');
    },
    (e: Error & { code?: string }) => e,
  );

function pipeline(): Pipeline {
  return {
    name: `keys_${r}`,
    source: { database: my.name, exclude: [] },
    target: { database: pg.name, schema: 'public', migrations: '.', keep: [], replaceSeeded: [] },
    mapping: 'mapping',
    demoScale: 1,
    file: path.join(work, 'pipeline.yaml'),
    root: work,
  } as unknown as Pipeline;
}

describe('a unique index over two columns: every command names both columns and the repeated values', () => {
  const words = 'key (tenant, email) = (1, a@x) repeats';

  test('map check --probe, import and migrate: the same key, the same advice', async () => {
    await writeMapping({ existing: 'skip' });
    const probed = await check();
    const dup = probed.problems.filter((p) => p.kind === 'duplicate-rows');
    expect(dup).toHaveLength(1);
    expect(dup[0]).toMatchObject({ table: ACCT, count: 1, firstKey: '(3)' });
    expect(dup[0].message).toContain(`${words} under unique index ${INDEX}`);
    expect(dup[0].expected).toContain('declare unique: [{ columns: [tenant, email], policy: keep-first }]');

    // import: transform does not know the target's index; Postgres refuses the row, and the message says which key.
    const dir = await transform();
    const imp = await failure(runImport({ dir, target: target(), log: quietLog }));
    expect(imp.code).toBe('LOAD_REJECTED');
    expect(imp.message).toContain(`${words} under unique index ${INDEX}`);
    expect(imp.message).toContain(dup[0].expected!);
    expect((imp as unknown as { context: Record<string, unknown> }).context).toMatchObject({
      columns: ['tenant', 'email'],
      values: '1, a@x',
    });

    // migrate: the same program into COPY, the same words.
    const mig = await failure(
      runMigrate({
        pipeline: pipeline(),
        source: source(),
        target: target(),
        workDir: path.join(work, 'migrate-dup'),
        mappingDir: mappingFile(),
        log: quietLog,
      }),
    );
    expect(mig.code).toBe('LOAD_REJECTED');
    expect(mig.message).toContain(`${words} under unique index ${INDEX}`);
    expect(mig.message).toContain(dup[0].expected!);
  });

  test('transform under unique: fail says it as the probe does (a policy of the mapping: no target index to name)', async () => {
    await writeMapping({ unique: 'fail', existing: 'skip' });
    const probed = await check();
    const dup = probed.problems.find((p) => p.kind === 'duplicate-rows')!;
    expect(dup.message).toContain(words);
    const e = await failure(transform());
    expect(e.code).toBe('DUPLICATE_ROW');
    expect(e.message).toContain(`${words} (the first at line 2)`);
    expect(e.message).toContain(dup.expected!);
  });
});

describe('existing: the probe applies the policy to the keys the target holds, as the load will', () => {
  // A load above may have committed the seeded table's rows: back to the target's own seed.
  beforeEach(async () => {
    const p = new Client({ connectionString: pg.url });
    await p.connect();
    try {
      await p.query(`DELETE FROM "${SEEDED}"; INSERT INTO "${SEEDED}" VALUES (100, 'b'), (101, 'c')`);
    } finally {
      await p.end();
    }
  });

  test('fail: an error with a count, the first key and advice; transform stops in the same words', async () => {
    await writeMapping({ unique: 'keep-first', existing: 'fail' });
    const probed = await check();
    const held = probed.problems.filter((p) => p.kind === 'existing-rows');
    expect(held).toHaveLength(1);
    expect(held[0]).toMatchObject({ severity: 'error', table: SEEDED, count: 2, firstKey: '(2)' });
    expect(held[0].message).toContain(
      `key (name) = (b) is already in target table ${SEEDED}, and the existing policy is fail`,
    );
    expect(held[0].expected).toContain('declare existing: { key: [name], policy: skip }');
    expect(probed.errors).toBe(1);
    const e = await failure(transform());
    expect(e.code).toBe('DUPLICATE_ROW');
    expect(e.message).toContain(`key (name) = (b) is already in target table ${SEEDED}`);
    expect(e.message).toContain(held[0].expected!);
  });

  test.each(['skip', 'replace'] as const)(
    '%s: counted with its first key by the probe, and the same count in the transform ledger',
    async (policy) => {
      await writeMapping({ unique: 'keep-first', existing: policy });
      const probed = await check();
      expect(probed.problems.filter((p) => p.severity === 'error')).toEqual([]);
      const kind = policy === 'skip' ? 'existingSkipped' : 'existingReplaced';
      expect(probed.probe!.changes.filter((c) => c.table === SEEDED)).toEqual([
        { table: SEEDED, column: 'name', kind, count: 2, firstKey: '(2)' },
      ]);
      const m = await readManifest(await transform(), 'converge-transform/1');
      expect(m.tables[SEEDED].changes).toEqual({ name: { [kind]: 2 } });
      expect(m.tables[SEEDED].rows).toBe(policy === 'skip' ? 1 : 3);
    },
  );
});

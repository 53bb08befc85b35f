import path from 'node:path';
import mysql from 'mysql2/promise';
import { Client } from 'pg';
import { seedKratos } from '../../fixtures/demo/kratos-seed';
import { runPipeline } from '../../src/pipeline/run-pipeline';
import { runVerifyReport, TableVerdict } from '../../src/verify/run-verify';
import { pipelineFixture, PipelineFixture, quietLog } from '../helpers/pipeline-fixture';

/**
 * The checksum drill-down drill: a Kratos load is proved, then one target row is corrupted and
 * one deleted; verify must name the table, narrow down to a key range holding the bad row and
 * print it from both sides. Also proves orphans and sequence checks pass on a clean load and
 * catch a deliberately broken one.
 */
let fx: PipelineFixture;
let pg: Client;

beforeAll(async () => {
  fx = await pipelineFixture('kratos');
  const my = await mysql.createConnection({ uri: fx.mysqlDb.url });
  try {
    await seedKratos(my, { scale: 700 });
  } finally {
    await my.end();
  }
  await runPipeline({
    pipeline: fx.pipeline,
    source: fx.source,
    target: fx.target,
    workDir: fx.workDir,
    log: quietLog,
    jobs: 2,
  });
  pg = new Client({ connectionString: fx.pgDb.url });
  await pg.connect();
});

afterAll(async () => {
  await pg?.end();
  await fx?.cleanup();
});

const verify = () =>
  runVerifyReport({
    dir: path.join(fx.workDir, 'transform'),
    mappingDir: path.join(fx.pipeline.root, fx.pipeline.mapping),
    source: fx.source,
    target: fx.target,
    log: quietLog,
  });

async function failing(): Promise<TableVerdict[]> {
  try {
    await verify();
  } catch (e) {
    return (e as { context: { verdicts: TableVerdict[] } }).context.verdicts.filter((v) => !v.ok);
  }
  throw new Error('verify passed on a corrupted target');
}

test('a clean load verifies: counts, checksums, no orphans, sequences, triggers', async () => {
  const report = await verify();
  expect(report.tables.length).toBeGreaterThan(10);
  expect(report.tables.every((t) => t.ok)).toBe(true);
});

test('a corrupted row is found by the checksum drill-down, with the row from both sides', async () => {
  const { rows } = await pg.query(
    `SELECT id::text, schema_id, count(*) OVER ()::int AS n FROM identities ORDER BY id OFFSET 400 LIMIT 1`,
  );
  const victim = rows[0] as { id: string; schema_id: string; n: number };
  expect(victim.n).toBeGreaterThan(500); // more than one pass is needed
  await pg.query(`UPDATE identities SET schema_id = 'tampered' WHERE id = $1`, [victim.id]);
  const bad = await failing();
  expect(bad.map((v) => v.table)).toEqual(['identities']);
  const d = bad[0].drill!;
  expect(d.keyColumns).toEqual(['id']);
  expect(d.passes).toBeGreaterThanOrEqual(2);
  expect(d.onlyInSource).toHaveLength(1);
  expect(d.onlyInTarget).toHaveLength(1);
  expect(d.onlyInSource[0]).toMatchObject({ id: victim.id, schema_id: victim.schema_id });
  expect(d.onlyInTarget[0]).toMatchObject({ id: victim.id, schema_id: 'tampered' });
  expect(d.from === null || d.from[0]! <= victim.id).toBe(true);
  expect(d.to === null || victim.id < d.to[0]!).toBe(true);
  expect(Math.max(d.sourceRows, d.targetRows)).toBeLessThan(victim.n);
  // A uuid key is bisected by hash buckets of the key: the segment fetched is one bucket.
  expect(bad[0].problems.join('\n')).toMatch(/differing key hash bucket [0-9a-f]+ of 256\^\d \(id\)/);
  await pg.query(`UPDATE identities SET schema_id = $2 WHERE id = $1`, [victim.id, victim.schema_id]);
});

test("a row deleted behind converge's back shows on the source side only, and its children as orphans", async () => {
  const { rows } = await pg.query(
    `SELECT i.id::text FROM identities i JOIN identity_credentials c ON c.identity_id = i.id ORDER BY i.id LIMIT 1`,
  );
  const id = rows[0].id as string;
  // The test is superuser and skips FK enforcement; converge never does this.
  await pg.query(`SET session_replication_role = replica`);
  await pg.query(`DELETE FROM identities WHERE id = $1`, [id]);
  await pg.query(`SET session_replication_role = origin`);
  const bad = await failing();
  const ids = bad.find((v) => v.table === 'identities')!;
  expect(ids.drill!.onlyInSource.map((r) => r.id)).toEqual([id]);
  expect(ids.drill!.onlyInTarget).toEqual([]);
  const creds = bad.find((v) => v.table === 'identity_credentials')!;
  expect(creds.problems.join('\n')).toMatch(/\d+ orphan rows: .*identity_id.* → public\.identities/);
});

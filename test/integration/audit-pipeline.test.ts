import mysql from 'mysql2/promise';
import path from 'node:path';
import { Client } from 'pg';
import { seedAudit } from '../../fixtures/demo/audit-seed';
import { runPipeline } from '../../src/pipeline/run-pipeline';
import { runVerifyReport } from '../../src/verify/run-verify';
import { pipelineFixture, PipelineFixture, quietLog } from '../helpers/pipeline-fixture';

/** The audit-trail pipeline end to end: enums, uuid keys, jsonb, then every proof incl. expectations.yaml. */
let fx: PipelineFixture;
let seeded: Record<string, number>;

beforeAll(async () => {
  fx = await pipelineFixture('audit');
  const my = await mysql.createConnection({ uri: fx.mysqlDb.url });
  try {
    seeded = await seedAudit(my, { scale: 2 });
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
});

afterAll(async () => fx?.cleanup());

test('loads every seeded row and proves it, schema expectations included', async () => {
  const report = await runVerifyReport({
    dir: path.join(fx.workDir, 'transform'),
    mappingDir: path.join(fx.pipeline.root, fx.pipeline.mapping),
    source: fx.source,
    target: fx.target,
    log: quietLog,
    expectationsFile: path.join(path.dirname(fx.pipeline.file), 'expectations.yaml'),
  });
  expect(Object.fromEntries(report.tables.map((t) => [t.table, t.targetRows]))).toEqual(seeded);
  expect(report.tables.every((t) => t.ok)).toBe(true);
  expect(report.schemas).toEqual([{ schema: 'public', ok: true, problems: [] }]);
});

test('enum values arrive as the target enum types, and uuid defaults still work after the load', async () => {
  const pg = new Client({ connectionString: fx.pgDb.url });
  await pg.connect();
  try {
    const modes = await pg.query(`SELECT DISTINCT pg_typeof(sync_mode)::text AS t FROM sync_sessions`);
    expect(modes.rows).toEqual([{ t: 'sync_mode' }]);
    const s = await pg.query(`SELECT session_id FROM sync_sessions LIMIT 1`);
    const ins = await pg.query(
      `INSERT INTO sync_events (session_id, event_type) VALUES ($1, 'probe') RETURNING id::text`,
      [s.rows[0].session_id],
    );
    expect(ins.rows[0].id).toMatch(/^[0-9a-f-]{36}$/);
  } finally {
    await pg.end();
  }
});

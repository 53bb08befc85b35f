import mysql from 'mysql2/promise';
import { Client } from 'pg';
import { seedErp } from '../../fixtures/demo/erp-seed';
import { runPipeline, PipelineRunResult } from '../../src/pipeline/run-pipeline';
import { pipelineFixture, PipelineFixture, quietLog } from '../helpers/pipeline-fixture';

/**
 * The dual-schema ERP/agent target, loaded from one prefixed MySQL database: proves the engine
 * is generic (two schemas, cross-schema FKs, a generated column, updated_at triggers, a partial
 * unique index, JSON arrays into Postgres arrays) with the same mapping language.
 */
let fx: PipelineFixture;
let result: PipelineRunResult;
let pg: Client;

beforeAll(async () => {
  fx = await pipelineFixture('erp');
  const my = await mysql.createConnection({ uri: fx.mysqlDb.url });
  try {
    await seedErp(my, { scale: 2 });
  } finally {
    await my.end();
  }
  result = await runPipeline({
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

describe('ERP/agent pipeline', () => {
  it('loads and verifies all 38 tables across the erp and agent schemas', () => {
    expect(result.verdicts.length).toBe(38);
    expect(result.verdicts.filter((v) => !v.ok)).toEqual([]);
    expect(new Set(result.verdicts.map((v) => v.table.split('.')[0]))).toEqual(new Set(['erp', 'agent']));
  });

  it('computes the generated column on Postgres, keeps loaded updated_at values, and leaves triggers enabled', async () => {
    const { rows } = await pg.query(
      'SELECT count(*)::int AS n, count(variance_pct)::int AS computed FROM erp.execution_runs',
    );
    expect(rows[0].n).toBeGreaterThan(0);
    expect(rows[0].computed).toBeGreaterThan(0);
    const { rows: trig } = await pg.query(
      "SELECT count(*)::int AS n FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE NOT t.tgisinternal AND n.nspname IN ('erp', 'agent') AND t.tgenabled = 'O'",
    );
    expect(trig[0].n).toBe(28);
    const { rows: touched } = await pg.query(
      "SELECT count(*)::int AS n FROM erp.people WHERE updated_at > now() - interval '1 hour'",
    );
    expect(touched[0].n).toBe(0); // the trigger did not rewrite the loaded values
  });

  it('holds every cross-schema reference and moved identity sequences past the loaded ids', async () => {
    const { rows } = await pg.query(
      'SELECT count(*)::int AS n FROM agent.sessions s JOIN erp.people p ON p.id = s.client_person_id',
    );
    expect(rows[0].n).toBeGreaterThan(0);
    const { rows: next } = await pg.query(
      "SELECT (SELECT max(id) FROM erp.people) AS max, pg_sequence_last_value(pg_get_serial_sequence('erp.people', 'id')) AS seq",
    );
    expect(Number(next[0].seq)).toBeGreaterThanOrEqual(Number(next[0].max));
  });
});

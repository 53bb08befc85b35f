import path from 'node:path';
import { promises as fsp } from 'node:fs';
import YAML from 'yaml';
import { Client } from 'pg';
import { parseConnectionUrl } from '../../src/core/connection-url';
import { applyMigrations, TrackingTable } from '../../src/schema/apply-migrations';
import { openMysql, MysqlConnection } from '../../src/source/mysql/connect';
import { seedErp } from '../../fixtures/demo/erp-seed';
import { seedAudit } from '../../fixtures/demo/audit-seed';
import { buildErpCoreRows } from '../../fixtures/demo/erp-core-rows';
import { buildAgentRows } from '../../fixtures/demo/erp-agent-rows';
import { createPrng } from '../../fixtures/demo/generic-prng';
import { HARD_TEXTS } from '../../fixtures/demo/generic-hard-values';
import { createMysqlDb, createPgDb, TestDb } from '../helpers/databases';

/** The ERP and audit pipelines are test fixtures: fixtures/{pipelines,migrations}. */
const ROOT = path.resolve(__dirname, '..', '..', 'fixtures');
const ERP_PG: TrackingTable = { schema: 'public', table: 'erp_schema_versions', style: 'converge' };
const AUDIT_PG: TrackingTable = { table: 'audit_schema_versions', style: 'converge' };
// Not erp_…: the legacy database's own tables are told apart by that prefix.
const LEGACY_MYSQL: TrackingTable = { table: 'legacy_schema_versions', style: 'converge' };

interface SchemaExpectation {
  tables: number;
  foreignKeys: number;
  enums: string[];
  indexes: string[];
  triggers: number;
}

async function readExpectations(target: string): Promise<Record<string, SchemaExpectation>> {
  const doc = YAML.parse(await fsp.readFile(path.join(ROOT, 'pipelines', target, 'expectations.yaml'), 'utf8')) as {
    schemas: Record<string, SchemaExpectation>;
  };
  return doc.schemas;
}

async function catalogOf(pg: Client, schema: string): Promise<SchemaExpectation> {
  const one = async (sql: string): Promise<number> => Number((await pg.query(sql, [schema])).rows[0].n);
  const names = async (sql: string): Promise<string[]> =>
    (await pg.query(sql, [schema])).rows.map((r) => String(r.name));
  return {
    tables: await one(
      `SELECT count(*) AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind IN ('r', 'p')`,
    ),
    foreignKeys: await one(
      `SELECT count(*) AS n FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND k.contype = 'f'`,
    ),
    enums: await names(
      `SELECT t.typname AS name FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = $1 AND t.typtype = 'e' ORDER BY 1`,
    ),
    indexes: await names(
      `SELECT ic.relname AS name FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_namespace n ON n.oid = ic.relnamespace WHERE n.nspname = $1 AND NOT i.indisprimary ORDER BY 1`,
    ),
    triggers: await one(
      `SELECT count(*) AS n FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND NOT t.tgisinternal`,
    ),
  };
}

async function pgError(p: Promise<unknown>): Promise<{ code?: string; constraint?: string }> {
  try {
    await p;
  } catch (e) {
    return e as { code?: string; constraint?: string };
  }
  throw new Error('expected the statement to fail');
}

async function mysqlRows<T>(conn: MysqlConnection, sql: string, values: unknown[] = []): Promise<T[]> {
  const [rows] = await conn.query(sql, values);
  return rows as T[];
}

describe('ERP/agent Postgres schema', () => {
  let db: TestDb;
  let pg: Client;
  let firstRun: string[];
  let secondRun: string[];

  beforeAll(async () => {
    db = await createPgDb('erp');
    const connection = parseConnectionUrl(db.url, 'postgres', 'test');
    const dir = path.join(ROOT, 'migrations', 'erp', 'postgres');
    firstRun = (await applyMigrations({ dialect: 'postgres', connection, dir, tracking: ERP_PG })).map(
      (r) => `${r.version}:${r.status}`,
    );
    secondRun = (await applyMigrations({ dialect: 'postgres', connection, dir, tracking: ERP_PG })).map(
      (r) => `${r.version}:${r.status}`,
    );
    pg = new Client({ connectionString: db.url });
    await pg.connect();
  });

  afterAll(async () => {
    await pg?.end();
    await db?.drop();
  });

  it('applies both migrations once; the second run is a no-op', async () => {
    expect(firstRun).toEqual(['0001:applied', '0002:applied']);
    expect(secondRun).toEqual(['0001:already-applied', '0002:already-applied']);
    const { rows } = await pg.query('SELECT version, name FROM public.erp_schema_versions ORDER BY version');
    expect(rows).toEqual([
      { version: '0001', name: 'erp_schema' },
      { version: '0002', name: 'agent_schema' },
    ]);
  });

  it('has 14 erp tables and the 24 agent tables the specification lists', async () => {
    const { rows } = await pg.query(`SELECT table_schema AS s, count(*)::int AS n FROM information_schema.tables
      WHERE table_schema IN ('erp', 'agent') AND table_type = 'BASE TABLE' GROUP BY 1 ORDER BY 1`);
    expect(rows).toEqual([
      { s: 'agent', n: 24 },
      { s: 'erp', n: 14 },
    ]);
  });

  it('matches fixtures/pipelines/erp/expectations.yaml exactly', async () => {
    const expected = await readExpectations('erp');
    expect(Object.keys(expected).sort()).toEqual(['agent', 'erp']);
    for (const [schema, want] of Object.entries(expected)) {
      const got = await catalogOf(pg, schema);
      expect({ schema, ...got }).toEqual({
        schema,
        ...want,
        enums: [...want.enums].sort(),
        indexes: [...want.indexes].sort(),
      });
    }
  });

  it('has the cross-schema foreign keys into erp', async () => {
    const { rows } =
      await pg.query(`SELECT k.conrelid::regclass::text AS from_table, k.confrelid::regclass::text AS to_table
      FROM pg_constraint k JOIN pg_class a ON a.oid = k.conrelid JOIN pg_class b ON b.oid = k.confrelid
      WHERE k.contype = 'f' AND a.relnamespace <> b.relnamespace ORDER BY 1, 2`);
    expect(rows).toEqual([
      { from_table: 'agent.reflections', to_table: 'erp.people' },
      { from_table: 'agent.sessions', to_table: 'erp.people' },
      { from_table: 'agent.step_evaluations', to_table: 'erp.execution_runs' },
    ]);
  });

  it('computes erp.execution_runs.variance_pct as a stored generated column', async () => {
    const { rows } = await pg.query(`SELECT attgenerated FROM pg_attribute
      WHERE attrelid = 'erp.execution_runs'::regclass AND attname = 'variance_pct'`);
    expect(rows).toEqual([{ attgenerated: 's' }]);
    await pg.query(`INSERT INTO erp.service_blueprints (id, name) VALUES (900, 'bp')`);
    await pg.query(`INSERT INTO erp.workflows (id, service_blueprint_id, name) VALUES (900, 900, 'wf')`);
    await pg.query(`INSERT INTO erp.process_templates (id, workflow_id, name) VALUES (900, 900, 'pt')`);
    await pg.query(`INSERT INTO erp.execution_runs (id, process_template_id, run_identifier, estimated_hours, actual_hours)
      VALUES (900, 900, 'R-900', 8, 10), (901, 900, 'R-901', 0, 3), (902, 900, 'R-902', 4, NULL), (903, 900, 'R-903', 3, 2)`);
    const v = await pg.query('SELECT id::int, variance_pct FROM erp.execution_runs WHERE id >= 900 ORDER BY id');
    expect(v.rows).toEqual([
      { id: 900, variance_pct: '25.00' },
      { id: 901, variance_pct: null },
      { id: 902, variance_pct: null },
      { id: 903, variance_pct: '-33.33' },
    ]);
    const err = await pgError(
      pg.query(
        `INSERT INTO erp.execution_runs (process_template_id, run_identifier, variance_pct) VALUES (900, 'R-bad', 1)`,
      ),
    );
    expect(err.code).toBe('428C9');
  });

  it('has a BEFORE UPDATE updated_at trigger on exactly the tables with updated_at', async () => {
    const withColumn = await pg.query(`SELECT table_schema || '.' || table_name AS t FROM information_schema.columns
      WHERE table_schema IN ('erp', 'agent') AND column_name = 'updated_at' ORDER BY 1`);
    // tgtype bit 1 = ROW, bit 2 = BEFORE, bit 16 = UPDATE; INSERT (bit 4) must not be set.
    const withTrigger =
      await pg.query(`SELECT c.relnamespace::regnamespace::text || '.' || c.relname AS t FROM pg_trigger g
      JOIN pg_class c ON c.oid = g.tgrelid JOIN pg_proc p ON p.oid = g.tgfoid
      WHERE NOT g.tgisinternal AND p.proname = 'update_updated_at_column' AND g.tgtype = 1 + 2 + 16 ORDER BY 1`);
    expect(withColumn.rows.length).toBe(28);
    expect(withTrigger.rows).toEqual(withColumn.rows);
  });

  it('stamps updated_at on UPDATE but keeps the value given on INSERT', async () => {
    const old = '2020-01-01T00:00:00.000Z';
    await pg.query(`INSERT INTO erp.people (id, full_name, created_at, updated_at) VALUES (900, 'Ada', $1, $1)`, [old]);
    await pg.query(`INSERT INTO agent.tools (id, name, created_at, updated_at) VALUES (900, 'search-900', $1, $1)`, [
      old,
    ]);
    const before = await pg.query(`SELECT updated_at FROM erp.people WHERE id = 900`);
    expect((before.rows[0].updated_at as Date).toISOString()).toBe(old);
    await pg.query(`UPDATE erp.people SET full_name = 'Ada L.' WHERE id = 900`);
    await pg.query(`UPDATE agent.tools SET description = 'x' WHERE id = 900`);
    const after = await pg.query(
      `SELECT (SELECT updated_at FROM erp.people WHERE id = 900) AS p, (SELECT updated_at FROM agent.tools WHERE id = 900) AS t`,
    );
    expect((after.rows[0].p as Date).getTime()).toBeGreaterThan(Date.parse(old));
    expect((after.rows[0].t as Date).getTime()).toBeGreaterThan(Date.parse(old));
  });

  it('allows one default action per block, and any number of other actions', async () => {
    await pg.query(`INSERT INTO agent.blocks (id, block_type) VALUES (900, 'note'), (901, 'note')`);
    await pg.query(
      `INSERT INTO agent.block_actions (block_id, action_type, is_default) VALUES (900, 'open', true), (900, 'run_tool', false), (900, 'summarize', false), (901, 'open', true)`,
    );
    const err = await pgError(
      pg.query(`INSERT INTO agent.block_actions (block_id, action_type, is_default) VALUES (900, 'open_again', true)`),
    );
    expect(err.code).toBe('23505');
    expect(err.constraint).toBe('ux_block_actions_one_default');
    const { rows } = await pg.query(
      `SELECT block_id::int, count(*)::int AS n, count(*) FILTER (WHERE is_default)::int AS d FROM agent.block_actions GROUP BY 1 ORDER BY 1`,
    );
    expect(rows).toEqual([
      { block_id: 900, n: 3, d: 1 },
      { block_id: 901, n: 1, d: 1 },
    ]);
  });
});

describe('audit Postgres schema', () => {
  let db: TestDb;
  let pg: Client;
  const runs: string[][] = [];

  beforeAll(async () => {
    db = await createPgDb('audit');
    const connection = parseConnectionUrl(db.url, 'postgres', 'test');
    const dir = path.join(ROOT, 'migrations', 'audit', 'postgres');
    for (let i = 0; i < 2; i++) {
      runs.push(
        (await applyMigrations({ dialect: 'postgres', connection, dir, tracking: AUDIT_PG })).map(
          (r) => `${r.version}:${r.status}`,
        ),
      );
    }
    pg = new Client({ connectionString: db.url });
    await pg.connect();
  });

  afterAll(async () => {
    await pg?.end();
    await db?.drop();
  });

  it('applies once; the second run is a no-op', () => {
    expect(runs).toEqual([['0001:applied'], ['0001:already-applied']]);
  });

  it('matches fixtures/pipelines/audit/expectations.yaml exactly', async () => {
    const expected = await readExpectations('audit');
    expect(Object.keys(expected)).toEqual(['public']);
    const got = await catalogOf(pg, 'public');
    const want = expected.public;
    expect(got).toEqual({ ...want, enums: [...want.enums].sort(), indexes: [...want.indexes].sort() });
  });

  it('has the enum labels, key types and comments of the specification', async () => {
    const labels =
      await pg.query(`SELECT t.typname AS name, array_agg(e.enumlabel ORDER BY e.enumsortorder)::text[] AS labels
      FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY 1 ORDER BY 1`);
    expect(labels.rows).toEqual([
      { name: 'sync_mode', labels: ['per_participant', 'per_cycle', 'per_group', 'global', 'count_up'] },
      { name: 'sync_status', labels: ['pending', 'running', 'paused', 'expired', 'completed', 'cancelled'] },
    ]);
    const cols =
      await pg.query(`SELECT table_name || '.' || column_name AS c, udt_name AS t, column_default AS d FROM information_schema.columns
      WHERE table_schema = 'public' AND column_name IN ('id', 'session_id', 'metadata', 'timestamp') AND table_name LIKE 'sync_%' ORDER BY 1`);
    expect(cols.rows).toEqual([
      { c: 'sync_events.id', t: 'uuid', d: 'gen_random_uuid()' },
      { c: 'sync_events.metadata', t: 'jsonb', d: "'{}'::jsonb" },
      { c: 'sync_events.session_id', t: 'uuid', d: null },
      { c: 'sync_events.timestamp', t: 'timestamptz', d: 'now()' },
      { c: 'sync_participants.id', t: 'uuid', d: 'gen_random_uuid()' },
      { c: 'sync_participants.metadata', t: 'jsonb', d: "'{}'::jsonb" },
      { c: 'sync_participants.session_id', t: 'uuid', d: null },
      { c: 'sync_sessions.metadata', t: 'jsonb', d: "'{}'::jsonb" },
      { c: 'sync_sessions.session_id', t: 'uuid', d: null },
    ]);
    const comment = await pg.query(`SELECT obj_description('sync_sessions'::regclass, 'pg_class') AS t,
      (SELECT col_description(attrelid, attnum) FROM pg_attribute WHERE attrelid = 'sync_events'::regclass AND attname = 'state_snapshot') AS c`);
    expect(comment.rows[0].t).toBe('Audit trail for synchronization sessions. Redis is PRIMARY source of truth.');
    expect(comment.rows[0].c).toBe('Full session state at time of event. Used for recovery if Redis data is lost.');
  });
});

describe('legacy MySQL ERP/agent source, seeded', () => {
  let db: TestDb;
  let conn: MysqlConnection;
  const runs: string[][] = [];
  let seeded: Record<string, number>;

  beforeAll(async () => {
    db = await createMysqlDb('erp');
    const connection = parseConnectionUrl(db.url, 'mysql', 'test');
    const dir = path.join(ROOT, 'migrations', 'erp', 'mysql');
    for (let i = 0; i < 2; i++) {
      runs.push(
        (await applyMigrations({ dialect: 'mysql', connection, dir, tracking: LEGACY_MYSQL })).map(
          (r) => `${r.version}:${r.status}`,
        ),
      );
    }
    conn = await openMysql(connection);
    seeded = await seedErp(conn, { scale: 1, seed: 7 });
  });

  afterAll(async () => {
    await conn?.end();
    await db?.drop();
  });

  it('applies once, as 14 erp_ and 24 agent_ tables with 34 foreign keys and no generated column', async () => {
    expect(runs).toEqual([['0001:applied'], ['0001:already-applied']]);
    const tables = await mysqlRows<{ p: string; n: number }>(
      conn,
      `SELECT substring_index(table_name, '_', 1) AS p, count(*) AS n
      FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name <> 'legacy_schema_versions' GROUP BY 1 ORDER BY 1`,
    );
    expect(tables.map((t) => [t.p, Number(t.n)])).toEqual([
      ['agent', 24],
      ['erp', 14],
    ]);
    const fks = await mysqlRows<{ n: number }>(
      conn,
      `SELECT count(*) AS n FROM information_schema.referential_constraints WHERE constraint_schema = DATABASE()`,
    );
    expect(Number(fks[0].n)).toBe(34);
    const generated = await mysqlRows<{ n: number }>(
      conn,
      `SELECT count(*) AS n FROM information_schema.columns
      WHERE table_schema = DATABASE() AND (column_name = 'variance_pct' OR extra LIKE '%GENERATED%')`,
    );
    expect(Number(generated[0].n)).toBe(0);
  });

  it('puts rows in every table, as many as seedErp reports', async () => {
    const tables = await mysqlRows<{ t: string }>(
      conn,
      `SELECT table_name AS t FROM information_schema.tables
      WHERE table_schema = DATABASE() AND table_name <> 'legacy_schema_versions' ORDER BY 1`,
    );
    expect(Object.keys(seeded).sort()).toEqual(tables.map((r) => r.t).sort());
    for (const { t } of tables) {
      const [{ n }] = await mysqlRows<{ n: number }>(conn, `SELECT count(*) AS n FROM \`${t}\``);
      expect({ t, n: Number(n) }).toEqual({ t, n: seeded[t] });
      expect(Number(n)).toBeGreaterThan(0);
    }
  });

  it('keeps every foreign key pointing at a row, including the cross-prefix ones', async () => {
    const fks = await mysqlRows<{ t: string; c: string; rt: string; rc: string }>(
      conn,
      `SELECT table_name AS t, column_name AS c,
      referenced_table_name AS rt, referenced_column_name AS rc FROM information_schema.key_column_usage
      WHERE table_schema = DATABASE() AND referenced_table_name IS NOT NULL ORDER BY 1, 2`,
    );
    expect(fks.length).toBe(34);
    let used = 0;
    for (const fk of fks) {
      const [{ orphans, refs }] = await mysqlRows<{ orphans: number; refs: number }>(
        conn,
        `SELECT
        sum(r.\`${fk.rc}\` IS NULL AND x.\`${fk.c}\` IS NOT NULL) AS orphans, sum(x.\`${fk.c}\` IS NOT NULL) AS refs
        FROM \`${fk.t}\` x LEFT JOIN \`${fk.rt}\` r ON r.\`${fk.rc}\` = x.\`${fk.c}\``,
      );
      expect({ ...fk, orphans: Number(orphans) }).toEqual({ ...fk, orphans: 0 });
      if (Number(refs) > 0) used++;
    }
    // Every FK column is actually exercised, not left all NULL.
    expect(used).toBe(34);
  });

  it('never has two default actions on one block (Postgres would reject the load)', async () => {
    const dupes = await mysqlRows(
      conn,
      `SELECT block_id FROM agent_block_actions WHERE is_default = 1 GROUP BY block_id HAVING count(*) > 1`,
    );
    expect(dupes).toEqual([]);
  });

  it('plants the hard values: every hard text, NULL next to empty text, JSON null next to SQL NULL', async () => {
    const notes = await mysqlRows<{ notes: string | null }>(conn, `SELECT notes FROM erp_people ORDER BY id LIMIT ?`, [
      HARD_TEXTS.length,
    ]);
    expect(notes.map((r) => r.notes)).toEqual(HARD_TEXTS);
    const [roles] = await mysqlRows<{ empty: number; nulls: number }>(
      conn,
      `SELECT sum(role_label = '') AS empty, sum(role_label IS NULL) AS nulls FROM erp_people`,
    );
    expect(Number(roles.empty)).toBeGreaterThan(0);
    expect(Number(roles.nulls)).toBeGreaterThan(0);
    const [payloads] = await mysqlRows<{ json_null: number; sql_null: number; scalar: number }>(
      conn,
      `SELECT sum(payload = 'null') AS json_null,
      sum(payload IS NULL) AS sql_null, sum(json_type(payload) = 'STRING') AS scalar FROM agent_events`,
    );
    expect(Number(payloads.json_null)).toBe(1);
    expect(Number(payloads.sql_null)).toBeGreaterThan(0);
    expect(Number(payloads.scalar)).toBe(1);
    const [nested] = await mysqlRows<{ d: number }>(
      conn,
      `SELECT max(json_depth(metadata)) AS d FROM erp_execution_runs`,
    );
    expect(Number(nested.d)).toBeGreaterThanOrEqual(6);
    const [emb] = await mysqlRows<{ n: number; len: number }>(
      conn,
      `SELECT count(*) AS n, min(json_length(embedding)) AS len FROM agent_memory_entries WHERE embedding IS NOT NULL`,
    );
    expect(Number(emb.n)).toBeGreaterThan(0);
    expect(Number(emb.len)).toBe(1536);
  });

  it('builds the same rows for the same seed, and different rows for another', () => {
    const build = (seed: number): unknown => {
      const rng = createPrng(seed);
      const core = buildErpCoreRows(rng, 1);
      return { core: core.tables, agent: buildAgentRows(rng, 1, core.counts) };
    };
    expect(build(7)).toEqual(build(7));
    expect(build(7)).not.toEqual(build(8));
  });
});

describe('legacy MySQL audit source, seeded', () => {
  let db: TestDb;
  let conn: MysqlConnection;
  let seeded: Record<string, number>;

  beforeAll(async () => {
    db = await createMysqlDb('audit');
    const connection = parseConnectionUrl(db.url, 'mysql', 'test');
    await applyMigrations({
      dialect: 'mysql',
      connection,
      dir: path.join(ROOT, 'migrations', 'audit', 'mysql'),
      tracking: LEGACY_MYSQL,
    });
    conn = await openMysql(connection);
    seeded = await seedAudit(conn, { scale: 0.5 });
  });

  afterAll(async () => {
    await conn?.end();
    await db?.drop();
  });

  it('puts rows in all three tables, as many as seedAudit reports', async () => {
    expect(seeded.sync_sessions).toBe(12);
    for (const t of ['sync_sessions', 'sync_participants', 'sync_events']) {
      const [{ n }] = await mysqlRows<{ n: number }>(conn, `SELECT count(*) AS n FROM \`${t}\``);
      expect(Number(n)).toBe(seeded[t]);
      expect(Number(n)).toBeGreaterThan(0);
    }
  });

  it('keeps the undeclared references valid: sessions, participants and totals agree', async () => {
    const orphanEvents = await mysqlRows(
      conn,
      `SELECT e.id FROM sync_events e LEFT JOIN sync_sessions s USING (session_id) WHERE s.session_id IS NULL`,
    );
    const orphanParticipants = await mysqlRows(
      conn,
      `SELECT p.id FROM sync_participants p LEFT JOIN sync_sessions s USING (session_id) WHERE s.session_id IS NULL`,
    );
    const strangers = await mysqlRows(
      conn,
      `SELECT e.id FROM sync_events e LEFT JOIN sync_participants p
      ON p.session_id = e.session_id AND p.participant_id = e.participant_id WHERE e.participant_id IS NOT NULL AND p.id IS NULL`,
    );
    expect([orphanEvents, orphanParticipants, strangers]).toEqual([[], [], []]);
    const totals = await mysqlRows(
      conn,
      `SELECT s.session_id FROM sync_sessions s
      WHERE s.total_participants <> (SELECT count(*) FROM sync_participants p WHERE p.session_id = s.session_id)`,
    );
    expect(totals).toEqual([]);
    const modes = await mysqlRows<{ m: string }>(conn, `SELECT DISTINCT sync_mode AS m FROM sync_sessions ORDER BY 1`);
    expect(modes.map((r) => r.m)).toEqual(['per_participant', 'per_cycle', 'per_group', 'global', 'count_up']);
    const running = await mysqlRows(
      conn,
      `SELECT session_id FROM sync_sessions WHERE final_status IS NULL AND completed_at IS NOT NULL`,
    );
    expect(running).toEqual([]);
  });
});

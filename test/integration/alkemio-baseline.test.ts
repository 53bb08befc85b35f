import { promises as fsp } from 'node:fs';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { Client } from 'pg';
import { PROFILE_TYPES } from '../../fixtures/alkemio-app/src';
import { parseConnectionUrl } from '../../src/core/connection-url';
import { applyMigrations } from '../../src/schema/apply-migrations';
import { loadPipeline, pipelinePath } from '../../src/pipeline/load-pipeline';
import { regenerateBaseline } from '../../src/baseline/regenerate-baseline';
import { createMysqlDb, createPgDb, MYSQL_BASE, PG_BASE, TestDb } from '../helpers/databases';

const ROOT = path.resolve(__dirname, '../..');
const TRACKING = { table: 'migrations_typeorm', style: 'typeorm' as const };
/** Not application tables: TypeORM's cache table and the migration tracking table. */
const NON_APP = ['migrations_typeorm', 'query-result-cache'];

describe('Alkemio TypeORM baseline', () => {
  const dbs: TestDb[] = [];
  afterAll(async () => {
    for (const db of dbs) await db.drop();
  });

  it('committed schema files equal a fresh generation from the entities', async () => {
    // The pipeline names the application's folder: TypeORM and the entities load from the fixtures.
    const pipeline = await loadPipeline('alkemio');
    const files = pipeline.target.baseline!;
    const fresh = await regenerateBaseline(pipeline, { pgServerUrl: PG_BASE, mysqlServerUrl: MYSQL_BASE });
    const pgFile = await fsp.readFile(pipelinePath(pipeline, files.postgres), 'utf8');
    const mysqlFile = await fsp.readFile(pipelinePath(pipeline, files.mysql!), 'utf8');
    expect(fresh.postgres).toBe(pgFile);
    expect(fresh.mysql).toBe(mysqlFile);
    expect(fresh.postgres.startsWith('-- ')).toBe(true);
    expect(fresh.postgres).toContain('CREATE EXTENSION IF NOT EXISTS "uuid-ossp";\n');
    expect(fresh.postgres).not.toContain('migrations_typeorm');
  });

  it('Postgres baseline + seed: 75 tables, 201 FKs, the enum, the singletons; idempotent', async () => {
    const db = await createPgDb('alk_base');
    dbs.push(db);
    const connection = parseConnectionUrl(db.url, 'postgres', 'test');
    const dir = path.join(ROOT, 'migrations/alkemio/postgres');
    const first = await applyMigrations({ dialect: 'postgres', connection, dir, tracking: TRACKING });
    expect(first.map((r) => `${r.version}:${r.status}`)).toEqual(['0001:applied', '0002:applied']);
    const second = await applyMigrations({ dialect: 'postgres', connection, dir, tracking: TRACKING });
    expect(second.every((r) => r.status === 'already-applied')).toBe(true);

    const c = new Client({ connectionString: db.url });
    await c.connect();
    try {
      const tables = (
        await c.query(
          `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
        )
      ).rows.map((r) => r.table_name as string);
      expect(tables.filter((t) => !NON_APP.includes(t))).toHaveLength(75);
      expect(tables).toEqual(expect.arrayContaining(NON_APP));

      const cols = await c.query(
        `SELECT count(*)::int AS n FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> 'migrations_typeorm'`,
      );
      expect(cols.rows[0].n).toBe(752);

      const rules = await c.query(
        `SELECT delete_rule AS rule, count(*)::int AS n FROM information_schema.referential_constraints WHERE constraint_schema = 'public' GROUP BY 1 ORDER BY 1`,
      );
      expect(Object.fromEntries(rules.rows.map((r) => [r.rule, r.n]))).toEqual({
        'SET NULL': 154,
        CASCADE: 39,
        'NO ACTION': 8,
      });

      // One-to-one FKs: the FK column alone carries a UNIQUE constraint.
      const oneToOne = await c.query(`
        SELECT count(*)::int AS n FROM pg_constraint f
        WHERE f.contype = 'f' AND f.connamespace = 'public'::regnamespace AND EXISTS (
          SELECT 1 FROM pg_constraint u WHERE u.contype = 'u' AND u.conrelid = f.conrelid AND u.conkey = f.conkey)`);
      expect(oneToOne.rows[0].n).toBe(149);

      const serials = await c.query(
        `SELECT table_name FROM information_schema.columns WHERE table_schema = 'public' AND column_name = 'rowId' AND column_default LIKE 'nextval%' ORDER BY 1`,
      );
      expect(serials.rows.map((r) => r.table_name)).toEqual([
        'activity',
        'in_app_notification',
        'organization',
        'space',
        'template_content_space',
        'user',
        'virtual_contributor',
      ]);

      const labels = await c.query(
        `SELECT e.enumlabel FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid WHERE t.typname = 'profile_type_enum' ORDER BY e.enumsortorder`,
      );
      expect(labels.rows.map((r) => r.enumlabel)).toEqual([...PROFILE_TYPES]);
      expect(labels.rows).toHaveLength(19);

      const idDefault = await c.query(
        `SELECT column_default FROM information_schema.columns WHERE table_schema = 'public' AND table_name = 'profile' AND column_name = 'id'`,
      );
      expect(idDefault.rows[0].column_default).toBe('uuid_generate_v4()');

      const counts = await c.query(`SELECT
        (SELECT count(*) FROM platform)::int AS platform, (SELECT count(*) FROM authorization_policy)::int AS auth,
        (SELECT count(*) FROM library)::int AS library, (SELECT count(*) FROM storage_bucket)::int AS bucket,
        (SELECT count(*) FROM licensing_framework)::int AS framework, (SELECT count(*) FROM license_policy)::int AS policy,
        (SELECT count(*) FROM license)::int AS license, (SELECT count(*) FROM templates_manager)::int AS tm,
        (SELECT count(*) FROM templates_set)::int AS ts, (SELECT count(*) FROM template_default)::int AS td,
        (SELECT count(*) FROM role_set)::int AS role_set, (SELECT count(*) FROM role)::int AS role,
        (SELECT count(*) FROM form)::int AS form, (SELECT count(*) FROM ai_server)::int AS ai_server`);
      expect(counts.rows[0]).toEqual({
        platform: 1,
        auth: 12,
        library: 1,
        bucket: 1,
        framework: 1,
        policy: 1,
        license: 1,
        tm: 1,
        ts: 1,
        td: 1,
        role_set: 1,
        role: 5,
        form: 1,
        ai_server: 1,
      });

      const cycle = await c.query(`SELECT b."storageAggregatorId" = a.id AS closed FROM platform p
        JOIN storage_aggregator a ON a.id = p."storageAggregatorId" JOIN storage_bucket b ON b.id = a."directStorageId"`);
      expect(cycle.rows).toEqual([{ closed: true }]);
    } finally {
      await c.end();
    }
  });

  it('MySQL legacy schema: 75 tables, 201 FKs, the 19-label enum', async () => {
    const db = await createMysqlDb('alk_legacy');
    dbs.push(db);
    const connection = parseConnectionUrl(db.url, 'mysql', 'test');
    const dir = path.join(ROOT, 'migrations/alkemio/mysql');
    const first = await applyMigrations({ dialect: 'mysql', connection, dir, tracking: TRACKING });
    expect(first.map((r) => r.status)).toEqual(['applied']);

    const conn = await mysql.createConnection({ uri: db.url });
    try {
      const [tables] = await conn.query(
        `SELECT table_name AS t FROM information_schema.tables WHERE table_schema = DATABASE()`,
      );
      const names = (tables as Array<{ t: string }>).map((r) => r.t);
      expect(names.filter((t) => !NON_APP.includes(t))).toHaveLength(75);

      const [cols] = await conn.query(
        `SELECT count(*) AS n FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name <> 'migrations_typeorm'`,
      );
      expect(Number((cols as Array<{ n: number }>)[0].n)).toBe(752);

      const [rules] = await conn.query(
        `SELECT delete_rule AS r, count(*) AS n FROM information_schema.referential_constraints WHERE constraint_schema = DATABASE() GROUP BY 1`,
      );
      const byRule = Object.fromEntries((rules as Array<{ r: string; n: number }>).map((x) => [x.r, Number(x.n)]));
      expect(byRule).toEqual({ 'SET NULL': 154, CASCADE: 39, 'NO ACTION': 8 });

      const [types] = await conn.query(
        `SELECT column_type AS t FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = 'profile' AND column_name = 'type'`,
      );
      const enumType = (types as Array<{ t: string }>)[0].t;
      expect(enumType).toBe(`enum(${PROFILE_TYPES.map((l) => `'${l}'`).join(',')})`);

      const [autos] = await conn.query(
        `SELECT count(*) AS n FROM information_schema.columns WHERE table_schema = DATABASE() AND extra LIKE '%auto_increment%' AND table_name <> 'migrations_typeorm'`,
      );
      expect(Number((autos as Array<{ n: number }>)[0].n)).toBe(8);

      const [ids] = await conn.query(
        `SELECT count(*) AS n FROM information_schema.columns WHERE table_schema = DATABASE() AND column_type = 'char(36)'`,
      );
      expect(Number((ids as Array<{ n: number }>)[0].n)).toBe(301);
    } finally {
      await conn.end();
    }
  });
});

import { inflateSync } from 'node:zlib';
import { isDeepStrictEqual } from 'node:util';
import mysql from 'mysql2/promise';
import { Client } from 'pg';
import { seedAlkemio } from '../../fixtures/demo/alkemio-seed';
import { runPipeline, PipelineRunResult } from '../../src/pipeline/run-pipeline';
import { pipelineFixture, PipelineFixture, quietLog } from '../helpers/pipeline-fixture';

/**
 * Alkemio end to end on the real servers: the TypeORM-generated Postgres baseline with its seed
 * rows, FK cycle and self-references; then every table compared row by row with MySQL, values
 * by meaning (JSON by value, timestamps to the microsecond, whiteboards decompressed), with
 * expectations derived here, independently of converge's transform code.
 */
let fx: PipelineFixture;
let result: PipelineRunResult;
let my: mysql.Connection;
let pg: Client;
let seededIds: Map<string, string[]>;

type Row = Record<string, unknown>;

beforeAll(async () => {
  fx = await pipelineFixture('alkemio');
  my = await mysql.createConnection({
    uri: fx.mysqlDb.url,
    dateStrings: true,
    supportBigNumbers: true,
    bigNumberStrings: true,
    timezone: 'Z',
    jsonStrings: true,
  } as mysql.ConnectionOptions);
  await seedAlkemio(my, { scale: 40 });
  pg = new Client({ connectionString: fx.pgDb.url });
  await pg.connect();
  seededIds = new Map();
  for (const t of ['platform', 'library', 'authorization_policy', 'storage_aggregator', 'storage_bucket']) {
    seededIds.set(
      t,
      (await pg.query(`SELECT id::text FROM "${t}"`)).rows.map((r) => r.id),
    );
  }
  result = await runPipeline({
    pipeline: fx.pipeline,
    source: fx.source,
    target: fx.target,
    workDir: fx.workDir,
    log: quietLog,
    jobs: 2,
  });
});

afterAll(async () => {
  await my?.end();
  await pg?.end();
  await fx?.cleanup();
});

const frac = (s: string) =>
  s
    .replace('T', ' ')
    .replace(/(\.\d*?)0+$/, '$1')
    .replace(/\.$/, '');

function expected(type: string, udt: string, v: unknown, table: string, column: string): unknown {
  if (v === null || v === undefined) return null;
  if (
    (table === 'whiteboard' && column === 'content') ||
    (table === 'callout_contribution_defaults' && column === 'whiteboardContent')
  ) {
    return Buffer.from(String(v), 'latin1').toString('base64');
  }
  switch (type) {
    case 'uuid':
      return String(v) === '' ? null : String(v).toLowerCase();
    case 'boolean':
      return Number(v) !== 0;
    case 'json':
    case 'jsonb':
      return typeof v === 'string' ? JSON.parse(v) : v;
    case 'timestamp without time zone':
      return frac(String(v));
    case 'bytea':
      return (v as Buffer).toString('hex');
    case 'integer':
    case 'bigint':
      return Number(v);
    case 'numeric':
      return Number(v);
    default:
      return udt === 'profile_type_enum' ? String(v) : String(v);
  }
}

function actual(type: string, v: unknown): unknown {
  if (v === null) return null;
  if (type === 'timestamp without time zone') return frac(String(v));
  if (type === 'bytea') return String(v).replace(/^\\x/, '');
  if (type === 'numeric') return Number(v);
  return v;
}

describe('Alkemio pipeline on MariaDB → Postgres', () => {
  it('loads and verifies every application table', () => {
    expect(result.verdicts.length).toBe(75);
    expect(result.verdicts.filter((v) => !v.ok)).toEqual([]);
  });

  it('holds exactly the source rows in every table, every value equal by meaning', async () => {
    const { rows: cols } = await pg.query(
      "SELECT table_name, column_name, data_type, udt_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name NOT IN ('migrations_typeorm', 'query-result-cache') ORDER BY table_name, ordinal_position",
    );
    const byTable = new Map<string, Array<{ name: string; type: string; udt: string }>>();
    for (const c of cols)
      (byTable.get(c.table_name) ?? byTable.set(c.table_name, []).get(c.table_name)!).push({
        name: c.column_name,
        type: c.data_type,
        udt: c.udt_name,
      });
    expect(byTable.size).toBe(75);
    let values = 0;
    for (const [table, tcols] of byTable) {
      const [srcRows] = await my.query(`SELECT * FROM \`${table}\``);
      const src = srcRows as Row[];
      const { rows: tgt } = await pg.query(`SELECT row_to_json(t) AS r FROM "${table}" t`);
      expect({ table, rows: tgt.length }).toEqual({ table, rows: src.length });
      const key = (r: Row) =>
        tcols.some((c) => c.name === 'id')
          ? String(r.id).toLowerCase()
          : tcols.map((c) => String(r[c.name]).toLowerCase()).join('|');
      const tgtByKey = new Map(tgt.map(({ r }) => [key(r), r as Row]));
      for (const s of src) {
        const t = tgtByKey.get(key(s));
        if (!t) throw new Error(`${table}: source row ${key(s)} missing from Postgres`);
        for (const c of tcols) {
          const want = expected(c.type, c.udt, s[c.name], table, c.name);
          const got = actual(c.type, t[c.name]);
          if (!isDeepStrictEqual(got, want))
            throw new Error(
              `${table}.${c.name} row ${key(s)}: expected ${JSON.stringify(want)?.slice(0, 160)}, got ${JSON.stringify(got)?.slice(0, 160)}`,
            );
          values++;
        }
      }
    }
    expect(values).toBeGreaterThan(20000);
  });

  it('keeps whiteboards byte-exact: the base64 in Postgres inflates to the JSON the seeder compressed', async () => {
    const { rows } = await pg.query('SELECT id::text, content FROM whiteboard');
    expect(rows.length).toBeGreaterThan(0);
    let withNul = 0;
    for (const r of rows) {
      const bytes = Buffer.from(r.content, 'base64');
      if (bytes.includes(0)) withNul++;
      const [src] = await my.query('SELECT content FROM whiteboard WHERE id = ?', [r.id]);
      expect(bytes.equals(Buffer.from(String((src as Row[])[0].content), 'latin1'))).toBe(true);
      expect(() => inflateSync(bytes)).not.toThrow();
    }
    expect(withNul).toBeGreaterThan(0);
  });

  it('replaced the target seed rows with the source rows instead of adding to them', async () => {
    for (const [table, ids] of seededIds) {
      const { rows } = await pg.query(`SELECT id::text FROM "${table}"`);
      const now = new Set(rows.map((r) => r.id));
      for (const id of ids) expect({ table, id, stillThere: now.has(id) }).toEqual({ table, id, stillThere: false });
    }
    const { rows } = await pg.query('SELECT count(*)::int AS n FROM platform');
    const [src] = await my.query('SELECT count(*) AS n FROM platform');
    expect(rows[0].n).toBe(Number((src as Row[])[0].n));
  });

  it('ends with every one of the 201 FKs validated and no orphan, cycle and self-references included', async () => {
    const { rows: fks } = await pg.query(`
      SELECT con.conname, con.convalidated, c.relname AS child, p.relname AS parent,
             (SELECT a.attname FROM pg_attribute a WHERE a.attrelid = con.conrelid AND a.attnum = con.conkey[1]) AS col,
             (SELECT a.attname FROM pg_attribute a WHERE a.attrelid = con.confrelid AND a.attnum = con.confkey[1]) AS refcol
      FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_class p ON p.oid = con.confrelid
      JOIN pg_namespace n ON n.oid = c.relnamespace WHERE con.contype = 'f' AND n.nspname = 'public'`);
    expect(fks.length).toBe(201);
    let filled = 0;
    for (const fk of fks) {
      expect({ fk: fk.conname, validated: fk.convalidated }).toEqual({ fk: fk.conname, validated: true });
      const { rows } = await pg.query(
        `SELECT count(*)::int AS orphans, count("${fk.col}")::int AS filled FROM "${fk.child}" c WHERE "${fk.col}" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "${fk.parent}" p WHERE p."${fk.refcol}" = c."${fk.col}")`,
      );
      expect({ fk: fk.conname, orphans: rows[0].orphans }).toEqual({ fk: fk.conname, orphans: 0 });
      filled += (await pg.query(`SELECT count("${fk.col}")::int AS n FROM "${fk.child}"`)).rows[0].n;
    }
    expect(filled).toBeGreaterThan(1000);
    const { rows: cycle } = await pg.query(
      'SELECT count(*)::int AS n FROM storage_aggregator a JOIN storage_bucket b ON b.id = a."directStorageId" AND b."storageAggregatorId" = a.id',
    );
    expect(cycle[0].n).toBeGreaterThan(0);
    const { rows: selfRef } = await pg.query(
      'SELECT count(*)::int AS n FROM authorization_policy WHERE "parentAuthorizationPolicyId" IS NOT NULL',
    );
    expect(selfRef[0].n).toBeGreaterThan(0);
    const { rows: trig } = await pg.query(
      "SELECT count(*)::int AS n FROM pg_trigger WHERE tgisinternal AND tgenabled <> 'O'",
    );
    expect(trig[0].n).toBe(0);
  });

  it('moved every rowId sequence past the highest loaded value', async () => {
    for (const t of [
      'user',
      'organization',
      'space',
      'virtual_contributor',
      'template_content_space',
      'activity',
      'in_app_notification',
    ]) {
      const { rows } = await pg.query(
        `SELECT (SELECT coalesce(max("rowId"), 0) FROM "${t}") AS max, (SELECT last_value FROM ${`"${t}_rowId_seq"`}) AS seq`,
      );
      expect({ t, ok: Number(rows[0].seq) >= Number(rows[0].max) }).toEqual({ t, ok: true });
    }
  });
});

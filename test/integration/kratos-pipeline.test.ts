import { promises as fsp } from 'node:fs';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { Client } from 'pg';
import { seedKratos, kratosHardValues } from '../../fixtures/demo/kratos-seed';
import { runPipeline, PipelineRunResult } from '../../src/pipeline/run-pipeline';
import { pipelineFixture, PipelineFixture, quietLog } from '../helpers/pipeline-fixture';

/**
 * The whole Kratos pipeline on the real servers, then an independent, row-by-row comparison:
 * the expected Postgres value of every column is derived here from the MySQL row by the rules
 * the mapping declares, without converge's transform or checksum code.
 */
let fx: PipelineFixture;
let result: PipelineRunResult;
let my: mysql.Connection;
let pg: Client;
const SCALE = 120;

beforeAll(async () => {
  fx = await pipelineFixture('kratos');
  my = await mysql.createConnection({
    uri: fx.mysqlDb.url,
    dateStrings: true,
    supportBigNumbers: true,
    bigNumberStrings: true,
    timezone: 'Z',
  });
  await my.query("SET time_zone = '+00:00'");
  await seedKratos(my, { scale: SCALE });
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
  await my?.end();
  await pg?.end();
  await fx?.cleanup();
});

type Row = Record<string, unknown>;

async function pgColumns(table: string): Promise<Map<string, string>> {
  const { rows } = await pg.query(
    'SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2',
    ['public', table],
  );
  return new Map(rows.map((r) => [r.column_name, r.data_type]));
}

const DROP_IF_NULL: Record<string, string[]> = {
  identity_credential_identifiers: ['identifier'],
  identity_recovery_tokens: ['token'],
  identity_login_codes: ['selfservice_login_flow_id'],
  identity_registration_codes: ['selfservice_registration_flow_id'],
  identity_recovery_codes: ['selfservice_recovery_flow_id'],
};

function expectedValue(
  type: string,
  v: unknown,
  column: string,
  table: string,
  typeIdMap: Map<string, string>,
): unknown {
  if (v === null || v === undefined) {
    if (column === 'request_url') return '';
    return null;
  }
  switch (type) {
    case 'uuid': {
      const s = String(v);
      if (s === '') return null;
      const lower = s.toLowerCase();
      if (column === 'identity_credential_type_id' || (table === 'identity_credential_types' && column === 'id'))
        return typeIdMap.get(lower) ?? lower;
      return lower;
    }
    case 'boolean':
      return Number(v) === 1;
    case 'json':
    case 'jsonb':
      return typeof v === 'object' && !Buffer.isBuffer(v) ? v : JSON.parse(String(v));
    case 'timestamp without time zone':
      return String(v);
    case 'bytea':
      return (v as Buffer).toString('hex');
    case 'character':
      return String(v);
    default:
      return typeof v === 'number' ? v : String(v);
  }
}

function pgValue(type: string, v: unknown): unknown {
  if (v === null) return null;
  if (type === 'timestamp without time zone') return String(v).replace('T', ' ');
  if (type === 'bytea') return String(v).replace(/^\\x/, '');
  if (type === 'character') return String(v).replace(/ +$/, '');
  return v;
}

describe('Kratos pipeline on MariaDB → Postgres', () => {
  it('verifies every table and loads rows in every table but the seeded one', () => {
    expect(result.verdicts.length).toBe(25);
    expect(result.verdicts.every((v) => v.ok)).toBe(true);
    for (const t of result.tables) if (t.table !== 'identity_credential_types') expect(t.rows).toBeGreaterThan(0);
  });

  it('holds, table by table, exactly the source rows with every value equal by meaning', async () => {
    const [types] = await my.query('SELECT id, name FROM identity_credential_types');
    const { rows: tgtTypes } = await pg.query('SELECT id::text, name FROM identity_credential_types');
    const byName = new Map(tgtTypes.map((r) => [r.name, r.id]));
    const typeIdMap = new Map(
      (types as Row[]).map((r) => [String(r.id).toLowerCase(), byName.get(r.name) ?? String(r.id).toLowerCase()]),
    );
    const { rows: tables } = await pg.query(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'schema_migration' ORDER BY 1",
    );
    expect(tables.length).toBe(25);
    let compared = 0;
    for (const { table_name: table } of tables) {
      const cols = await pgColumns(table);
      const [srcRows] = await my.query(`SELECT * FROM \`${table}\``);
      let expected = (srcRows as Row[]).filter((r) => !(DROP_IF_NULL[table] ?? []).some((c) => r[c] === null));
      if (table === 'session_devices') {
        // keep-newest on (nid, session_id, ip_address, user_agent)
        const best = new Map<string, Row>();
        for (const r of expected) {
          const k = [r.nid, r.session_id, r.ip_address, r.user_agent].map((x) => String(x).toLowerCase()).join('|');
          const cur = best.get(k);
          if (r.ip_address === null || r.user_agent === null) best.set(`${k}|${r.id}`, r);
          else if (!cur || String(r.updated_at) > String(cur.updated_at)) best.set(k, r);
        }
        expected = [...best.values()];
      }
      const { rows: tgtRows } = await pg.query(`SELECT row_to_json(t) AS r FROM "${table}" t`);
      const tgtById = new Map(tgtRows.map(({ r }) => [String(r.id), r as Row]));
      if (table === 'identity_credential_types') {
        for (const r of expected) expect(tgtById.get(typeIdMap.get(String(r.id).toLowerCase())!)!.name).toBe(r.name);
        continue;
      }
      expect({ table, rows: tgtRows.length }).toEqual({ table, rows: expected.length });
      for (const src of expected) {
        const id = String(src.id).toLowerCase();
        const tgt = tgtById.get(id);
        expect({ table, id, found: !!tgt }).toEqual({ table, id, found: true });
        for (const [col, type] of cols) {
          const want = expectedValue(type, src[col], col, table, typeIdMap);
          const got = pgValue(type, tgt![col]);
          if (
            JSON.stringify(got) !== JSON.stringify(want) &&
            !(type.startsWith('json') && isDeepStrictEqual(got, want))
          ) {
            throw new Error(
              `${table}.${col} id ${id}: expected ${JSON.stringify(want)?.slice(0, 200)}, got ${JSON.stringify(got)?.slice(0, 200)}`,
            );
          }
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(5000);
  });

  it('carries every hard value of the seeder through', async () => {
    for (const h of kratosHardValues()) {
      const { rows } = await pg.query(`SELECT row_to_json(t) AS r FROM "${h.table}" t WHERE id = $1`, [
        h.id.toLowerCase(),
      ]);
      const dropCols = DROP_IF_NULL[h.table] ?? [];
      const [src] = await my.query(`SELECT * FROM \`${h.table}\` WHERE id = ?`, [h.id]);
      if (dropCols.some((c) => (src as Row[])[0][c] === null)) {
        expect(rows.length).toBe(0); // dropped on purpose (dropRowsWithNull), counted in the ledger
        continue;
      }
      if (h.table === 'session_devices') continue; // covered by the row-by-row comparison
      expect({ key: h.key, found: rows.length }).toEqual({ key: h.key, found: 1 });
    }
    const { rows: text } = await pg.query(
      'SELECT oauth2_login_challenge_data AS v FROM selfservice_login_flows WHERE id = ANY($1::uuid[])',
      [
        kratosHardValues()
          .filter((h) => h.table === 'selfservice_login_flows')
          .map((h) => h.id.toLowerCase()),
      ],
    );
    const values = text.map((r) => r.v);
    expect(values).toEqual(expect.arrayContaining([null, '', 'NULL', '\\N']));
    expect(values.some((v) => typeof v === 'string' && /🦄|\n|\r|\t|"|,|\\/.test(v) && v.length > 10)).toBe(true);
    const { rows: vf } = await pg.query(
      'SELECT count(*)::int AS n FROM selfservice_verification_flows WHERE session_id IS NULL',
    );
    expect(vf[0].n).toBeGreaterThan(0);
  });

  it('records the run, with every normalised value counted per table and column', async () => {
    const { rows: runs } = await pg.query('SELECT status FROM converge.runs WHERE id = $1', [result.runId]);
    expect(runs[0].status).toBe('completed');
    const { rows: ev } = await pg.query(
      'SELECT kind, table_name, payload FROM converge.run_events WHERE run_id = $1 ORDER BY id',
      [result.runId],
    );
    const kinds = ev.map((e) => e.kind);
    for (const k of [
      'run.created',
      'stage.started',
      'table.exported',
      'table.transformed',
      'table.loaded',
      'table.verified',
      'run.completed',
    ])
      expect(kinds).toContain(k);
    const tr = (t: string) => ev.find((e) => e.kind === 'table.transformed' && e.table_name === t)!.payload.changes;
    expect(tr('selfservice_verification_flows').session_id.emptyToNull).toBeGreaterThan(0);
    expect(tr('identity_credentials').identity_credential_type_id.remapped).toBeGreaterThan(0);
    expect(tr('session_devices')['nid+session_id+ip_address+user_agent'].duplicateDropped).toBeGreaterThan(0);
    expect(tr('identity_credential_identifiers').identifier.nullRowDropped).toBeGreaterThan(0);
    expect(tr('identity_credential_types')['name'].existingSkipped).toBe(7);
  });

  it('writes export files 0600 in a 0700 directory, never the password', async () => {
    const dir = path.join(fx.workDir, 'export');
    expect((await fsp.stat(fx.workDir)).mode & 0o777).toBe(0o700);
    for (const f of await fsp.readdir(dir))
      expect({ f, mode: (await fsp.stat(path.join(dir, f))).mode & 0o777 }).toEqual({ f, mode: 0o600 });
    const manifest = JSON.parse(await fsp.readFile(path.join(dir, 'manifest.json'), 'utf8'));
    expect(manifest.tables.identities.rows).toBe(SCALE);
    expect(manifest.tables.identities.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(manifest.excluded).toEqual(['schema_migration']);
  });
});

function isDeepStrictEqual(a: unknown, b: unknown): boolean {
  return require('node:util').isDeepStrictEqual(a, b);
}

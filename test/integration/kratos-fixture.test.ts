import path from 'node:path';
import { Client } from 'pg';
import { parseConnectionUrl } from '../../src/core/connection-url';
import { ConvergeError } from '../../src/core/errors';
import { KratosSeedContext } from '../../fixtures/demo/kratos-seed-context';
import {
  KRATOS_SOURCE_CREDENTIAL_TYPE_IDS,
  KRATOS_TARGET_CREDENTIAL_TYPE_IDS,
  TEXT_SPECIAL,
} from '../../fixtures/demo/kratos-hard-strings';
import { KRATOS_HARD_VALUES, seedKratos } from '../../fixtures/demo/kratos-seed';
import { applyMigrations } from '../../src/schema/apply-migrations';
import { MysqlConnection, openMysql } from '../../src/source/mysql/connect';
import { createMysqlDb, createPgDb, TestDb } from '../helpers/databases';

const MYSQL_DIR = path.resolve(__dirname, '../../migrations/kratos/mysql');
const PG_DIR = path.resolve(__dirname, '../../migrations/kratos/postgres');
const TRACKING = { table: 'schema_migration', style: 'pop' as const };

const KRATOS_TABLES = [
  'continuity_containers',
  'courier_message_dispatches',
  'courier_messages',
  'identities',
  'identity_credential_identifiers',
  'identity_credential_types',
  'identity_credentials',
  'identity_login_codes',
  'identity_recovery_addresses',
  'identity_recovery_codes',
  'identity_recovery_tokens',
  'identity_registration_codes',
  'identity_verifiable_addresses',
  'identity_verification_codes',
  'identity_verification_tokens',
  'networks',
  'selfservice_errors',
  'selfservice_login_flows',
  'selfservice_recovery_flows',
  'selfservice_registration_flows',
  'selfservice_settings_flows',
  'selfservice_verification_flows',
  'session_devices',
  'session_token_exchanges',
  'sessions',
];

/** Columns nullable on MySQL but NOT NULL on Postgres (the facts' NULLABILITY DIFF). */
const NULLABILITY_DIFF = [
  ['identity_credential_identifiers', 'identifier'],
  ['selfservice_login_flows', 'request_url'],
  ['selfservice_registration_flows', 'request_url'],
  ['selfservice_settings_flows', 'request_url'],
  ['selfservice_recovery_flows', 'request_url'],
  ['selfservice_verification_flows', 'request_url'],
  ['identity_recovery_tokens', 'token'],
  ['identity_login_codes', 'selfservice_login_flow_id'],
  ['identity_registration_codes', 'selfservice_registration_flow_id'],
  ['identity_recovery_codes', 'selfservice_recovery_flow_id'],
];

const SCALE = 50;

let my: TestDb;
let my2: TestDb;
let pgDb: TestDb;
let conn: MysqlConnection;
let pg: Client;
let seeded: Record<string, number>;

async function q<T = Record<string, unknown>>(sql: string, values: unknown[] = []): Promise<T[]> {
  return (await conn.query(sql, values))[0] as T[];
}

beforeAll(async () => {
  my = await createMysqlDb('kratosfx');
  my2 = await createMysqlDb('kratosfx2');
  pgDb = await createPgDb('kratosfx');
  const first = await applyMigrations({
    dialect: 'mysql',
    connection: parseConnectionUrl(my.url, 'mysql', 'mysql'),
    dir: MYSQL_DIR,
    tracking: TRACKING,
  });
  expect(first.map((r) => r.status)).toEqual(['applied', 'applied']);
  const firstPg = await applyMigrations({
    dialect: 'postgres',
    connection: parseConnectionUrl(pgDb.url, 'postgres', 'pg'),
    dir: PG_DIR,
    tracking: TRACKING,
  });
  expect(firstPg.map((r) => r.status)).toEqual(['applied', 'applied']);
  conn = await openMysql(parseConnectionUrl(my.url, 'mysql', 'mysql'));
  await conn.query("SET time_zone = '+00:00'");
  pg = new Client({ connectionString: pgDb.url });
  await pg.connect();
});

afterAll(async () => {
  await conn?.end().catch(() => undefined);
  await pg?.end().catch(() => undefined);
  for (const db of [my, my2, pgDb]) await db?.drop();
});

describe('kratos fixture schema', () => {
  it('has the 25 Kratos tables plus schema_migration on MySQL', async () => {
    const rows = await q<{ t: string }>(
      'SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()',
    );
    expect(rows.map((r) => r.t).sort()).toEqual([...KRATOS_TABLES, 'schema_migration'].sort());
  });

  it('has the 25 Kratos tables plus schema_migration on Postgres', async () => {
    const { rows } = await pg.query("SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public'");
    expect(rows.map((r) => r.t).sort()).toEqual([...KRATOS_TABLES, 'schema_migration'].sort());
  });

  it('has the same 48 ON DELETE CASCADE foreign keys on both sides', async () => {
    const myFks = await q<{ fk: string; rule: string }>(
      `SELECT CONCAT(k.TABLE_NAME, '.', k.COLUMN_NAME, '->', k.REFERENCED_TABLE_NAME, '.', k.REFERENCED_COLUMN_NAME) AS fk, r.DELETE_RULE AS rule
         FROM information_schema.KEY_COLUMN_USAGE k
         JOIN information_schema.REFERENTIAL_CONSTRAINTS r ON r.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME AND r.TABLE_NAME = k.TABLE_NAME
        WHERE k.TABLE_SCHEMA = DATABASE() AND k.REFERENCED_TABLE_NAME IS NOT NULL`,
    );
    const { rows: pgFks } = await pg.query(
      `SELECT c.conrelid::regclass::text || '.' || a.attname || '->' || c.confrelid::regclass::text || '.' || fa.attname AS fk, c.confdeltype AS rule
         FROM pg_constraint c
         JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
         JOIN pg_attribute fa ON fa.attrelid = c.confrelid AND fa.attnum = c.confkey[1]
        WHERE c.contype = 'f' AND c.connamespace = 'public'::regnamespace`,
    );
    expect(myFks).toHaveLength(48);
    expect(pgFks).toHaveLength(48);
    expect(new Set(myFks.map((r) => r.rule))).toEqual(new Set(['CASCADE']));
    expect(new Set(pgFks.map((r) => r.rule))).toEqual(new Set(['c']));
    expect(pgFks.map((r) => r.fk).sort()).toEqual(myFks.map((r) => r.fk).sort());
    expect(myFks.map((r) => r.fk)).toContain('session_devices.session_id->sessions.id');
    expect(myFks.map((r) => r.fk)).toContain(
      'identity_credential_identifiers.identity_credential_type_id->identity_credential_types.id',
    );
  });

  it('seeds the 7 credential types on each side, with differing ids for the same names', async () => {
    const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : 1);
    const myTypes = (await q<{ id: string; name: string }>('SELECT id, name FROM identity_credential_types')).sort(
      byName,
    );
    const pgTypes = (await pg.query('SELECT id::text AS id, name FROM identity_credential_types')).rows.sort(byName);
    const names = ['code', 'lookup_secret', 'oidc', 'passkey', 'password', 'totp', 'webauthn'];
    expect(myTypes.map((r) => r.name)).toEqual(names);
    expect(pgTypes.map((r) => r.name)).toEqual(names);
    expect(Object.fromEntries(myTypes.map((r) => [r.name, r.id]))).toEqual(KRATOS_SOURCE_CREDENTIAL_TYPE_IDS);
    expect(Object.fromEntries(pgTypes.map((r) => [r.name, r.id]))).toEqual(KRATOS_TARGET_CREDENTIAL_TYPE_IDS);
    const differing = names.filter(
      (n) => KRATOS_SOURCE_CREDENTIAL_TYPE_IDS[n].toLowerCase() !== KRATOS_TARGET_CREDENTIAL_TYPE_IDS[n],
    );
    expect(differing.length).toBeGreaterThanOrEqual(3);
    expect(myTypes.some((r) => r.id === r.id.toUpperCase())).toBe(true);
    expect(KRATOS_TARGET_CREDENTIAL_TYPE_IDS.password).toBe('78c1b41d-8341-4507-aa60-aff1d4369670');
  });

  it('has the session_devices unique device index on Postgres only', async () => {
    const { rows } = await pg.query(
      "SELECT indexdef FROM pg_indexes WHERE tablename = 'session_devices' AND indexdef LIKE 'CREATE UNIQUE%'",
    );
    const defs = rows.map((r) => r.indexdef as string);
    expect(defs.some((d) => d.includes('(nid, session_id, ip_address, user_agent)'))).toBe(true);
    const myUnique = await q<{ k: string }>(
      "SELECT DISTINCT INDEX_NAME AS k FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'session_devices' AND NON_UNIQUE = 0",
    );
    expect(myUnique.map((r) => r.k)).toEqual(['PRIMARY']);
  });

  it("keeps each dialect's column order (session_devices swaps nid and session_id)", async () => {
    const myCols = await q<{ c: string }>(
      "SELECT COLUMN_NAME AS c FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'session_devices' ORDER BY ORDINAL_POSITION",
    );
    const { rows } = await pg.query(
      "SELECT column_name AS c FROM information_schema.columns WHERE table_schema = 'public' AND table_name = 'session_devices' ORDER BY ordinal_position",
    );
    expect(myCols.map((r) => r.c)).toEqual([
      'id',
      'ip_address',
      'user_agent',
      'location',
      'session_id',
      'nid',
      'created_at',
      'updated_at',
    ]);
    expect(rows.map((r) => r.c)).toEqual([
      'id',
      'ip_address',
      'user_agent',
      'location',
      'nid',
      'session_id',
      'created_at',
      'updated_at',
    ]);
  });

  it('is nullable on MySQL and NOT NULL on Postgres exactly where the facts say', async () => {
    for (const [table, column] of NULLABILITY_DIFF) {
      const [m] = await q<{ n: string }>(
        'SELECT IS_NULLABLE AS n FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND COLUMN_NAME = ?',
        [table, column],
      );
      const { rows } = await pg.query(
        "SELECT is_nullable AS n FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 AND column_name = $2",
        [table, column],
      );
      expect([table, column, m?.n, rows[0]?.n]).toEqual([table, column, 'YES', 'NO']);
    }
  });

  it('checks token_type IN (1, 2) on both sides', async () => {
    const [ck] = await q<{ c: string }>(
      "SELECT CHECK_CLAUSE AS c FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE() AND TABLE_NAME = 'identity_recovery_tokens' AND CHECK_CLAUSE LIKE '%token_type%'",
    );
    expect(ck.c).toMatch(/token_type.*in.*1.*2/i);
    const { rows } = await pg.query(
      "SELECT pg_get_constraintdef(oid) AS d FROM pg_constraint WHERE contype = 'c' AND conrelid = 'identity_recovery_tokens'::regclass",
    );
    expect(rows.map((r) => r.d).join(' ')).toMatch(/token_type = ANY \(ARRAY\[1, 2\]\)/);
  });

  it('does nothing when the migrations are applied a second time', async () => {
    const again = await applyMigrations({
      dialect: 'mysql',
      connection: parseConnectionUrl(my.url, 'mysql', 'mysql'),
      dir: MYSQL_DIR,
      tracking: TRACKING,
    });
    const againPg = await applyMigrations({
      dialect: 'postgres',
      connection: parseConnectionUrl(pgDb.url, 'postgres', 'pg'),
      dir: PG_DIR,
      tracking: TRACKING,
    });
    expect(again.map((r) => r.status)).toEqual(['already-applied', 'already-applied']);
    expect(againPg.map((r) => r.status)).toEqual(['already-applied', 'already-applied']);
    const [{ n }] = await q<{ n: number }>('SELECT COUNT(*) AS n FROM identity_credential_types');
    expect(Number(n)).toBe(7);
    const { rows } = await pg.query('SELECT version FROM schema_migration ORDER BY version');
    expect(rows.map((r) => r.version)).toEqual(['0001', '0002']);
  });
});

describe('seedKratos', () => {
  beforeAll(async () => {
    seeded = await seedKratos(conn, { scale: SCALE });
  });

  it('rejects a scale that is not a positive integer', async () => {
    await expect(seedKratos(conn, { scale: 0 })).rejects.toMatchObject({ code: 'USAGE' });
    await expect(seedKratos(conn, { scale: 1.5 })).rejects.toBeInstanceOf(ConvergeError);
  });

  it('writes rows to every one of the 25 tables and reports the counts it wrote', async () => {
    for (const t of KRATOS_TABLES) {
      const [{ n }] = await q<{ n: number }>(`SELECT COUNT(*) AS n FROM \`${t}\``);
      expect([t, Number(n) > 0]).toEqual([t, true]);
      expect([t, Number(n)]).toEqual([t, t === 'identity_credential_types' ? 7 : seeded[t]]);
    }
    expect(seeded.identities).toBe(SCALE);
  });

  it('plans about 10 rows per identity at large scale', () => {
    const ctx = new KratosSeedContext(1, 100000, { ...KRATOS_SOURCE_CREDENTIAL_TYPE_IDS });
    const total = Object.values(ctx.counts).reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(950000);
    expect(total).toBeLessThan(1150000);
  });

  it('holds every documented hard value in the documented row', async () => {
    expect(KRATOS_HARD_VALUES.length).toBeGreaterThan(40);
    for (const h of KRATOS_HARD_VALUES) {
      const rows = await q<{ v: unknown }>(`SELECT \`${h.column}\` AS v FROM \`${h.table}\` WHERE BINARY id = ?`, [
        h.id,
      ]);
      expect([h.key, rows.length]).toEqual([h.key, 1]);
      const v = rows[0].v;
      // mysql2 already parses columns MariaDB reports as JSON; compare JSON by value either way.
      if (h.json) expect([h.key, typeof v === 'string' ? JSON.parse(v) : v]).toEqual([h.key, h.value]);
      else if (Buffer.isBuffer(h.value))
        expect([h.key, Buffer.isBuffer(v) && v.equals(h.value)]).toEqual([h.key, true]);
      else expect([h.key, v]).toEqual([h.key, h.value]);
    }
  });

  it('stores the special text, NULL, empty, literal NULL and \\N in one text column', async () => {
    const rows = await q<{ v: string | null }>('SELECT oauth2_login_challenge_data AS v FROM selfservice_login_flows');
    const values = rows.map((r) => r.v);
    expect(values).toContain(TEXT_SPECIAL);
    expect(values).toContain(null);
    expect(values).toContain('');
    expect(values).toContain('NULL');
    expect(values).toContain('\\N');
    const [{ n }] = await q<{ n: number }>(
      "SELECT COUNT(*) AS n FROM courier_messages WHERE body LIKE '%🦄%' AND body LIKE '%\r\n%' AND body LIKE '%\t%'",
    );
    expect(Number(n)).toBeGreaterThanOrEqual(1);
  });

  it('mixes upper- and lower-case uuids that still join under the _ci collation', async () => {
    const [{ n: upperIds }] = await q<{ n: number }>(
      'SELECT COUNT(*) AS n FROM identities WHERE BINARY id = UPPER(id)',
    );
    expect(Number(upperIds)).toBeGreaterThanOrEqual(1);
    const [{ n: mismatched }] = await q<{ n: number }>(
      'SELECT COUNT(*) AS n FROM identity_credentials c JOIN identities i ON i.id = c.identity_id WHERE BINARY c.identity_id <> i.id',
    );
    expect(Number(mismatched)).toBeGreaterThanOrEqual(2);
  });

  it("puts '' and NULL in selfservice_verification_flows.session_id and identity_id", async () => {
    const [r] = await q<{ e: number; nl: number }>(
      "SELECT SUM(session_id = '' AND identity_id = '') AS e, SUM(session_id IS NULL) AS nl FROM selfservice_verification_flows",
    );
    expect(Number(r.e)).toBeGreaterThanOrEqual(1);
    expect(Number(r.nl)).toBeGreaterThanOrEqual(1);
  });

  it('writes duplicate session_devices groups that the Postgres unique index rejects', async () => {
    const groups = await q<{ n: number; u: number }>(
      'SELECT COUNT(*) AS n, COUNT(DISTINCT updated_at) AS u FROM session_devices GROUP BY nid, session_id, ip_address, user_agent HAVING COUNT(*) > 1',
    );
    expect(groups.length).toBeGreaterThanOrEqual(2);
    for (const g of groups) expect(Number(g.u)).toBe(Number(g.n));
  });

  it('leaves NULLs in the columns only Postgres requires', async () => {
    for (const [table, column] of NULLABILITY_DIFF) {
      const [{ n }] = await q<{ n: number }>(`SELECT COUNT(*) AS n FROM \`${table}\` WHERE \`${column}\` IS NULL`);
      expect([table, column, Number(n) >= 1]).toEqual([table, column, true]);
    }
  });

  it('spreads rows over three networks and references the source credential type ids', async () => {
    const [{ n }] = await q<{ n: number }>('SELECT COUNT(DISTINCT nid) AS n FROM identities');
    expect(Number(n)).toBe(3);
    const types = await q<{ t: string }>('SELECT DISTINCT identity_credential_type_id AS t FROM identity_credentials');
    const used = types.map((r) => r.t);
    expect(used).toContain(KRATOS_SOURCE_CREDENTIAL_TYPE_IDS.oidc);
    expect(used).toContain(KRATOS_SOURCE_CREDENTIAL_TYPE_IDS.totp);
    expect(used).not.toContain(KRATOS_TARGET_CREDENTIAL_TYPE_IDS.oidc);
  });

  it('writes NULL and non-NULL sessions.active, booleans 0 and 1, and blobs with 0x00 and 0xFF', async () => {
    const [s] = await q<{ nl: number; t: number; f: number }>(
      'SELECT SUM(active IS NULL) AS nl, SUM(active = 1) AS t, SUM(active = 0) AS f FROM sessions',
    );
    expect([Number(s.nl) > 0, Number(s.t) > 0, Number(s.f) > 0]).toEqual([true, true, true]);
    const [b] = await q<{ n: number }>(
      "SELECT COUNT(*) AS n FROM courier_messages WHERE LOCATE(X'00', template_data) > 0 AND LOCATE(X'FF', template_data) > 0",
    );
    expect(Number(b.n)).toBeGreaterThanOrEqual(1);
  });

  it('is deterministic: the same seed writes the same bytes', async () => {
    const other = await openMysql(parseConnectionUrl(my2.url, 'mysql', 'mysql'));
    try {
      await applyMigrations({
        dialect: 'mysql',
        connection: parseConnectionUrl(my2.url, 'mysql', 'mysql'),
        dir: MYSQL_DIR,
        tracking: TRACKING,
      });
      const again = await seedKratos(other, { scale: SCALE });
      expect(again).toEqual(seeded);
      const tables = KRATOS_TABLES.map((t) => `\`${t}\``).join(', ');
      const sums = async (c: MysqlConnection) =>
        ((await c.query(`CHECKSUM TABLE ${tables}`))[0] as Array<{ Checksum: string }>).map((r) => String(r.Checksum));
      expect(await sums(other)).toEqual(await sums(conn));
    } finally {
      await other.end();
    }
  });
});

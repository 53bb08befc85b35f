import path from 'node:path';
import { deflateSync, inflateSync } from 'node:zlib';
import { PROFILE_TYPES } from '../../fixtures/alkemio-app/src';
import { parseConnectionUrl } from '../../src/core/connection-url';
import { seedAlkemio, ALKEMIO_HARD_VALUES } from '../../fixtures/demo/alkemio-seed';
import { findForeignKeyViolations } from '../../fixtures/demo/alkemio-fk-check';
import { decodeWhiteboardContent, encodeWhiteboardContent } from '../../fixtures/demo/alkemio-whiteboard';
import { applyMigrations } from '../../src/schema/apply-migrations';
import { MysqlConnection, openMysql } from '../../src/source/mysql/connect';
import { createMysqlDb, TestDb } from '../helpers/databases';

const ROOT = path.resolve(__dirname, '../..');

describe('seedAlkemio', () => {
  let db: TestDb;
  let conn: MysqlConnection;
  let counts: Record<string, number>;

  beforeAll(async () => {
    db = await createMysqlDb('alk_seed');
    const info = parseConnectionUrl(db.url, 'mysql', 'test');
    await applyMigrations({
      dialect: 'mysql',
      connection: info,
      dir: path.join(ROOT, 'migrations/alkemio/mysql'),
      tracking: { table: 'migrations_typeorm', style: 'typeorm' },
    });
    conn = await openMysql(info);
    counts = await seedAlkemio(conn, { scale: 300, seed: 7 });
  });

  afterAll(async () => {
    await conn?.end();
    await db?.drop();
  });

  async function one<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    const [rows] = await conn.query(sql, params);
    return rows as T[];
  }

  it('fills every application table and reports true counts', async () => {
    const tables = await one<{ t: string }>(
      `SELECT table_name AS t FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name <> 'migrations_typeorm'`,
    );
    expect(tables).toHaveLength(76); // 75 application tables + TypeORM's query-result-cache
    for (const { t } of tables) {
      const [row] = await one<{ n: string }>(`SELECT count(*) AS n FROM \`${t}\``);
      expect([t, Number(row.n)]).toEqual([t, counts[t]]);
      expect([t, Number(row.n) > 0]).toEqual([t, true]);
    }
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(2000);
    // authorization_policy dominates, as in production.
    expect(counts.authorization_policy / total).toBeGreaterThan(0.35);
  });

  it('leaves no dangling foreign key', async () => {
    const result = await findForeignKeyViolations(conn);
    expect(result.checked).toBe(201);
    expect(result.violations).toEqual([]);
  });

  it('stores whiteboards as zlib bytes in a latin1 binary string, NULs and megabytes included', async () => {
    const rows = await one<{ content: string }>('SELECT content FROM whiteboard ORDER BY CHAR_LENGTH(content) DESC');
    expect(rows.length).toBeGreaterThan(5);
    const biggest = rows[0].content;
    const json = inflateSync(Buffer.from(biggest, 'latin1')).toString('utf8');
    expect(json.length).toBeGreaterThan(1_000_000);
    expect(JSON.parse(json).type).toBe('excalidraw');
    // Byte-exact: compressing the decoded JSON again gives the stored bytes back.
    expect(deflateSync(Buffer.from(json, 'utf8')).toString('latin1')).toBe(biggest);
    expect(encodeWhiteboardContent(decodeWhiteboardContent(biggest))).toBe(biggest);
    expect(rows.some((r) => r.content.includes('\u0000'))).toBe(true);
  });

  it('holds the documented hard values', async () => {
    const taglines = await one<{ v: string | null }>(
      'SELECT DISTINCT tagline AS v FROM profile WHERE tagline IS NULL OR tagline IN (?, ?, ?)',
      ['', 'NULL', '\\N'],
    );
    expect(taglines.map((r) => r.v).sort()).toEqual([...ALKEMIO_HARD_VALUES.taglines].sort());
    const [crlf] = await one<{ n: string }>(
      `SELECT count(*) AS n FROM profile WHERE description LIKE CONCAT('%', CHAR(13), CHAR(10), '%')`,
    );
    expect(Number(crlf.n)).toBeGreaterThan(0);
    const emoji = await one<{ d: string }>('SELECT displayName AS d FROM profile WHERE displayName = ?', [
      ALKEMIO_HARD_VALUES.displayNames[0],
    ]);
    expect(emoji.length).toBeGreaterThan(0);
    const [emptyRef] = await one<{ n: string }>(`SELECT count(*) AS n FROM callout WHERE publishedBy = ''`);
    expect(Number(emptyRef.n)).toBeGreaterThan(0);
    const [upper] = await one<{ n: string }>(
      'SELECT count(*) AS n FROM post WHERE CAST(createdBy AS BINARY) <> LOWER(createdBy)',
    );
    expect(Number(upper.n)).toBeGreaterThan(0);
    const [emptyTags] = await one<{ n: string }>(`SELECT count(*) AS n FROM tagset WHERE tags = ''`);
    expect(Number(emptyTags.n)).toBeGreaterThan(0);
    const [globalCred] = await one<{ n: string }>(`SELECT count(*) AS n FROM credential WHERE resourceID = ''`);
    expect(Number(globalCred.n)).toBeGreaterThan(0);
    const memo = await one<{ c: Buffer }>('SELECT content AS c FROM memo WHERE content IS NOT NULL LIMIT 1');
    expect(Buffer.isBuffer(memo[0].c) && memo[0].c[0] === 0 && memo[0].c[1] === 255).toBe(true);
    const types = await one<{ t: string }>('SELECT DISTINCT type AS t FROM profile ORDER BY type');
    expect(types.map((r) => r.t).sort()).toEqual([...PROFILE_TYPES].sort());
    const [micro] = await one<{ n: string }>(
      `SELECT count(*) AS n FROM space WHERE MICROSECOND(createdDate) % 1000 <> 0`,
    );
    expect(Number(micro.n)).toBeGreaterThan(0);
  });

  it('builds the space tree, self-references and the storage cycle', async () => {
    const levels = await one<{ level: number; n: string; parented: string }>(
      'SELECT level, count(*) AS n, sum(parentSpaceId IS NOT NULL) AS parented FROM space GROUP BY level ORDER BY level',
    );
    expect(levels.map((r) => r.level)).toEqual([0, 1, 2]);
    expect(Number(levels[0].parented)).toBe(0);
    expect(Number(levels[1].parented)).toBe(Number(levels[1].n));
    expect(Number(levels[2].parented)).toBe(Number(levels[2].n));
    const [badCycle] = await one<{ n: string }>(
      'SELECT count(*) AS n FROM storage_aggregator a LEFT JOIN storage_bucket b ON b.id = a.directStorageId WHERE b.id IS NULL OR b.storageAggregatorId <> a.id',
    );
    expect(Number(badCycle.n)).toBe(0);
    const [parents] = await one<{ n: string }>(
      'SELECT count(*) AS n FROM authorization_policy WHERE parentAuthorizationPolicyId IS NOT NULL',
    );
    expect(Number(parents.n)).toBeGreaterThan(0);
    const [credentials] = await one<{ n: string }>(
      `SELECT count(*) AS n FROM credential c JOIN user u ON u.agentId = c.agentId JOIN space s ON s.id = c.resourceID WHERE c.type IN ('space-member', 'space-admin')`,
    );
    expect(Number(credentials.n)).toBeGreaterThan(0);
  });

  it('refuses a database that already has a platform', async () => {
    await expect(seedAlkemio(conn, { scale: 10 })).rejects.toMatchObject({ code: 'TARGET_NOT_EMPTY' });
  });
});

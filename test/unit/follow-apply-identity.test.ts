import type { Client } from 'pg';
import { applyOps, ApplyTable } from '../../src/target/postgres/follow/apply-changes';

/**
 * A target key generated ALWAYS AS IDENTITY: Postgres takes an explicit id only with OVERRIDING
 * SYSTEM VALUE and lets no UPDATE set it. The follow's statements, seen through a client that
 * records them.
 */
function recorder(): { client: Client; sent: Array<{ sql: string; params: unknown[] }> } {
  const sent: Array<{ sql: string; params: unknown[] }> = [];
  const client = {
    query: async (sql: string, params: unknown[]) => {
      sent.push({ sql, params });
      return { rowCount: 1, rows: [] };
    },
  } as unknown as Client;
  return { client, sent };
}

const table = (fixed?: number[]): ApplyTable => ({
  schema: 'public',
  table: 'badges',
  columns: ['id', 'note'],
  keyIdx: [0],
  fixed,
});

describe('applyOps on a GENERATED ALWAYS identity key', () => {
  test('an insert overrides the identity, an update sets the other columns by the key', async () => {
    const { client, sent } = recorder();
    const t = table([0]);
    await applyOps(client, [
      { op: 'insert', table: t, values: ['7', 'a'] },
      { op: 'update', table: t, where: ['7'], values: ['7', 'b'] },
    ]);
    expect(sent).toEqual([
      {
        sql: 'INSERT INTO "public"."badges" ("id", "note") OVERRIDING SYSTEM VALUE VALUES ($1, $2)',
        params: ['7', 'a'],
      },
      { sql: 'UPDATE "public"."badges" SET "note" = $1 WHERE "id" = $2', params: ['b', '7'] },
    ]);
  });

  test('an update that moves the key stops by name, before any statement', async () => {
    const { client, sent } = recorder();
    await expect(
      applyOps(client, [{ op: 'update', table: table([0]), where: ['7'], values: ['1007', 'b'] }]),
    ).rejects.toMatchObject({ code: 'FOLLOW_UNSUPPORTED', message: expect.stringContaining('ALWAYS AS IDENTITY') });
    expect(sent).toEqual([]);
  });

  test('without such a column the statements are as before', async () => {
    const { client, sent } = recorder();
    await applyOps(client, [
      { op: 'insert', table: table(), values: ['7', 'a'] },
      { op: 'update', table: table(), where: ['7'], values: ['1007', 'b'] },
    ]);
    expect(sent.map((s) => s.sql)).toEqual([
      'INSERT INTO "public"."badges" ("id", "note") VALUES ($1, $2)',
      'UPDATE "public"."badges" SET "id" = $1, "note" = $2 WHERE "id" = $3',
    ]);
  });
});

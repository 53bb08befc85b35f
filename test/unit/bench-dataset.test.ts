import { chunkInsert, CHUNK, generationPlan, mysqlString, rowsAtScale } from '../../bench/dataset';

describe('bench dataset', () => {
  it('holds 3 million rows at scale 1 and scales each table', () => {
    const one = rowsAtScale(1);
    expect(one.accounts + one.events + one.attachments).toBe(3_000_000);
    expect(rowsAtScale(0.1)).toEqual({ accounts: 25_000, events: 250_000, attachments: 25_000 });
    expect(() => rowsAtScale(0)).toThrow(RangeError);
    expect(() => rowsAtScale(Number.NaN)).toThrow(RangeError);
  });

  it('plans chunks that cover every row once, parents first', () => {
    const rows = { accounts: CHUNK + 5, events: 3, attachments: 2 * CHUNK };
    const plan = generationPlan(rows);
    expect(plan[0].table).toBe('accounts');
    for (const t of ['accounts', 'events', 'attachments'] as const) {
      const chunks = plan.filter((c) => c.table === t);
      expect(chunks.reduce((n, c) => n + c.count, 0)).toBe(rows[t]);
      chunks.forEach((c, i) => expect(c.first).toBe(i * CHUNK));
    }
    expect(plan.findIndex((c) => c.table !== 'accounts')).toBe(2);
  });

  it('escapes text for a MySQL literal', () => {
    expect(mysqlString(`it's a\\b\nc\td`)).toBe(`'it\\'s a\\\\b\\nc\\td'`);
  });

  it("references only existing accounts and the chunk's own rows", () => {
    const sql = chunkInsert('events', 200_000, 500, 1234);
    expect(sql).toContain('% 1234 AS a');
    expect(sql).toContain('SELECT 200000 + n AS i FROM bench_numbers WHERE n < 500');
  });
});

describe('bench deferred keys', () => {
  it('name the indexes and foreign keys the source migration declares', () => {
    const { readFileSync } = require('node:fs') as typeof import('node:fs');
    const { DEFERRED_KEYS } = require('../../bench/dataset') as typeof import('../../bench/dataset');
    const ddl = readFileSync(
      require('node:path').join(__dirname, '../../fixtures/migrations/bench/mysql/0001_bench_schema.sql'),
      'utf8',
    );
    for (const k of DEFERRED_KEYS) {
      expect(ddl).toContain(`KEY ${k.index} (account_id)`);
      expect(ddl).toContain(`CONSTRAINT ${k.foreignKey} FOREIGN KEY (account_id) REFERENCES accounts (id)`);
    }
  });
});

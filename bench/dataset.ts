/**
 * The benchmark dataset: how many rows each table gets at a scale, and the INSERT … SELECT
 * statements that generate them on the server. Rows are a pure function of their index, so two
 * runs at one scale hold the same data, and nothing crosses the network while generating.
 */

/** Rows per table at scale 1: 3 million rows, about 1 GB of CSV. */
export const BASE_ROWS = { accounts: 250_000, events: 2_500_000, attachments: 250_000 } as const;
export type BenchTable = keyof typeof BASE_ROWS;
/** Parents first: the order a loader honouring foreign keys must follow. */
export const BENCH_TABLES: BenchTable[] = ['accounts', 'events', 'attachments'];

/** Rows generated per statement (one transaction each); also the size of the numbers table. */
export const CHUNK = 100_000;

export function rowsAtScale(scale: number): Record<BenchTable, number> {
  if (!(scale > 0) || !Number.isFinite(scale)) throw new RangeError(`scale must be a positive number, got ${scale}`);
  const n = (base: number) => Math.max(1, Math.round(base * scale));
  return { accounts: n(BASE_ROWS.accounts), events: n(BASE_ROWS.events), attachments: n(BASE_ROWS.attachments) };
}

/** A MySQL string literal (standard backslash escapes, as under the default sql_mode). */
export function mysqlString(s: string): string {
  return (
    "'" +
    s.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t') +
    "'"
  );
}

/**
 * Text a migration tool must not damage: accents, CJK, emoji (4-byte UTF-8), right-to-left
 * scripts, CSV's own quote and separator, new lines, backslashes and tabs.
 */
export const HARD_TEXTS = [
  'Zoë Ångström',
  '日本語のテキスト',
  'party 🎉🚀 time',
  'שלום עולם',
  'say "hi", then leave',
  'line one\nline two',
  'back\\slash\tand tab',
  'Привет, мир; ¿qué tal?',
];

const pick = (expr: string, items: string[]) =>
  `ELT(1 + (${expr}) % ${items.length}, ${items.map(mysqlString).join(', ')})`;

/** CHAR(36) lower-case uuid (version 4 layout) from a hex digest column `h` and an integer. */
const uuidOf = (h: string, i: string) =>
  `CONCAT(SUBSTR(${h}, 1, 8), '-', SUBSTR(${h}, 9, 4), '-4', SUBSTR(${h}, 14, 3), '-', SUBSTR('89ab', 1 + (${i}) % 4, 1), SUBSTR(${h}, 18, 3), '-', SUBSTR(${h}, 21, 12))`;

/** A DATETIME(6) spread over nine years, microseconds included. */
const datetime6 = (i: string) =>
  `(CAST('2015-01-01' AS DATETIME(6)) + INTERVAL ((${i}) * 7919) % 283996800 SECOND + INTERVAL ((${i}) * 104729) % 1000000 MICROSECOND)`;

/** Rows `first` .. `first + count - 1` of the numbers table, as column `i`. */
const indexes = (first: number, count: number) => `SELECT ${first} + n AS i FROM bench_numbers WHERE n < ${count}`;

/** The statements that fill one chunk of one table. `accounts` is the row count of accounts (for references). */
export function chunkInsert(table: BenchTable, first: number, count: number, accounts: number): string {
  switch (table) {
    case 'accounts':
      return `INSERT INTO accounts (id, email, display_name, status, is_verified, balance, profile, created_at, updated_at, last_login_at)
SELECT ${uuidOf('h', 'i')}, CONCAT('user', i, '@', ${pick('i', ['example.com', 'exämple.org', 'mail.test', 'bücher.de'])}),
  CONCAT(${pick('i', HARD_TEXTS)}, ' ', i),
  ${pick('(i % 13)', ['active', 'suspended', 'deleted'])},
  i % 3 = 0,
  ((i * 7919) % 100000000) / 100 - 250000,
  IF(i % 17 = 0, NULL, JSON_OBJECT('locale', ${pick('i', ['en-GB', 'de-DE', 'ja-JP', 'he-IL', 'pt-BR'])},
    'bio', CONCAT(${pick('i * 3', HARD_TEXTS)}, ' — ', SUBSTR(h, 1, 12 + i % 20)), 'score', (i % 1000) / 8,
    'tags', JSON_ARRAY(CONCAT('t', i % 7), CONCAT('t', i % 11)), 'prefs', JSON_OBJECT('theme', IF(i % 2 = 0, 'dark', 'light'), 'nothing', NULL))),
  ${datetime6('i')},
  IF(i % 5 = 0, NULL, ${datetime6('i')} + INTERVAL i % 86400 SECOND),
  CASE i % 10 WHEN 0 THEN '0000-00-00 00:00:00' WHEN 1 THEN NULL ELSE CAST(${datetime6('i')} + INTERVAL i % 604800 SECOND AS DATETIME) END
FROM (SELECT i, MD5(CONCAT('acct-', i)) AS h FROM (${indexes(first, count)}) s0) s`;
    case 'events':
      return `INSERT INTO events (id, account_id, kind, payload, amount, is_test, note, occurred_at)
SELECT i + 1, ${uuidOf('h', 'a')}, ${pick('i', ['login', 'logout', 'purchase', 'refund', 'profile_update'])},
  JSON_OBJECT('ip', CONCAT(i % 256, '.', (i DIV 256) % 256, '.', (i DIV 65536) % 256, '.', (i * 7) % 256),
    'agent', ${pick('i', ['Mozilla/5.0 (X11; Linux x86_64)', 'curl/8.5.0', 'Kratos/1.3 "mobile"', 'Ünïcödé-Agent/2.0'])},
    'items', JSON_ARRAY(i % 97, i % 89, (i * 3) % 83), 'comment', ${pick('i * 5', HARD_TEXTS)}, 'session', SUBSTR(h, 1 + i % 8, 24)),
  IF(i % 7 = 0, NULL, ((i * 104729) % 100000000) / 10000 - 5000),
  i % 50 = 0,
  IF(i % 11 = 0, NULL, CONCAT(${pick('i * 7', HARD_TEXTS)}, ' #', i, ' ', REPEAT(SUBSTR(h, 1 + i % 16, 16), 1 + i % 5))),
  ${datetime6('i + 17')}
FROM (SELECT i, a, MD5(CONCAT('acct-', a)) AS h FROM (SELECT i, (i * 7919) % ${accounts} AS a FROM (${indexes(first, count)}) s00) s0) s`;
    case 'attachments':
      return `INSERT INTO attachments (id, account_id, file_name, mime_type, content, created_at)
SELECT i + 1, ${uuidOf('h', 'a')},
  CONCAT(${pick('i', ['résumé', '報告書', 'photo 🎉', 'scan "final"', 'notes, draft', 'a\\b', 'данные', 'plain'])}, '-', i, ${pick('i', ['.png', '.jpg', '.pdf', '.txt'])}),
  ${pick('i', ['image/png', 'image/jpeg', 'application/pdf', 'text/plain'])},
  CONCAT(IF(i % 9 = 0, UNHEX('005C0A0D2C22'), ''), UNHEX(REPEAT(MD5(CONCAT('blob-', i)), 2 + i % 6))),
  ${datetime6('i + 31')}
FROM (SELECT i, a, MD5(CONCAT('acct-', a)) AS h FROM (SELECT i, (i * 104729) % ${accounts} AS a FROM (${indexes(first, count)}) s00) s0) s`;
  }
}

/** Every chunk of every table: [table, first row index, row count], parents before children. */
export function generationPlan(
  rows: Record<BenchTable, number>,
): Array<{ table: BenchTable; first: number; count: number }> {
  const out: Array<{ table: BenchTable; first: number; count: number }> = [];
  for (const table of BENCH_TABLES) {
    for (let first = 0; first < rows[table]; first += CHUNK)
      out.push({ table, first, count: Math.min(CHUNK, rows[table] - first) });
  }
  return out;
}

/** Builds bench_numbers (0 .. CHUNK-1) from a ten-row table crossed with itself. */
export const NUMBERS_TABLE_SQL = [
  'DROP TABLE IF EXISTS bench_digits, bench_numbers',
  'CREATE TABLE bench_digits (d INT NOT NULL PRIMARY KEY)',
  'INSERT INTO bench_digits VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)',
  'CREATE TABLE bench_numbers (n INT NOT NULL PRIMARY KEY)',
  `INSERT INTO bench_numbers SELECT a.d + 10 * b.d + 100 * c.d + 1000 * e.d + 10000 * f.d FROM bench_digits a, bench_digits b, bench_digits c, bench_digits e, bench_digits f`,
];
export const DROP_NUMBERS_SQL = 'DROP TABLE IF EXISTS bench_digits, bench_numbers';

/**
 * The child tables' secondary indexes and foreign keys (as fixtures/migrations/bench/mysql declares them),
 * dropped while rows are generated and added back after: a random-uuid index built row by row
 * outgrows a small buffer pool and turns minutes of generation into many more.
 */
export const DEFERRED_KEYS: Array<{ table: BenchTable; index: string; foreignKey: string }> = [
  { table: 'events', index: 'idx_events_account', foreignKey: 'fk_events_account' },
  { table: 'attachments', index: 'idx_attachments_account', foreignKey: 'fk_attachments_account' },
];

export const dropKeysSql = (k: (typeof DEFERRED_KEYS)[number]) =>
  `ALTER TABLE ${k.table} DROP FOREIGN KEY ${k.foreignKey}, DROP INDEX ${k.index}`;
export const addKeysSql = (k: (typeof DEFERRED_KEYS)[number]) =>
  `ALTER TABLE ${k.table} ADD INDEX ${k.index} (account_id), ADD CONSTRAINT ${k.foreignKey} FOREIGN KEY (account_id) REFERENCES accounts (id)`;

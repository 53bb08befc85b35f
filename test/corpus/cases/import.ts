import path from 'node:path';
import { promises as fsp } from 'node:fs';
import { ExitCode } from '../../../src/core/exit-codes';
import type { CaseContext, CorpusCase } from '../../helpers/corpus-case';
import { resealManifest } from '../../helpers/corpus-world';

/**
 * Rows Postgres rejects, and targets not in the state import needs. Each table is loaded in one
 * transaction: the table named in the error holds no row afterwards, tables before it hold all.
 */
const loadCase = (name: string, table: string, columns: string, pg: string, csvLine: number, where: string[], message?: RegExp): CorpusCase => ({
  name,
  stage: 'import',
  from: 'transform',
  mapping: `tables:\n  ${table}:\n    columns: ${columns}\n`,
  pg,
  run: 'import',
  expect: { exit: ExitCode.LoadRejected, code: 'LOAD_REJECTED', where: (c) => [`table ${c.schema}.${table}`, `CSV line ${csvLine}`, ...where], message },
  after: { rows: { [table]: 0 } },
  // The same source row, rejected by Postgres inside migrate's COPY.
  migrate: { where: (c) => [`table ${c.schema}.${table}`] },
});

const PARENT_CHILD = `tables:
  parent:
    columns: { id: uuid, kind: { type: enum, map: { a: A, b: B } }, note: text }
  child:
    columns: { id: integer, parent_id: uuid, note: text }
`;
const PARENT_CHILD_PG = `CREATE TABLE parent (id uuid PRIMARY KEY, kind text NOT NULL, note text);
  CREATE TABLE child (id integer PRIMARY KEY, parent_id uuid NOT NULL REFERENCES parent (id), note text);`;
const PLAIN = 'tables:\n  plain: { columns: { id: integer, s: text } }\n';
const PLAIN_PG = 'CREATE TABLE plain (id integer PRIMARY KEY, s text);';
const transformed = (c: CaseContext) => path.join(c.transformDir, 'plain.csv');
const childFile = (c: CaseContext) => path.join(c.transformDir, 'child.csv');

async function editLine(file: string, line: number, edit: (l: string) => string): Promise<void> {
  const lines = (await fsp.readFile(file, 'utf8')).split('\n');
  lines[line - 1] = edit(lines[line - 1]);
  await fsp.writeFile(file, lines.join('\n'));
}

export const importCases: CorpusCase[] = [
  {
    name: 'a child row whose parent does not exist (FK orphan)',
    stage: 'import',
    from: 'transform',
    mapping: PARENT_CHILD,
    pg: PARENT_CHILD_PG,
    run: 'import',
    expect: { exit: ExitCode.LoadRejected, code: 'LOAD_REJECTED', where: (c) => [`table ${c.schema}.child`, 'CSV line 3', 'column parent_id', 'constraint child_parent_id_fkey'], message: /foreign key/ },
    after: { rows: { parent: 2, child: 0 } },
    migrate: { where: (c) => [`table ${c.schema}.child`, 'constraint child_parent_id_fkey'] },
  },
  loadCase('a duplicate primary key', 'no_key', '{ id: integer, v: text }', 'CREATE TABLE no_key (id integer PRIMARY KEY, v text);', 4, ['column id', 'constraint no_key_pkey'], /duplicate key/),
  loadCase('NULL in a NOT NULL column', 'nullable', '{ id: integer, s: text }', 'CREATE TABLE nullable (id integer PRIMARY KEY, s text NOT NULL);', 3, ['column s'], /NOT NULL/),
  loadCase('a string too long for the target column', 'long_text', '{ id: integer, s: text }', 'CREATE TABLE long_text (id integer PRIMARY KEY, s varchar(5));', 3, ['column s'], /too long/),
  loadCase('an unsigned bigint out of range for bigint', 'big_unsigned', '{ id: integer, n: integer }', 'CREATE TABLE big_unsigned (id integer PRIMARY KEY, n bigint);', 3, ['column n'], /out of range/),
  loadCase('a decimal too wide for numeric(10,2)', 'wide_decimal', '{ id: integer, amount: numeric }', 'CREATE TABLE wide_decimal (id integer PRIMARY KEY, amount numeric(10,2));', 3, ['column amount'], /overflow/),
  loadCase('a CHECK constraint violated', 'negative', '{ id: integer, qty: integer }', 'CREATE TABLE negative (id integer PRIMARY KEY, qty integer CONSTRAINT qty_not_negative CHECK (qty >= 0));', 3, ['constraint qty_not_negative'], /check constraint/),
  loadCase('invalid JSON copied as text into jsonb', 'bad_json', '{ id: integer, doc: text }', 'CREATE TABLE bad_json (id integer PRIMARY KEY, doc jsonb);', 3, ['column doc'], /json/i),
  loadCase('a zero date copied as text into timestamp', 'zero_dates', '{ id: integer, at: text }', 'CREATE TABLE zero_dates (id integer PRIMARY KEY, at timestamp);', 3, ['column at'], /0000-00-00/),
  {
    name: 'a non-empty target table',
    stage: 'import',
    from: 'transform',
    mapping: PLAIN,
    pg: `${PLAIN_PG} INSERT INTO plain VALUES (99, 'already here');`,
    run: 'import',
    expect: { exit: ExitCode.TargetState, code: 'TARGET_NOT_EMPTY', where: (c) => [`table ${c.schema}.plain`], message: /--truncate/ },
    after: { rows: { plain: 1 } },
    migrate: { sameError: true },
  },
  {
    name: 'a target table that does not exist',
    stage: 'import',
    from: 'transform',
    mapping: PARENT_CHILD,
    pg: 'CREATE TABLE parent (id uuid PRIMARY KEY, kind text NOT NULL, note text);',
    run: 'import',
    expect: { exit: ExitCode.TargetState, code: 'TARGET_SCHEMA', where: (c) => [`${c.schema}.child`], message: /does not exist/ },
    after: { rows: { parent: 0 } },
    migrate: { sameError: true },
  },
  {
    name: 'a target table missing a column',
    stage: 'import',
    from: 'transform',
    mapping: PLAIN,
    pg: 'CREATE TABLE plain (id integer PRIMARY KEY);',
    run: 'import',
    expect: { exit: ExitCode.TargetState, code: 'TARGET_SCHEMA', where: (c) => [`${c.schema}.plain`, 'column s'] },
    after: { rows: { plain: 0 } },
    migrate: { sameError: true },
  },
  {
    name: 'a transformed file changed after transform (same row count)',
    stage: 'import',
    from: 'transform',
    mapping: PLAIN,
    pg: PLAIN_PG,
    tamper: async (c) => fsp.writeFile(transformed(c), (await fsp.readFile(transformed(c), 'utf8')).replace('1,one', '1,uno')),
    run: 'import',
    expect: { exit: ExitCode.BadData, code: 'CSV_CHECKSUM', where: (c) => [transformed(c)], message: /sha256/ },
    after: { rows: { plain: 0 } },
    migrate: { notApplicable: 'a transformed file edited between transform and import: migrate reads no transformed file' },
  },
  {
    name: 'a transformed file that lost its last row',
    stage: 'import',
    from: 'transform',
    mapping: PLAIN,
    pg: PLAIN_PG,
    tamper: async (c) => fsp.writeFile(transformed(c), (await fsp.readFile(transformed(c), 'utf8')).replace(/3,\n$/, '')),
    run: 'import',
    expect: { exit: ExitCode.BadData, code: 'CSV_CHECKSUM', where: (c) => [transformed(c)], message: /sha256/ },
    after: { rows: { plain: 0 } },
    migrate: { notApplicable: 'a transformed file cut between transform and import: migrate reads no transformed file' },
  },
  // A file or manifest edited by hand and resealed (sha256 updated): caught before the first table
  // is loaded, so the parent (loaded first) holds nothing either.
  {
    name: 'a resealed transformed file with a wrong field count in a later table',
    stage: 'import',
    from: 'transform',
    mapping: PARENT_CHILD,
    pg: PARENT_CHILD_PG,
    tamper: async (c) => {
      await editLine(childFile(c), 3, (l) => `${l},extra`);
      await resealManifest(c.transformDir);
    },
    run: 'import',
    expect: { exit: ExitCode.BadData, code: 'CSV_INVALID', where: (c) => [childFile(c), 'CSV line 3'], message: /fields, the header has 3/ },
    after: { rows: { parent: 0, child: 0 } },
    migrate: { notApplicable: 'a transformed file edited between transform and import: migrate reads no transformed file' },
  },
  {
    name: 'a resealed transformed file with invalid UTF-8 in a later table',
    stage: 'import',
    from: 'transform',
    mapping: PARENT_CHILD,
    pg: PARENT_CHILD_PG,
    tamper: async (c) => {
      const lines = (await fsp.readFile(childFile(c))).toString('latin1').split('\n');
      lines[2] = lines[2] + '\u00c3(';
      await fsp.writeFile(childFile(c), Buffer.from(lines.join('\n'), 'latin1'));
      await resealManifest(c.transformDir);
    },
    run: 'import',
    expect: { exit: ExitCode.BadData, code: 'CSV_INVALID', where: (c) => [childFile(c), 'CSV line 3'], message: /not valid UTF-8/ },
    after: { rows: { parent: 0, child: 0 } },
    migrate: { notApplicable: 'a transformed file edited between transform and import: migrate reads no transformed file' },
  },
  {
    name: "a transform manifest whose row count for a later table was edited",
    stage: 'import',
    from: 'transform',
    mapping: PARENT_CHILD,
    pg: PARENT_CHILD_PG,
    tamper: async (c) => {
      const file = path.join(c.transformDir, 'manifest.json');
      const m = JSON.parse(await fsp.readFile(file, 'utf8'));
      const child = Object.values(m.tables as Record<string, { name: string; rows: number }>).find((t) => t.name.endsWith('child'))!;
      child.rows += 1;
      await fsp.writeFile(file, JSON.stringify(m));
    },
    run: 'import',
    expect: { exit: ExitCode.BadConfig, code: 'MANIFEST_INVALID', where: (c) => [childFile(c), 'table child'], message: /hold 2 rows, but the manifest lists 3/ },
    after: { rows: { parent: 0, child: 0 } },
    migrate: { notApplicable: 'a transform manifest edited before import: migrate reads no manifest' },
  },
  {
    name: 'import before any transform',
    stage: 'import',
    from: 'export',
    mapping: PLAIN,
    pg: PLAIN_PG,
    run: 'import',
    expect: { exit: ExitCode.BadConfig, code: 'MANIFEST_INVALID', where: (c) => [path.join(c.transformDir, 'manifest.json')], message: /run the previous stage first/ },
    after: { rows: { plain: 0 } },
    migrate: { notApplicable: 'the staged commands run out of order: migrate has no earlier stage to skip' },
  },
  {
    name: 'a transform manifest from a run that did not complete',
    stage: 'import',
    from: 'transform',
    mapping: PLAIN,
    pg: PLAIN_PG,
    tamper: async (c) => {
      const file = path.join(c.transformDir, 'manifest.json');
      const m = JSON.parse(await fsp.readFile(file, 'utf8'));
      delete m.completedAt;
      await fsp.writeFile(file, JSON.stringify(m));
    },
    run: 'import',
    expect: { exit: ExitCode.BadConfig, code: 'MANIFEST_INVALID', message: /did not complete/ },
    after: { rows: { plain: 0 } },
    migrate: { notApplicable: 'a transform manifest edited before import: migrate reads no manifest' },
  },
];

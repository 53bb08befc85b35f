import path from 'node:path';
import { promises as fsp } from 'node:fs';
import { ExitCode } from '../../../src/core/exit-codes';
import type { CorpusCase } from '../../helpers/corpus-case';

/**
 * Values MySQL holds and Postgres cannot take as they are, caught by transform: each names
 * table, CSV line (header = line 1) and column, writes no file for that table and no complete manifest.
 */
/** The target tables the migrate runs load into (the staged transform needs none; migrate checks the target first). */
const TARGET: Record<string, string> = {
  zero_dates: 'CREATE TABLE zero_dates (id integer PRIMARY KEY, at timestamp);',
  bad_dates: 'CREATE TABLE bad_dates (id integer PRIMARY KEY, d date);',
  bad_json: 'CREATE TABLE bad_json (id integer PRIMARY KEY, doc jsonb);',
  bad_enum: 'CREATE TABLE bad_enum (id integer PRIMARY KEY, kind text);',
  bad_uuid: 'CREATE TABLE bad_uuid (id integer PRIMARY KEY, u uuid);',
  bad_int: 'CREATE TABLE bad_int (id integer PRIMARY KEY, n integer);',
  bad_bool: 'CREATE TABLE bad_bool (id integer PRIMARY KEY, flag boolean);',
  nul_text: 'CREATE TABLE nul_text (id integer PRIMARY KEY, s text);',
  dup_emails: 'CREATE TABLE dup_emails (id integer PRIMARY KEY, email text UNIQUE);',
};

const valueCase = (name: string, table: string, columns: string, code: CorpusCase['expect']['code'], csvLine: number, column: string, message?: RegExp, extra = ''): CorpusCase => ({
  name,
  stage: 'transform',
  from: 'export',
  mapping: `tables:\n  ${table}:\n    columns: ${columns}\n${extra}`,
  run: 'transform',
  expect: { exit: ExitCode.BadData, code, where: () => [`table ${table}`, `CSV line ${csvLine}`, `column ${column}`], message },
  after: {
    incomplete: ['transform'],
    check: async (c) => expect(fsp.stat(path.join(c.transformDir, `${table}.csv`))).rejects.toMatchObject({ code: 'ENOENT' }),
  },
  // The same value read from the source: migrate names table, column and source key instead of a CSV line.
  migrate: {
    pg: TARGET[table],
    rows: { [table]: 0 },
    where: () => [`table ${table}`, `column ${column}`],
    check: async (c) => expect(fsp.stat(path.join(c.transformDir, `${table}.csv`))).rejects.toMatchObject({ code: 'ENOENT' }),
  },
});

export const transformCases: CorpusCase[] = [
  valueCase('a zero date with no zeroDate policy', 'zero_dates', '{ id: integer, at: timestamp }', 'TIMESTAMP_INVALID', 3, 'at', /zero date "0000-00-00 00:00:00"/),
  valueCase('an impossible date (February 30)', 'bad_dates', '{ id: integer, d: date }', 'TIMESTAMP_INVALID', 3, 'd', /2024-02-30/),
  valueCase('invalid JSON in a json column', 'bad_json', '{ id: integer, doc: jsonb }', 'JSON_INVALID', 3, 'doc', /invalid JSON/),
  valueCase('an enum value missing from the map', 'bad_enum', '{ id: integer, kind: { type: enum, map: { a: A, b: B } } }', 'ENUM_UNMAPPED', 4, 'kind', /"c"/),
  valueCase('a malformed UUID', 'bad_uuid', '{ id: integer, u: uuid }', 'UUID_INVALID', 3, 'u'),
  valueCase('text in an integer column', 'bad_int', '{ id: integer, n: integer }', 'VALUE_INVALID', 3, 'n', /not an integer: "12x"/),
  valueCase('a tinyint 2 mapped to boolean', 'bad_bool', '{ id: integer, flag: boolean }', 'VALUE_INVALID', 4, 'flag', /not a boolean: "2"/),
  valueCase('a NUL character in MySQL text', 'nul_text', '{ id: integer, s: text }', 'VALUE_INVALID', 3, 's', /NUL/),
  valueCase('duplicates on a unique index only the target has', 'dup_emails', '{ id: integer, email: { type: text, case: lower } }', 'DUPLICATE_ROW', 4, 'email', /key \(email\) = \([^)]*\) repeats \(the first at line 2\)/, '    unique:\n      - { columns: [email], policy: fail }\n'),
];

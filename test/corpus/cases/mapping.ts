import path from 'node:path';
import { ExitCode } from '../../../src/core/exit-codes';
import type { CorpusCase } from '../../helpers/corpus-case';

/** The mapping a case breaks: line 3 is `parent:`, line 5 `id`, line 6 `kind`, line 7 `note`. */
const PARENT = (lines: { id?: string; kind?: string; note?: string; extra?: string } = {}) =>
  [
    'version: 1',
    'tables:',
    '  parent:',
    '    columns:',
    `      id: ${lines.id ?? 'uuid'}`,
    `      kind: ${lines.kind ?? '{ type: enum, map: { a: A, b: B } }'}`,
    `      note: ${lines.note ?? 'text'}`,
    ...(lines.extra ? [lines.extra] : []),
    '',
  ].join('\n');

const mappingCase = (name: string, mapping: string, code: CorpusCase['expect']['code'], where: (file: string) => string[], message?: RegExp, skipOthers = true): CorpusCase => ({
  name,
  stage: 'mapping',
  from: 'export',
  mapping,
  skipOthers,
  run: 'transform',
  expect: { exit: ExitCode.BadConfig, code, where: (c) => where(c.mappingFile), message },
  after: { incomplete: ['transform'] },
  migrate: { sameError: true },
});

/** Mapping files: each error names file:line (and key, table, column where there is one). */
export const mappingCases: CorpusCase[] = [
  mappingCase('malformed YAML in a mapping', PARENT({ kind: '{ type: enum, map: { a: A, b: B }' }), 'MAPPING_INVALID', (f) => [`${f}:`], /YAML syntax/),
  mappingCase('unknown key in a column rule', PARENT({ note: '{ type: text, emptyToNul: true }' }), 'MAPPING_INVALID', (f) => [`${f}:7`, 'key tables.parent.columns.note.emptyToNul'], /unknown key "emptyToNul"/),
  mappingCase('wrong type in a column rule', PARENT({ note: '{ type: text, emptyToNull: "yes" }' }), 'MAPPING_INVALID', (f) => [`${f}:7`, 'key tables.parent.columns.note.emptyToNull'], /expected boolean, found string/),
  mappingCase('unknown transform name', PARENT({ id: 'uuidd' }), 'MAPPING_INVALID', (f) => [`${f}:5`, 'key tables.parent.columns.id']),
  mappingCase('unknown key at table level', PARENT({ extra: '    colums: {}' }), 'MAPPING_INVALID', (f) => [`${f}:8`, 'key tables.parent.colums'], /unknown key "colums"/),
  mappingCase('a key written twice', PARENT({ extra: '      note: text' }), 'MAPPING_INVALID', (f) => [`${f}:8`], /YAML syntax/),
  mappingCase('mapping names a table the source does not have', PARENT({ extra: '  ghost:\n    columns: { id: integer }' }), 'MAPPING_UNKNOWN_TABLE', (f) => [`${f}:8`, 'table ghost']),
  mappingCase('mapping names a column the source does not have', PARENT({ extra: '      colour: text' }), 'MAPPING_UNKNOWN_COLUMN', (f) => [`${f}:8`, 'table parent', 'column colour']),
  mappingCase('mapping drops a column the source does not have', PARENT({ extra: '    drop: [colour]' }), 'MAPPING_UNKNOWN_COLUMN', (f) => [`${f}:3`, 'table parent', 'column colour']),
  // transform and migrate say the same words ("source tables with no mapping"), with the same code and location.
  { ...mappingCase('an exported table with no mapping', PARENT(), 'MAPPING_UNKNOWN_TABLE', (f) => [`${path.dirname(f)}, table `], /source tables with no mapping: .*bad_bool/, false), migrate: { where: (c) => [`${path.dirname(c.mappingFile)}, table `] } },
  mappingCase('a source column neither mapped nor dropped', 'tables:\n  parent:\n    columns:\n      id: uuid\n      kind: { type: enum, map: { a: A, b: B } }\n', 'MAPPING_INVALID', (f) => [`${f}:2`, 'table parent', 'column note'], /neither mapped nor dropped: note/),
  mappingCase('an enum with no map', PARENT({ kind: 'enum' }), 'MAPPING_INVALID', (f) => [`${f}:6`, 'key tables.parent.columns.kind'], /needs a `map`/),
  mappingCase('remap names an undefined lookup', PARENT({ id: '{ type: uuid, remap: people }' }), 'MAPPING_INVALID', (f) => [`${f}:5`], /lookup "people"/),
  mappingCase('an unknown time zone', `defaults:\n  timezone: Mars/Olympus\n${PARENT()}`, 'MAPPING_INVALID', (f) => [`${f}:2`, 'key defaults.timezone'], /unknown time zone "Mars\/Olympus"/),
  mappingCase('an invalid regular expression in a replace', PARENT({ note: '{ type: text, replace: { pattern: "([a-", with: x } }' }), 'MAPPING_INVALID', (f) => [`${f}:7`, 'key tables.parent.columns.note.replace.pattern'], /Invalid regular expression/),
  mappingCase('a YAML alias bomb', ['a: &a [x, x, x, x, x, x, x, x, x]', 'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]', 'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]', 'd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]', PARENT()].join('\n'), 'MAPPING_INVALID', (f) => [f], /alias/),
  {
    ...mappingCase('a declared nullTo its target column cannot hold', PARENT({ id: '{ type: uuid, nullTo: not-a-uuid }' }), 'MAPPING_INVALID', (f) => [`${f}:5`, 'column id'], /map check's static checks/),
    pg: 'CREATE TABLE parent (id uuid PRIMARY KEY, kind text NOT NULL, note text);',
  },
  mappingCase('a column both mapped and dropped', PARENT({ extra: '    drop: [note]' }), 'MAPPING_INVALID', (f) => [`${f}:8`], /both mapped and dropped/),
  mappingCase('two source columns map to one target column', PARENT({ note: '{ type: text, to: kind }' }), 'MAPPING_INVALID', (f) => [`${f}:7`, 'table parent'], /target column "kind"/),
  // migrate checks the target before it compiles unique policies: give it the target table.
  { ...mappingCase('a unique policy naming a column the target will not have', PARENT({ extra: '    unique:\n      - { columns: [colour], policy: fail }' }), 'MAPPING_UNKNOWN_COLUMN', (f) => [`${f}:3`, 'table parent'], /"colour"/), migrate: { sameError: true, pg: 'CREATE TABLE parent (id uuid PRIMARY KEY, kind text NOT NULL, note text);' } },
];

import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConvergeError } from '../../src/core/errors';
import { CsvFileWriter } from '../../src/csv/csv-file-writer';
import { loadMapping, TableRule } from '../../src/mapping/load-mapping';
import type { ChangeCounts } from '../../src/transform/change-ledger';
import { compileTable, SourceColumn } from '../../src/transform/compile-table';
import { createPrng } from '../../fixtures/demo/generic-prng';
import { lookupKey } from '../../src/transform/lookup-key';
import { TableFilesResult, transformTableFiles } from '../../src/transform/transform-table';

/**
 * The two transform engines of one table against each other: 'strings' (decode, column
 * functions, encode) and 'auto' (the byte engine wherever the table allows it). Same input,
 * so the same output bytes, row counts and change-ledger counts; same bad input, so the same
 * ConvergeError, code, message and context alike. Source files are written by the project's own
 * CsvFileWriter (the canonical quoting an export produces) from a seeded PRNG.
 */

// ---------------------------------------------------------------------------------------------
// Temp dir per test

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'converge-engines-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------------
// Seeded PRNG

interface Rng {
  next(): number;
  int(n: number): number;
  chance(p: number): boolean;
  pick<T>(a: readonly T[]): T;
}

function rng(seed: number): Rng {
  const p = createPrng(seed);
  const int = (n: number): number => p.int(0, n - 1);
  return { next: () => p.next(), int, chance: (q) => p.chance(q), pick: (arr) => arr[int(arr.length)] };
}

// ---------------------------------------------------------------------------------------------
// Value generators

type Value = string | null;
type Gen = (r: Rng, row: number) => Value;

const TRICKY = [
  '\\.',
  'a,b',
  'say "hi"',
  'line\nbreak',
  'x\r\ny',
  '😀 emoji',
  'NULL',
  '\\N',
  '',
  ' ',
  '"',
  '""',
  ',',
  '\r',
  '\n',
  'zwölf ünïcødé',
  '\u2028',
  'tab\there',
  '\\',
  'ends with \\',
  '\\.\n',
  '.\\',
  'a""b',
  '"quoted"',
  ',lead',
  'trail,',
  '𝄞 clef',
];
const ALPHABET = ['a', 'b', 'Z', '0', '9', ' ', ',', '"', '\n', '\r', '😀', 'é', '\\', '.', '\t', '-', 'ß', '中'];

function word(r: Rng, max = 20): string {
  let s = '';
  const n = r.int(max);
  for (let i = 0; i < n; i++) s += r.pick(ALPHABET);
  return s;
}

function text(r: Rng, nulls = 0.08): Value {
  const x = r.next();
  if (x < nulls) return null;
  if (x < 0.45) return r.pick(TRICKY);
  return word(r);
}

const hexDigit = (r: Rng): string => r.int(16).toString(16);

function uuidText(r: Rng): string {
  let h = '';
  for (let i = 0; i < 32; i++) h += hexDigit(r);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const daysIn = (y: number, m: number): number =>
  m === 2 && y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : DAYS[m - 1];

function date(r: Rng): string {
  const y = 1900 + r.int(200);
  const m = 1 + r.int(12);
  return `${pad(y, 4)}-${pad(m)}-${pad(1 + r.int(daysIn(y, m)))}`;
}

function timestamp(r: Rng): string {
  let frac = '';
  if (r.chance(0.4)) {
    frac = '.';
    for (let i = 1 + r.int(6); i > 0; i--) frac += String(r.int(10));
  }
  // 'T' and date-only forms take the slow path even in UTC, and come out normalised by both engines.
  const sep = r.chance(0.04) ? 'T' : ' ';
  if (r.chance(0.03)) return date(r);
  return `${date(r)}${sep}${pad(r.int(24))}:${pad(r.int(60))}:${pad(r.int(60))}${frac}`;
}

const ZERO_DATES = [
  '0000-00-00 00:00:00',
  '0000-00-00',
  '2024-00-15 10:00:00',
  '2024-05-00 00:00:00',
  '0000-01-01 00:00:00',
  '0000-00-00 00:00:00.000000',
];
const AMSTERDAM_EDGES = [
  '2024-03-31 01:59:59',
  '2024-03-31 02:00:00',
  '2024-03-31 02:30:00.5',
  '2024-03-31 03:00:00',
  '2024-10-27 01:59:59.999999',
  '2024-10-27 02:00:00',
  '2024-10-27 02:30:00',
  '2024-10-27 03:00:00',
  '2023-03-26 02:15:00',
  '2023-10-29 02:15:00',
  '1970-01-01 00:00:00',
  '1900-01-01 00:00:00',
  '9999-12-31 23:59:59',
  '2024-02-29 23:30:00',
];
const UTC_EDGES = [
  '2024-02-29 12:00:00',
  '1999-12-31 23:59:59.999999',
  '0001-01-01 00:00:00',
  '2000-02-29 00:00:00.1',
  '9999-12-31 23:59:59',
];

function jsonish(r: Rng, depth = 0): unknown {
  switch (r.int(depth > 2 ? 4 : 6)) {
    case 0:
      return null;
    case 1:
      return r.chance(0.5);
    case 2:
      return r.chance(0.5) ? r.int(1e6) - 5e5 : (r.next() - 0.5) * 10 ** r.int(30);
    case 3:
      return r.chance(0.5) ? r.pick(TRICKY) : word(r);
    case 4:
      return Array.from({ length: r.int(4) }, () => jsonish(r, depth + 1));
    default: {
      const o: Record<string, unknown> = {};
      for (let i = r.int(4); i > 0; i--) o[r.chance(0.5) ? r.pick(TRICKY) : word(r, 8)] = jsonish(r, depth + 1);
      return o;
    }
  }
}

/** Valid JSON texts a JSON.stringify would not write: odd whitespace, escapes, bare scalars. */
const HAND_JSON = [
  '{ "a" :\t[1, 2.5e3, -0, true, null],\r\n "b\\u00e9": "\\/\\"q\\"" }',
  '"\\ud83d\\ude00"',
  '"\\ud800"',
  ' 123 ',
  '[]',
  '{}',
  '"a,b"',
  '{"x":"say \\"hi\\", then\\nleave"}',
  '"\\\\u0000"',
  '[1e5,-1E-5,0.5]',
  '"😀"',
  '\n[\n  1\n]\n',
  '{"k":{"k":{"k":[[[]]]}}}',
  '"\u2028"',
  '""',
  '"\\""',
];
const BAD_JSON = [
  '{bad',
  "{'a':1}",
  '',
  'NULL',
  '[1,]',
  '01',
  '"unterminated',
  '{"a":1}x',
  'nan',
  '\uFEFF{}',
  '{"a":"tab\there"}',
  ' ',
  '{"a":"\\x"}',
  '"\\u12"',
  '"',
  '"a""b"',
  '{"a":"b""}',
];

function json(r: Rng): string {
  if (r.chance(0.2)) return r.pick(HAND_JSON);
  const v = { id: r.int(1000), v: jsonish(r), s: r.pick(TRICKY) };
  return r.chance(0.3) ? JSON.stringify(v, null, 2) : JSON.stringify(v);
}

function hex(r: Rng): string {
  let h = '\\x';
  for (let i = r.int(24) * 2; i > 0; i--) h += hexDigit(r);
  return r.chance(0.2) ? '\\x' + h.slice(2).toUpperCase() : h;
}

// ---------------------------------------------------------------------------------------------
// The main table: every type and option the byte engine handles itself, and some it hands to
// the string functions. Source columns in this order; the mapping lists them sorted by name.

const OWNERS = [
  '6ccd780c-baba-1026-9564-5b8c656024db',
  '0e1f2d3c-4b5a-6978-8796-a5b4c3d2e1f0',
  'ffffffff-0000-4000-8000-000000000001',
  'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
];
/** The lookup: the first two owners get new ids (counted remapped), the third maps to itself. */
const OWNER_LOOKUP = new Map([
  [lookupKey(OWNERS[0]), '11111111-1111-4111-8111-111111111111'],
  [lookupKey(OWNERS[1]), '22222222-2222-4222-8222-222222222222'],
  [lookupKey(OWNERS[2]), OWNERS[2]],
]);
const GRADES = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`g${i}`, i % 2 === 0 ? `G${i}` : `g${i}`]));
const KIND_MAP: Record<string, string> = {
  old: 'new',
  same: 'same',
  'say "hi"': 'greeting',
  'a,b': 'a;b',
  x: 'c,"d"',
  ü: 'u',
  'line\nx': 'one line',
  '\\.': 'dot',
  ab: '\\.',
  'a"b': 'one quote',
  'a""b': 'two quotes',
};

interface Column {
  name: string;
  encoding?: 'hex';
  /** The column's rule as YAML (flow or block, indented under `columns:`); undefined: listed under drop:. */
  rule?: string;
  gen: Gen;
}

const COLUMNS: Column[] = [
  { name: 'id', rule: 'integer', gen: (_r, i) => String(i + 1) },
  {
    name: 'ext_id',
    rule: 'uuid',
    gen: (r) => (r.chance(0.05) ? null : r.chance(0.12) ? uuidText(r).toUpperCase() : uuidText(r)),
  },
  {
    name: 'parent_id',
    rule: '{ type: uuid, emptyToNull: true }',
    gen: (r) => (r.chance(0.2) ? '' : r.chance(0.1) ? null : uuidText(r)),
  },
  {
    name: 'owner_id',
    rule: '{ type: uuid, remap: owner_by_email }',
    gen: (r) => (r.chance(0.1) ? null : r.chance(0.2) ? r.pick(OWNERS).toUpperCase() : r.pick(OWNERS)),
  },
  { name: 'name', rule: 'text', gen: (r) => text(r) },
  { name: 'legacy', gen: (r) => (r.chance(0.3) ? 'dropped \u0000 NUL' : text(r)) },
  { name: 'note', rule: 'copy', gen: (r) => text(r) },
  { name: 'label', rule: '{ to: display_label }', gen: (r) => text(r) },
  {
    name: 'flag',
    rule: 'boolean',
    gen: (r) =>
      r.chance(0.1)
        ? null
        : r.pick(['1', '0', 'Y', 'N', 'y', 'n', 'true', 'false', 'TRUE', 'FALSE', 'T', 'F', 't', 'f']),
  },
  {
    name: 'yn',
    rule: "{ type: boolean, trueValues: ['yes', 'on', 'J', 'a,b'], falseValues: ['no', 'off', '', 'say \"no\"'] }",
    gen: (r) => (r.chance(0.1) ? null : r.pick(['yes', 'no', 'on', 'off', 'J', '', 'a,b', 'say "no"'])),
  },
  {
    name: 'status',
    rule: '{ type: enum, map: { active: active, suspended: suspended, deleted: deleted } }',
    gen: (r) => (r.chance(0.1) ? null : r.pick(['active', 'suspended', 'deleted'])),
  },
  {
    name: 'kind',
    rule: `{ type: enum, map: ${JSON.stringify(KIND_MAP)} }`,
    gen: (r) => (r.chance(0.08) ? null : r.pick(Object.keys(KIND_MAP))),
  },
  {
    name: 'grade',
    rule: `{ type: enum, map: ${JSON.stringify(GRADES)} }`,
    gen: (r) => (r.chance(0.05) ? null : `g${r.int(60)}`),
  },
  {
    name: 'created_at',
    rule: 'timestamp',
    gen: (r) => (r.chance(0.05) ? null : r.chance(0.1) ? r.pick(UTC_EDGES) : timestamp(r)),
  },
  {
    name: 'deleted_at',
    rule: '{ type: timestamp, zeroDate: null }',
    gen: (r) => (r.chance(0.3) ? null : r.chance(0.25) ? r.pick(ZERO_DATES) : timestamp(r)),
  },
  {
    name: 'seen_at',
    rule: "{ type: timestamp, zeroDate: '1970-01-01 00:00:00' }",
    gen: (r) => (r.chance(0.1) ? null : r.chance(0.25) ? r.pick(ZERO_DATES) : timestamp(r)),
  },
  {
    name: 'local_at',
    rule: '{ type: timestamp, timezone: Europe/Amsterdam }',
    gen: (r) => (r.chance(0.08) ? null : r.chance(0.3) ? r.pick(AMSTERDAM_EDGES) : timestamp(r)),
  },
  {
    name: 'birthday',
    rule: '{ type: date, zeroDate: null }',
    gen: (r) =>
      r.chance(0.1)
        ? null
        : r.chance(0.1)
          ? r.pick(['0000-00-00', '2024-02-29', '0001-01-01', '2024-00-01', '0000-01-01'])
          : date(r),
  },
  {
    name: 'qty',
    rule: '{ type: integer, to: quantity }',
    gen: (r) =>
      r.chance(0.1)
        ? null
        : r.chance(0.2)
          ? r.pick(['0', '-0', '007', '-42', '18446744073709551615', '-9223372036854775808'])
          : String(r.int(2e9) - 1e9),
  },
  {
    name: 'price',
    rule: 'numeric',
    gen: (r) =>
      r.chance(0.1)
        ? null
        : r.chance(0.3)
          ? r.pick(['1.5', '-0.001', '.5', '1.', '1e10', '-1E-5', '12345678901234567890.123456789', '0', '-.5e+3'])
          : (r.int(1e7) / 100).toFixed(2),
  },
  {
    name: 'ratio',
    rule: 'float',
    gen: (r) =>
      r.chance(0.1)
        ? null
        : r.chance(0.3)
          ? r.pick(['1.5e-7', 'inf', '-INF', 'NaN', '3.4028235e38', '-0', '0.1'])
          : String(r.next()),
  },
  {
    name: 'doc',
    rule: '{ type: json, invalid: null }',
    gen: (r) => (r.chance(0.08) ? null : r.chance(0.15) ? r.pick([...BAD_JSON, '{"a":"\\u0000"}']) : json(r)),
  },
  {
    name: 'props',
    rule: '{ type: jsonb, invalid: null }',
    gen: (r) =>
      r.chance(0.08)
        ? null
        : r.chance(0.15)
          ? r.pick([...BAD_JSON, '{"a":"\\u0000"}', '["x","\\\\\\u0000"]'])
          : json(r),
  },
  { name: 'meta', rule: 'jsonb', gen: (r) => (r.chance(0.05) ? null : json(r)) },
  { name: 'blob', encoding: 'hex', rule: 'bytea', gen: (r) => (r.chance(0.1) ? null : hex(r)) },
  { name: 'raw', encoding: 'hex', rule: 'copy', gen: (r) => (r.chance(0.1) ? null : hex(r)) },
  { name: 'bin_text', rule: 'bytea', gen: (r) => text(r) },
  { name: 'title', rule: '{ type: text, nullTo: untitled }', gen: (r) => text(r, 0.2) },
  { name: 'comment', rule: '{ type: text, emptyToNull: true }', gen: (r) => (r.chance(0.2) ? '' : text(r)) },
  { name: 'comment2', rule: "{ emptyToNull: true, nullTo: '-' }", gen: (r) => (r.chance(0.2) ? '' : text(r)) },
  {
    name: 'code',
    rule: '{ type: text, trim: true, case: upper }',
    gen: (r) =>
      r.chance(0.1) ? null : r.chance(0.5) ? r.pick([' abc ', 'ABC', 'x y', ' ', '', 'ß', '\tq\n', 'É']) : word(r, 6),
  },
  {
    name: 'slug',
    rule: "{ type: text, replace: { pattern: '\\s+', with: '-' } }",
    gen: (r) =>
      r.chance(0.1) ? null : r.chance(0.5) ? r.pick(['a b', 'a  b\tc', 'nochange', '', 'x\ny']) : word(r, 8),
  },
  { name: 'required', rule: 'text', gen: (r) => (r.chance(0.04) ? null : word(r, 6)) },
  { name: 'old_col', rule: 'drop', gen: (r) => text(r) },
  { name: 'first', rule: 'text', gen: (r) => (r.chance(0.03) ? null : r.chance(0.2) ? r.pick(TRICKY) : word(r, 8)) },
  { name: 'last', rule: 'text', gen: (r) => (r.chance(0.03) ? null : r.chance(0.2) ? r.pick(TRICKY) : word(r, 8)) },
];

const SOURCE: SourceColumn[] = COLUMNS.map((c) => ({ name: c.name, encoding: c.encoding ?? 'text' }));
const HEADER = COLUMNS.map((c) => c.name);
const col = (name: string): number => {
  const i = HEADER.indexOf(name);
  if (i < 0) throw new Error(`no column ${name}`);
  return i;
};

function mainYaml(): string {
  const mapped = COLUMNS.filter((c) => c.rule !== undefined).sort((a, b) => (a.name < b.name ? -1 : 1));
  return `# Written by transform-engines.test.ts
version: 1
defaults:
  timezone: UTC
lookups:
  owner_by_email:
    source: { table: owners, key: id, naturalKey: email }
    target: { table: owners, key: id, naturalKey: email }
tables:
  items:
    target: pg_items
    columns:
${mapped.map((c) => `      ${c.name}: ${c.rule}`).join('\n')}
    drop: [legacy]
    add:
      origin: { constant: mysql }
      nothing: { constant: null }
      blank: { constant: '' }
      dot: { constant: '\\.' }
      full_name: { concat: [first, last], separator: ' ' }
      tag: { concat: [status, kind], separator: ',' }
    dropRowsWithNull: [required, full_name]
`;
}

function rows(seed: number, n: number): Value[][] {
  const r = rng(seed);
  return Array.from({ length: n }, (_, i) => COLUMNS.map((c) => c.gen(r, i)));
}

// ---------------------------------------------------------------------------------------------
// Files, mappings, runs

/** Writes a source CSV with the project's writer; returns its path and sha256. */
async function writeCsv(name: string, header: string[], data: Value[][]): Promise<{ file: string; sha256: string }> {
  const file = path.join(dir, name);
  const w = new CsvFileWriter(file, header);
  for (const row of data) await w.write(row);
  const { sha256 } = await w.close();
  return { file, sha256 };
}

async function ruleFrom(
  yaml: string,
  table: string,
  asDirectory = false,
): Promise<{ rule: TableRule; timezone: string }> {
  const mdir = path.join(dir, `mapping-${Math.random().toString(36).slice(2)}`);
  mkdirSync(mdir);
  const file = path.join(mdir, 'mapping.yaml');
  writeFileSync(file, yaml);
  const m = await loadMapping(asDirectory ? mdir : file);
  const rule = m.tables.get(table);
  if (!rule) throw new Error(`mapping has no table ${table}`);
  return { rule, timezone: m.timezone };
}

interface Job {
  rule: TableRule;
  timezone: string;
  columns: SourceColumn[];
  files: Array<{ file: string; sha256?: string }>;
  lookups?: Map<string, Map<string, string>>;
  existing?: Set<string>;
}

interface Run {
  result: TableFilesResult;
  rows: number;
  bytes: Buffer;
  counts: ChangeCounts;
}

type Engine = 'strings' | 'auto';

async function run(job: Job, engine: Engine): Promise<Run> {
  // Each run compiles the table afresh: a compiled table owns its ledger.
  const compiled = compileTable(job.rule, job.columns, {
    timezone: job.timezone,
    lookups: job.lookups ?? new Map(),
    origin: 'items.csv',
  });
  const out = path.join(dir, `out-${engine}-${Math.random().toString(36).slice(2)}.csv`);
  const writer = new CsvFileWriter(out, compiled.targetColumns);
  let result: TableFilesResult;
  try {
    result = await transformTableFiles({
      compiled,
      rule: job.rule,
      timezone: job.timezone,
      files: job.files,
      header: job.columns.map((c) => c.name),
      writer,
      existing: job.existing,
      origin: 'items.csv',
      engine,
    });
  } catch (e) {
    writer.destroy();
    throw e;
  }
  const { rows: written } = await writer.close();
  return { result, rows: written, bytes: readFileSync(out), counts: structuredClone(compiled.ledger.counts) };
}

async function failure(p: Promise<unknown>): Promise<ConvergeError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ConvergeError) return e;
    throw e;
  }
  throw new Error('expected a ConvergeError, the run succeeded');
}

function show(s: string | undefined): string {
  if (s === undefined) return '(no such line)';
  return JSON.stringify(s.length > 400 ? s.slice(0, 400) + '…' : s);
}

/** Buffer.equals, and on a mismatch the first differing (physical) line of each. */
function expectSameBytes(strings: Buffer, bytes: Buffer): void {
  if (strings.equals(bytes)) return;
  const a = strings.toString('utf8').split('\n');
  const b = bytes.toString('utf8').split('\n');
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  throw new Error(
    `outputs differ (strings: ${strings.length} bytes, bytes: ${bytes.length} bytes), first at physical line ${i + 1}:\n  strings: ${show(a[i])}\n  bytes:   ${show(b[i])}`,
  );
}

/** Both engines; auto must take the byte engine (unless told otherwise) and match strings exactly. */
async function compareEngines(job: Job, autoEngine: 'bytes' | 'strings' = 'bytes'): Promise<{ s: Run; b: Run }> {
  const s = await run(job, 'strings');
  const b = await run(job, 'auto');
  expect(s.result.engine).toBe('strings');
  expect(b.result.engine).toBe(autoEngine);
  expectSameBytes(s.bytes, b.bytes);
  expect(b.result.rowsIn).toBe(s.result.rowsIn);
  expect(b.rows).toBe(s.rows);
  expect(b.counts).toStrictEqual(s.counts);
  return { s, b };
}

/** Both engines fail, with the same error: code, message, context (every key), class. */
async function compareFailures(job: Job): Promise<{ s: ConvergeError; b: ConvergeError }> {
  const s = await failure(run(job, 'strings'));
  const b = await failure(run(job, 'auto'));
  expect({ code: b.code, message: b.message }).toStrictEqual({ code: s.code, message: s.message });
  expect(b.context).toStrictEqual(s.context);
  expect(b.name).toBe(s.name);
  return { s, b };
}

/** Physical line of data row k (0-based) in a file written from `data`: its record's first line. */
function lineOfRow(data: Value[][], k: number): number {
  let line = 2 + k;
  for (let i = 0; i < k; i++)
    for (const v of data[i]) if (v) for (let p = v.indexOf('\n'); p !== -1; p = v.indexOf('\n', p + 1)) line++;
  return line;
}

const lookups = (): Map<string, Map<string, string>> => new Map([['owner_by_email', new Map(OWNER_LOOKUP)]]);

async function mainJob(files: Array<{ file: string; sha256?: string }>): Promise<Job> {
  const { rule, timezone } = await ruleFrom(mainYaml(), 'items');
  return { rule, timezone, columns: SOURCE, files, lookups: lookups() };
}

// ---------------------------------------------------------------------------------------------

describe('byte engine vs string engine: same output for the same input', () => {
  test('every type and option, a few thousand PRNG rows in three chunk files', async () => {
    const data = rows(20240229, 4500);
    const files = [
      await writeCsv('items.0.csv', HEADER, data.slice(0, 1500)),
      await writeCsv('items.1.csv', HEADER, data.slice(1500, 1501)),
      await writeCsv('items.2.csv', HEADER, data.slice(1501)),
    ];
    const { s } = await compareEngines(await mainJob(files));
    expect(s.result.rowsIn).toBe(4500);
    // Some rows are dropped (dropRowsWithNull), most are not.
    expect(s.rows).toBeLessThan(4500);
    expect(s.rows).toBeGreaterThan(3500);
    // The data reached every counted change, so the equal counts above mean something.
    const kinds = new Set(Object.values(s.counts).flatMap((c) => Object.keys(c)));
    for (const k of [
      'uuidLowercased',
      'booleanRespelled',
      'enumRelabelled',
      'emptyToNull',
      'nullDefaulted',
      'zeroDateNulled',
      'zeroDateReplaced',
      'invalidJsonNulled',
      'trimmed',
      'caseChanged',
      'replaced',
      'remapped',
      'timezoneShifted',
      'nullRowDropped',
      'columnDropped',
    ]) {
      expect(kinds).toContain(k);
    }
    expect(s.counts.owner_id.remapped).toBeGreaterThan(0);
    expect(s.counts.ext_id.uuidLowercased).toBeGreaterThan(0);
    expect(s.counts.kind.enumRelabelled).toBeGreaterThan(0);
    expect(s.counts.status).toBeUndefined();
    expect(s.counts.props.invalidJsonNulled).toBeGreaterThan(0);
    expect(s.counts.comment2).toEqual({ emptyToNull: expect.any(Number), nullDefaulted: expect.any(Number) });
  });

  test('over 1 MiB with a 2.5 MB value: block boundaries and carried records', async () => {
    const data = rows(77, 3000);
    const r = rng(5);
    // A 2.5 MB text value full of specials (quoted, doubled quotes, newlines), a 1.2 MB JSON
    // document, and a 1.1 MB bytea, in different rows, so several records straddle blocks.
    const huge = Array.from({ length: 2_500_000 / 25 }, () =>
      r.pick(['say "hi", ', 'line\nbreak ', '😀😀😀 ', 'plain text here ', '\\.']),
    )
      .join('')
      .padEnd(2_500_000, 'x');
    data[400][col('name')] = huge;
    data[400][col('note')] = huge;
    data[1400][col('meta')] = JSON.stringify({
      items: Array.from({ length: 20_000 }, (_, i) => ({ i, s: 'a,"b"\nc 😀' })),
    });
    data[1401][col('doc')] = '{"unterminated": "' + 'y'.repeat(1_200_000);
    data[2100][col('blob')] = '\\x' + 'ab'.repeat(550_000);
    const f = await writeCsv('items.csv', HEADER, data);
    expect(readFileSync(f.file).length).toBeGreaterThan(4 << 20);
    const { s } = await compareEngines(await mainJob([f]));
    expect(s.result.rowsIn).toBe(3000);
    expect(s.counts.doc.invalidJsonNulled).toBeGreaterThan(0);
  });

  test('default timezone Europe/Amsterdam, one column overridden to UTC; mapping loaded from a directory', async () => {
    const yaml = `defaults:
  timezone: Europe/Amsterdam
tables:
  events:
    columns:
      at_local: timestamp
      at_utc: { type: timestamp, timezone: UTC, zeroDate: null }
      at_etc: { type: timestamp, timezone: Etc/UTC }
      day: date
`;
    const { rule, timezone } = await ruleFrom(yaml, 'events', true);
    expect(timezone).toBe('Europe/Amsterdam');
    const r = rng(9);
    const data = Array.from({ length: 2000 }, () => [
      r.chance(0.3) ? r.pick(AMSTERDAM_EDGES) : timestamp(r),
      r.chance(0.1) ? r.pick(ZERO_DATES) : r.chance(0.05) ? null : timestamp(r),
      r.chance(0.3) ? r.pick(AMSTERDAM_EDGES) : timestamp(r),
      date(r),
    ]);
    const header = ['at_local', 'at_utc', 'at_etc', 'day'];
    const f = await writeCsv('events.csv', header, data);
    const { s } = await compareEngines({
      rule,
      timezone,
      columns: header.map((name) => ({ name, encoding: 'text' })),
      files: [f],
    });
    expect(s.counts.at_local.timezoneShifted).toBeGreaterThan(0);
    expect(s.counts.at_utc.timezoneShifted).toBeUndefined();
    expect(s.counts.at_etc).toBeUndefined();
  });

  test('an unquoted \\. (which no converge writer produces) comes out quoted from both', async () => {
    const { rule, timezone } = await ruleFrom(
      'tables:\n  t:\n    columns:\n      a: text\n      b: copy\n      c: { type: enum, map: { "\\\\.": "\\\\." } }\n',
      't',
    );
    const file = path.join(dir, 't.csv');
    writeFileSync(file, 'a,b,c\n\\.,\\.,\\.\nx,"\\.",\\.\n');
    const columns: SourceColumn[] = ['a', 'b', 'c'].map((name) => ({ name, encoding: 'text' }));
    const { s } = await compareEngines({ rule, timezone, columns, files: [{ file }] });
    expect(s.bytes.toString()).toBe('a,b,c\n"\\.","\\.","\\."\nx,"\\.","\\."\n');
  });

  test('a file with a header and no rows; a table whose rows are all dropped', async () => {
    const empty = await writeCsv('empty.csv', HEADER, []);
    const { s } = await compareEngines(await mainJob([empty]));
    expect(s.result.rowsIn).toBe(0);
    expect(s.rows).toBe(0);
    const data = rows(3, 50).map((row) => {
      row[col('required')] = null;
      return row;
    });
    const dropped = await writeCsv('dropped.csv', HEADER, data);
    const both = await compareEngines(await mainJob([empty, dropped, empty]));
    expect(both.s.result.rowsIn).toBe(50);
    expect(both.s.rows).toBe(0);
    expect(both.s.counts.required.nullRowDropped).toBe(50);
  });
});

describe('row policies that compare decoded rows keep the string engine under auto', () => {
  const yaml = (policy: string): string => `tables:
  users:
    columns:
      id: integer
      email: { type: text, emptyToNull: true }
      kind: { type: enum, map: { a: A, b: b } }
${policy}`;
  const header = ['id', 'email', 'kind'];
  const columns: SourceColumn[] = header.map((name) => ({ name, encoding: 'text' }));
  const data: Value[][] = Array.from({ length: 600 }, (_, i) => [
    String(i % 400),
    i % 7 === 0 ? '' : `u${i % 300}@x, "y"`,
    i % 3 ? 'a' : 'b',
  ]);

  test.each([
    ['unique keep-first', '    unique:\n      - { columns: [id], policy: keep-first }\n', 'strings'],
    ['unique keep-newest', '    unique:\n      - { columns: [email], policy: keep-newest, newest: id }\n', 'strings'],
    ['existing skip', '    existing: { key: [id], policy: skip }\n', 'strings'],
    ['existing fail (no conflicts)', '    existing: { key: [id], policy: fail }\n', 'strings'],
    // replace: the loader replaces; the string engine only to count the rows it will replace.
    ['existing replace over keys the target holds', '    existing: { key: [id], policy: replace }\n', 'strings'],
    ['existing replace, the target holding none (bytes)', '    existing: { key: [id], policy: replace }\n', 'bytes'],
    ['no policy', '', 'bytes'],
  ] as const)('%s', async (what, policy, engine) => {
    const { rule, timezone } = await ruleFrom(yaml(policy), 'users');
    const f = await writeCsv('users.csv', header, data);
    const existing = new Set(
      policy.includes('fail') ? ['["9999"]'] : what.includes('holding none') ? [] : ['["1"]', '["2"]'],
    );
    const { s } = await compareEngines({ rule, timezone, columns, files: [f], existing }, engine);
    expect(s.result.rowsIn).toBe(600);
  });
});

// ---------------------------------------------------------------------------------------------

describe('bad values: both engines fail with the same ConvergeError', () => {
  const BAD: Array<[column: string, value: string, code: string]> = [
    ['name', 'a\u0000b', 'VALUE_INVALID'],
    ['name', '"quoted", \u0000', 'VALUE_INVALID'],
    ['note', 'copy \u0000 NUL', 'VALUE_INVALID'],
    ['label', '\u0000', 'VALUE_INVALID'],
    ['ext_id', '6CCD780C-BABA-1026-9564-5B8C656024DX', 'UUID_INVALID'],
    ['ext_id', 'ZZZZZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZZZZZZZZZ', 'UUID_INVALID'],
    ['ext_id', '', 'UUID_INVALID'],
    ['owner_id', 'junk', 'UUID_INVALID'],
    ['kind', 'bogus', 'ENUM_UNMAPPED'],
    ['kind', 'say "bye"', 'ENUM_UNMAPPED'],
    ['kind', 'a,c', 'ENUM_UNMAPPED'],
    ['kind', '', 'ENUM_UNMAPPED'],
    ['status', 'Active', 'ENUM_UNMAPPED'],
    ['grade', 'g60', 'ENUM_UNMAPPED'],
    ['flag', '2', 'VALUE_INVALID'],
    ['flag', '', 'VALUE_INVALID'],
    ['yn', 'maybe', 'VALUE_INVALID'],
    ['created_at', '2023-02-29 10:00:00', 'TIMESTAMP_INVALID'],
    ['created_at', '0000-00-00 00:00:00', 'TIMESTAMP_INVALID'],
    ['created_at', '0000-01-01 00:00:00', 'TIMESTAMP_INVALID'],
    ['created_at', '2024-01-01 24:00:00', 'TIMESTAMP_INVALID'],
    ['created_at', '2024-01-01 10:00:00.1234567', 'TIMESTAMP_INVALID'],
    ['local_at', '2023-02-29 10:00:00', 'TIMESTAMP_INVALID'],
    ['local_at', '0000-00-00 00:00:00', 'TIMESTAMP_INVALID'],
    ['birthday', '2023-02-29', 'TIMESTAMP_INVALID'],
    ['meta', '{"a":', 'JSON_INVALID'],
    ['meta', '{"a": "b", "c": [1, 2,]}', 'JSON_INVALID'],
    ['meta', '{"a":"\\u0000"}', 'JSON_INVALID'],
    ['meta', '', 'JSON_INVALID'],
    ['qty', '1.5', 'VALUE_INVALID'],
    ['qty', '', 'VALUE_INVALID'],
    ['price', '1,5', 'VALUE_INVALID'],
    ['ratio', 'abc', 'VALUE_INVALID'],
    ['blob', '\\xZZ', 'VALUE_INVALID'],
    ['blob', '\\xabc', 'VALUE_INVALID'],
    ['raw', 'deadbeef', 'VALUE_INVALID'],
    ['code', ' a\u0000 ', 'VALUE_INVALID'],
  ];

  test.each(BAD)('%s = %j → %s', async (column, value, code) => {
    const data = rows(1000 + BAD.findIndex((b) => b[0] === column && b[1] === value), 400);
    const bad = 320;
    // Just before the bad row: a record spanning lines (quoted values with newlines).
    data[bad - 1][col('label')] = 'multi\nline\r\nvalue, "quoted"';
    data[bad - 1][col('name')] = 'x\ny';
    data[bad][col(column)] = value;
    const f = await writeCsv('items.csv', HEADER, data);
    const { s } = await compareFailures(await mainJob([f]));
    expect(s.code).toBe(code);
    expect(s.context).toMatchObject({
      stage: 'transform',
      table: 'items',
      column,
      file: 'items.csv',
      csvLine: lineOfRow(data, bad),
      value,
    });
    expect(s.context.row?.[column]).toBe(value);
    expect(String(s.context.mappingRule)).toMatch(/mapping\.yaml:\d+$/);
  });

  test('the bad value in a record carried across blocks, after a 2.5 MB value, in the second file', async () => {
    const first = await writeCsv('items.0.csv', HEADER, rows(8, 200));
    const data = rows(9, 2500);
    const bad = 2000;
    data[bad][col('name')] = 'n'.repeat(2_500_000);
    data[bad][col('qty')] = '12abc';
    const second = await writeCsv('items.1.csv', HEADER, data);
    const { s } = await compareFailures(await mainJob([first, second]));
    expect(s.code).toBe('VALUE_INVALID');
    expect(s.context).toMatchObject({ column: 'qty', value: '12abc', csvLine: lineOfRow(data, bad) });
    expect(s.context.row?.name).toBe('n'.repeat(200) + '…');
  });

  test('the first bad column of a row is the one reported', async () => {
    const data = rows(4, 300);
    data[150][col('meta')] = '{';
    data[150][col('ext_id')] = 'nope';
    data[150][col('qty')] = 'x';
    const f = await writeCsv('items.csv', HEADER, data);
    const { s } = await compareFailures(await mainJob([f]));
    // Target order (the mapping's, sorted by name): ext_id comes before meta and qty.
    expect(s.context.column).toBe('ext_id');
  });
});

// ---------------------------------------------------------------------------------------------

describe('file-level errors: the same code, message and line in both engines', () => {
  const yaml = `tables:
  t:
    columns:
      id: integer
      body: text
      ref: uuid
`;
  const header = ['id', 'body', 'ref'];
  const columns: SourceColumn[] = header.map((name) => ({ name, encoding: 'text' }));
  const U = '6ccd780c-baba-1026-9564-5b8c656024db';
  /** Good rows, one in three with a two-line quoted body; lines counted. */
  function good(n: number, from = 0): { text: string; lines: number } {
    let text = '';
    let lines = 0;
    for (let i = from; i < from + n; i++) {
      text += i % 3 === 0 ? `${i},"two\nlines, ""q""",${U}\n` : `${i},plain ${i},${U}\n`;
      lines += i % 3 === 0 ? 2 : 1;
    }
    return { text, lines };
  }
  async function job(content: string | Buffer, sha256?: string): Promise<Job> {
    const { rule, timezone } = await ruleFrom(yaml, 't');
    const file = path.join(dir, 't.csv');
    writeFileSync(file, content);
    return { rule, timezone, columns, files: [{ file, sha256 }] };
  }

  test('a file whose sha256 differs from the manifest: CSV_CHECKSUM in both', async () => {
    const content = 'id,body,ref\n' + good(500).text;
    const sha = createHash('sha256').update(content).digest('hex');
    await compareEngines(await job(content, sha));
    const wrong = createHash('sha256')
      .update(content + ' ')
      .digest('hex');
    const { s } = await compareFailures(await job(content, wrong));
    expect(s.code).toBe('CSV_CHECKSUM');
    expect(s.message).toContain(sha);
    // Appended to after the export: also a checksum error, not a transform one.
    const appended = await compareFailures(await job(content + `9999,late,${U}\n`, sha));
    expect(appended.s.code).toBe('CSV_CHECKSUM');
  });

  const g = good(300);
  const at = 2 + g.lines;
  const MALFORMED: Array<[what: string, content: string | Buffer, message: string, line: number]> = [
    [
      'quote inside an unquoted field',
      `id,body,ref\n${g.text}1,ab"c,${U}\n${good(5).text}`,
      'malformed CSV: quote inside an unquoted field',
      at,
    ],
    [
      'text after a closing quote',
      `id,body,ref\n${g.text}1,"ab"c,${U}\n${good(5).text}`,
      'malformed CSV: text after a closing quote',
      at,
    ],
    [
      'carriage return outside quotes',
      `id,body,ref\n${g.text}1,abc,${U}\r\n${good(5).text}`,
      'malformed CSV: carriage return outside quotes',
      at,
    ],
    [
      'truncated: no final newline',
      `id,body,ref\n${g.text}1,abc,${U}`,
      'malformed CSV: last record has no final newline (truncated file?)',
      at,
    ],
    [
      'truncated inside a quoted field',
      `id,body,ref\n${g.text}1,"abc\ndef`,
      'malformed CSV: file ends inside a quoted field (truncated file?)',
      at + 1,
    ],
    [
      'too many fields',
      `id,body,ref\n${g.text}1,"a\nb",${U},extra\n${good(5).text}`,
      'record has 4 fields, the header has 3',
      at,
    ],
    ['too few fields', `id,body,ref\n${g.text}1,${U}\n${good(5).text}`, 'record has 2 fields, the header has 3', at],
    [
      'header does not match',
      `id,ref,body\n${g.text}`,
      'header does not match the manifest: expected [id, body, ref], found [id, ref, body]',
      1,
    ],
    ['empty file', '', 'file is empty: no header line', 1],
    [
      'invalid UTF-8',
      Buffer.concat([Buffer.from(`id,body,ref\n${g.text}1,"x\n`), Buffer.from([0xc3, 0x28]), Buffer.from(`",${U}\n`)]),
      'file is not valid UTF-8',
      at + 1,
    ],
  ];

  test.each(MALFORMED)('%s', async (_what, content, message, line) => {
    const { s } = await compareFailures(await job(content));
    expect(s.code).toBe('CSV_INVALID');
    expect(s.message).toBe(message);
    expect(s.context.csvLine).toBe(line);
  });

  /** A malformed record that starts before the 1 MiB read block ends and goes wrong after it. */
  function straddling(bad: (pad: string) => string, tail: string): { content: string; line: number } {
    let text = 'id,body,ref\n';
    let lines = 1;
    let i = 0;
    while (text.length < (1 << 20) - 300) {
      const row = `${i},row ${i} ${'p'.repeat(i % 50)},${U}\n`;
      text += row;
      lines++;
      i++;
    }
    const padding = 'q'.repeat((1 << 20) - text.length);
    return { content: text + bad(padding) + tail, line: lines + 1 };
  }
  // The rows after the bad one hold no quote: a reader that lost track of quoting would read to the end.
  const TAIL = Array.from({ length: 40 }, (_, i) => `${i},after,${U}\n`).join('');
  test.each([
    [
      'quote inside an unquoted field',
      (p: string) => `1,${p}xx"y,${U}\n`,
      TAIL,
      'malformed CSV: quote inside an unquoted field',
    ],
    [
      'text after a closing quote',
      (p: string) => `1,"${p}xx"y,${U}\n`,
      TAIL,
      'malformed CSV: text after a closing quote',
    ],
    [
      'carriage return outside quotes',
      (p: string) => `1,${p}xx\r,${U}\n`,
      TAIL,
      'malformed CSV: carriage return outside quotes',
    ],
    ['too many fields', (p: string) => `1,${p}xx,${U},x\n`, TAIL, 'record has 4 fields, the header has 3'],
    [
      'no final newline',
      (p: string) => `1,${p}xx,${U}`,
      '',
      'malformed CSV: last record has no final newline (truncated file?)',
    ],
  ] as const)('straddling the 1 MiB block boundary: %s', async (_what, bad, tail, message) => {
    const { content, line } = straddling(bad, tail);
    const { s } = await compareFailures(await job(content));
    expect(s.code).toBe('CSV_INVALID');
    expect(s.message).toBe(message);
    expect(s.context.csvLine).toBe(line);
  });
});

// ---------------------------------------------------------------------------------------------
// Differences this file once found between the engines, now regression tests of the one rule both
// follow: the first error in file order is the one reported, with its line.

describe('first error in file order, in both engines', () => {
  const yaml = 'tables:\n  t:\n    columns:\n      id: integer\n      ref: uuid\n';
  const columns: SourceColumn[] = [
    { name: 'id', encoding: 'text' },
    { name: 'ref', encoding: 'text' },
  ];
  const U = '6ccd780c-baba-1026-9564-5b8c656024db';
  async function job(content: string | Buffer): Promise<Job> {
    const { rule, timezone } = await ruleFrom(yaml, 't');
    const file = path.join(dir, 't.csv');
    writeFileSync(file, content);
    return { rule, timezone, columns, files: [{ file }] };
  }

  // Once: strings reported the malformed line 4, as it parsed a 64 KiB slice before mapping it.
  test('a bad value a few lines before a malformed record: the bad value, line 3', async () => {
    const { s } = await compareFailures(await job(`id,ref\n1,${U}\n2,JUNK\n3,a"b\n`));
    expect([s.code, s.context.csvLine]).toEqual(['UUID_INVALID', 3]);
  });

  // The same with a wrong field count.
  test('a bad value a few lines before a record of the wrong width: the bad value, line 2', async () => {
    const { s } = await compareFailures(await job(`id,ref\n1,JUNK\n2,${U},x\n`));
    expect([s.code, s.context.csvLine]).toEqual(['UUID_INVALID', 2]);
  });

  // Once: bytes reported the UTF-8 error, having checked the whole 1 MiB block first.
  test('a bad value, then invalid UTF-8 100 KB further on: the bad value, line 2', async () => {
    const rowsText = Array.from({ length: 2000 }, (_, i) => `${i},${U}\n`).join('');
    const { s } = await compareFailures(
      await job(Buffer.concat([Buffer.from(`id,ref\n1,JUNK\n${rowsText}`), Buffer.from([0xff, 0x0a])])),
    );
    expect([s.code, s.context.csvLine]).toEqual(['UUID_INVALID', 2]);
  });

  test('good rows, then invalid UTF-8 past the first 64 KiB: CSV_INVALID naming its line', async () => {
    const rowsText = Array.from({ length: 3000 }, (_, i) => `${i},${U}\n`).join('');
    const { s } = await compareFailures(
      await job(Buffer.concat([Buffer.from(`id,ref\n${rowsText}9,x`), Buffer.from([0xe2, 0x0a])])),
    );
    expect([s.code, s.message, s.context.csvLine]).toEqual(['CSV_INVALID', 'file is not valid UTF-8', 3002]);
  });

  test('a record of the wrong width, then invalid UTF-8 in the same block: the width, line 2', async () => {
    const rowsText = Array.from({ length: 3000 }, (_, i) => `${i},${U}\n`).join('');
    const { s } = await compareFailures(
      await job(Buffer.concat([Buffer.from(`id,ref\n1,${U},x\n${rowsText}`), Buffer.from([0xff, 0x0a])])),
    );
    expect([s.code, s.context.csvLine]).toEqual(['CSV_INVALID', 2]);
  });

  // Once: strings failed with IO_FAILED, from a decoder flush outside its error handling.
  test('a cut multi-byte character after the last newline: CSV_INVALID, line 3', async () => {
    const { s } = await compareFailures(
      await job(Buffer.concat([Buffer.from(`id,ref\n1,${U}\n`), Buffer.from([0xc3])])),
    );
    expect([s.code, s.message, s.context.csvLine]).toEqual(['CSV_INVALID', 'file is not valid UTF-8', 3]);
  });

  // Once: strings dropped the BOM silently (TextDecoder), bytes said the header did not match.
  test('a UTF-8 byte order mark before the header: refused by name, line 1', async () => {
    const { s } = await compareFailures(await job(`\uFEFFid,ref\n1,${U}\n`));
    expect(s.code).toBe('CSV_INVALID');
    expect(s.message).toMatch(/byte order mark/);
    expect(s.context.csvLine).toBe(1);
  });
});

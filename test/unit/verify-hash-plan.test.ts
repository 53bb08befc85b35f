import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadMapping } from '../../src/mapping/load-mapping';
import type { MysqlColumn } from '../../src/source/mysql/catalog';
import type { PgColumn } from '../../src/target/postgres/catalog';
import { compileTable } from '../../src/transform/compile-table';
import { planHash } from '../../src/verify/hash-plan';
import { pgType } from '../helpers/pg-value-type';

/**
 * Which columns verify hashes in source SQL and which through the table program: a mapping SQL
 * mirrors exactly goes to SQL, anything else (a regex, a case change, a lookup, a zone, JSON,
 * a scale change, added columns) to the stream; row policies or a key SQL cannot hash make the
 * table compared whole.
 */

const my = (name: string, dataType: string, columnType = dataType): MysqlColumn => ({
  name,
  dataType,
  columnType,
  nullable: true,
  isJson: dataType === 'json',
  maxLength: null,
  extra: '',
  columnDefault: null,
});
const pgc = (name: string, spec: string): PgColumn => ({
  name,
  type: spec,
  typtype: 'b',
  baseType: null,
  notNull: false,
  hasDefault: false,
  defaultExpr: null,
  generated: false,
  identity: false,
  sequence: null,
  enumLabels: null,
  maxLength: null,
  valueType: pgType(spec),
});

async function plan(yaml: string, source: MysqlColumn[], target: PgColumn[], key = ['id']) {
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'converge-plan-'));
  try {
    await fsp.writeFile(path.join(dir, 'm.yaml'), `version: 1\ntables:\n  t:\n${yaml}`);
    const mapping = await loadMapping(dir);
    const rule = mapping.tables.get('t')!;
    const compiled = compileTable(
      rule,
      source.map((c) => ({ name: c.name, encoding: c.dataType.includes('blob') ? 'hex' : 'text' })),
      { timezone: mapping.timezone, lookups: new Map(), origin: 'test' },
    );
    const p = planHash(compiled, rule, source, target, key);
    const by = (x: string) => p.columns.filter((c) => c.path === x).map((c) => c.name);
    return { mode: p.mode, reason: p.reason, sql: by('sql'), stream: by('stream'), plan: p };
  } finally {
    await fsp.rm(dir, { recursive: true, force: true });
  }
}

test('mirrored mappings are hashed in SQL, the rest on the stream', async () => {
  const p = await plan(
    `    columns:
      id: integer
      a: text
      b: { type: text, replace: { pattern: '-', with: '_' } }
      c: { type: text, case: upper }
      d: timestamp
      e: { type: timestamp, timezone: Europe/Berlin }
      f: jsonb
      g: numeric
      h: numeric
      u: uuid
      z: { type: text, emptyToNull: true }
    add:
      k: { constant: x }
`,
    [
      my('id', 'bigint'),
      my('a', 'varchar'),
      my('b', 'varchar'),
      my('c', 'varchar'),
      my('d', 'datetime', 'datetime(6)'),
      my('e', 'datetime'),
      my('f', 'json'),
      my('g', 'decimal', 'decimal(10,2)'),
      my('h', 'decimal', 'decimal(10,1)'),
      my('u', 'char'),
      my('z', 'varchar'),
    ],
    [
      pgc('id', 'int8'),
      pgc('a', 'text'),
      pgc('b', 'text'),
      pgc('c', 'text'),
      pgc('d', 'timestamptz(6)'),
      pgc('e', 'timestamptz'),
      pgc('f', 'jsonb'),
      pgc('g', 'numeric(12,2)'),
      pgc('h', 'numeric(12,3)'),
      pgc('u', 'uuid'),
      pgc('z', 'text'),
      pgc('k', 'text'),
    ],
  );
  expect(p).toMatchObject({
    mode: 'range',
    sql: ['id', 'a', 'd', 'g', 'u'],
    stream: ['b', 'c', 'e', 'f', 'h', 'z', 'k'],
  });
  expect(p.plan.sourceKey).toBe('id');
});

test('a uuid key is bucketed by hash; a column of a type without a canonical form compares NULLs only', async () => {
  const p = await plan(
    `    columns:
      id: uuid
      p: copy
    add:
      q: { constant: '(1,2)' }
`,
    [my('id', 'char'), my('p', 'varchar')],
    [pgc('id', 'uuid'), pgc('p', 'point'), pgc('q', 'point')],
  );
  expect(p).toMatchObject({ mode: 'hash', sql: ['id', 'p'], stream: ['q'] });
  expect(p.plan.columns.map((c) => c.notVerified)).toEqual([undefined, 'point', 'point']);
});

test('row policies, a missing key, or a key SQL cannot hash make the table compared whole', async () => {
  const cols = [my('id', 'varchar'), my('v', 'varchar')];
  const pgs = [pgc('id', 'text'), pgc('v', 'text')];
  expect(await plan(`    columns: { id: text, v: text }\n    dropRowsWithNull: [v]\n`, cols, pgs)).toMatchObject({
    mode: 'whole',
    reason: expect.stringMatching(/row policies/),
  });
  expect(await plan(`    columns: { id: text, v: text }\n`, cols, pgs, [])).toMatchObject({
    mode: 'whole',
    reason: expect.stringMatching(/no key/),
  });
  expect(await plan(`    columns: { id: { type: text, trim: true }, v: text }\n`, cols, pgs)).toMatchObject({
    mode: 'whole',
    reason: expect.stringMatching(/key column/),
  });
});

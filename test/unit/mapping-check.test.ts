import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadMapping } from '../../src/mapping/load-mapping';
import { checkMapping } from '../../src/mapping/check/check-mapping';
import { describeProblem, MappingProblem } from '../../src/mapping/check/mapping-problem';
import { keyForm, sourceKeyHolds } from '../../src/mapping/check/probe-duplicates';
import { keySql } from '../../src/source/mysql/column-facts';
import type { MysqlColumn, MysqlTable } from '../../src/source/mysql/catalog';
import type { PgCatalog, PgColumn } from '../../src/target/postgres/catalog';

let root: string;
let n = 0;
beforeAll(() => (root = mkdtempSync(path.join(os.tmpdir(), 'converge-mapcheck-'))));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function my(name: string, columnType: string, opts: Partial<MysqlColumn> = {}): MysqlColumn {
  const dataType = columnType.replace(/\(.*$/, '').replace(/ .*$/, '').toLowerCase();
  const len = /^(?:var)?char\((\d+)\)/.exec(columnType);
  return {
    name,
    columnType,
    dataType,
    nullable: false,
    isJson: dataType === 'json',
    maxLength: len ? Number(len[1]) : dataType.endsWith('text') ? 65535 : null,
    extra: '',
    columnDefault: null,
    ...opts,
  };
}

function pg(name: string, type: string, opts: Partial<PgColumn> = {}): PgColumn {
  const len = /^character varying\((\d+)\)/.exec(type);
  return {
    name,
    type,
    typtype: 'b',
    baseType: null,
    notNull: false,
    hasDefault: false,
    defaultExpr: null,
    generated: false,
    identity: false,
    sequence: null,
    enumLabels: null,
    maxLength: len ? Number(len[1]) : null,
    ...opts,
  } as PgColumn;
}

/** Source `users` and target `users`, as in a small real application. */
const source = (): MysqlTable[] => [
  {
    name: 'users',
    primaryKey: ['id'],
    estimatedRows: 0,
    dataBytes: 0,
    columns: [
      my('id', 'char(36)'),
      my('email', 'varchar(255)'),
      my('active', 'tinyint(1)'),
      my('kind', "enum('a','b','c')"),
      my('role', 'varchar(20)', { nullable: true }),
      my('legacy', 'int(11)', { nullable: true }),
      my('created_at', 'datetime(6)'),
      my('visits', 'bigint(20)'),
    ],
  },
  { name: 'schema_versions', primaryKey: [], estimatedRows: 0, dataBytes: 0, columns: [my('v', 'int(11)')] },
];

const target = (emailType = 'character varying(255)'): PgCatalog =>
  ({
    tables: new Map([
      [
        'public.users',
        {
          schema: 'public',
          name: 'users',
          primaryKey: ['id'],
          columns: [
            pg('id', 'uuid', { notNull: true }),
            pg('email', emailType, { notNull: true }),
            pg('active', 'boolean', { notNull: true }),
            pg('kind', 'user_kind', { typtype: 'e', enumLabels: ['A', 'B', 'C'], notNull: true }),
            pg('role', 'text', { notNull: true }),
            pg('created_at', 'timestamp(6) without time zone', { notNull: true }),
            pg('visits', 'integer', { notNull: true }),
            pg('tenant', 'text', { notNull: true }),
            pg('search', 'tsvector', { generated: true }),
          ],
        },
      ],
    ]),
    foreignKeys: [],
    triggers: [],
  }) as unknown as PgCatalog;

const GOOD = `version: 1
tables:
  users:
    columns:
      id: uuid
      email: text
      active: boolean
      kind: { type: enum, map: { a: A, b: B, c: C } }
      role: { type: text, nullTo: member }
      created_at: timestamp
      visits: integer
    drop: [legacy]
    add:
      tenant: { constant: main }
`;

async function check(
  yaml: string,
  opts: {
    probed?: boolean;
    checkLabels?: Map<string, string[]>;
    src?: MysqlTable[];
    tgt?: PgCatalog;
    targetRows?: Map<string, number>;
    replaced?: Set<string>;
    follow?: boolean;
  } = {},
): Promise<MappingProblem[]> {
  const file = path.join(root, `m${++n}.yaml`);
  writeFileSync(file, yaml);
  const mapping = await loadMapping(file);
  return checkMapping({
    mapping,
    source: opts.src ?? source(),
    target: opts.tgt ?? target(),
    targetSchema: 'public',
    checkLabels: opts.checkLabels ?? new Map(),
    excluded: ['schema_versions'],
    probed: opts.probed,
    targetRows: opts.targetRows,
    replaced: opts.replaced,
    follow: opts.follow,
  });
}

const errors = (ps: MappingProblem[]) => ps.filter((p) => p.severity === 'error');
const kinds = (ps: MappingProblem[]) =>
  errors(ps)
    .map((p) => `${p.kind}:${p.column ?? ''}`)
    .sort();
describe('map check: a correct mapping', () => {
  test('has no error; its only warning is the bigint → integer narrowing', async () => {
    const ps = await check(GOOD);
    expect(errors(ps)).toEqual([]);
    expect(ps.map((p) => `${p.kind}:${p.column}`)).toEqual(['narrowing:visits']);
  });
});

describe('map check --follow: what following the binary log refuses, said before migrate --follow', () => {
  const withUnique = (policy: string) =>
    GOOD.replace(
      '    drop: [legacy]\n',
      `    drop: [legacy]\n    unique:\n      - { columns: [email], policy: ${policy} }\n`,
    );

  test.each(['keep-first', 'fail'])(
    "unique policy %s: an error at the unique entry's line, with advice; none without --follow",
    async (policy) => {
      const yaml = withUnique(policy);
      expect(errors(await check(yaml))).toEqual([]);
      const ps = errors(await check(yaml, { follow: true }));
      expect(ps.map((p) => p.kind)).toEqual(['follow-unsupported']);
      // version, tables, users, columns and its 7 entries, drop, unique: the entry is line 14
      expect(ps[0].at).toMatchObject({ line: 14, key: 'tables.users.unique.0' });
      expect(ps[0].message).toContain(`unique (email) policy ${policy} cannot be followed`);
      expect(ps[0].message).toContain('FOLLOW_UNSUPPORTED');
      expect(ps[0].expected).toMatch(policy === 'keep-first' ? /keep-newest with newest: / : /fix the duplicates/);
      expect(describeProblem(ps[0])).toMatch(
        /^error follow-unsupported: .*m\d+\.yaml:14 \(key tables\.users\.unique\.0\)/,
      );
    },
  );

  test('one keep-newest policy is followed; a second one is refused at its own line', async () => {
    const one = GOOD.replace(
      '    drop: [legacy]\n',
      '    drop: [legacy]\n    unique:\n      - { columns: [email], policy: keep-newest, newest: created_at }\n',
    );
    expect(errors(await check(one, { follow: true }))).toEqual([]);
    const two = one.replace(
      '      - { columns: [email], policy: keep-newest, newest: created_at }\n',
      '      - { columns: [email], policy: keep-newest, newest: created_at }\n      - { columns: [role], policy: keep-newest, newest: created_at }\n',
    );
    const ps = errors(await check(two, { follow: true }));
    expect(ps.map((p) => [p.kind, p.at?.key])).toEqual([['follow-unsupported', 'tables.users.unique.1']]);
    expect(ps[0].message).toContain('a second unique policy (role)');
  });

  test('a table without a primary key on either side cannot be followed: an error at the table rule', async () => {
    const src = source();
    src[0].primaryKey = [];
    const ps = errors(await check(GOOD, { src, follow: true }));
    expect(ps.map((p) => [p.kind, p.at?.key])).toEqual([['follow-unsupported', 'tables.users']]);
    expect(ps[0].message).toContain('source table users has no primary key');
    const tgt = target();
    tgt.tables.get('public.users')!.primaryKey = [];
    const pt = errors(await check(GOOD, { tgt, follow: true }));
    expect(pt.map((p) => p.message)).toEqual([expect.stringContaining('target table public.users has no primary key')]);
    expect(errors(await check(GOOD, { src, tgt }))).toEqual([]);
  });
});

describe('map check: each kind of problem, on purpose-broken mappings, all listed at once', () => {
  test('NOT NULL target column with no default that nothing feeds', async () => {
    const ps = await check(GOOD.replace(/    add:\n      tenant: \{ constant: main \}\n/, ''));
    expect(kinds(ps)).toContain('not-null-unfed:tenant');
    const p = ps.find((x) => x.kind === 'not-null-unfed')!;
    expect(p.at?.key).toBe('tables.users');
    expect(p.at?.line).toBe(3);
  });

  test('a source column neither mapped nor dropped', async () => {
    const ps = await check(GOOD.replace('    drop: [legacy]\n', ''));
    expect(kinds(ps)).toEqual(['column-unmapped:legacy']);
  });

  test('a type pair that cannot convert, naming the transform to use', async () => {
    const ps = await check(
      GOOD.replace('      created_at: timestamp', '      created_at: boolean').replace(
        '      id: uuid',
        '      id: copy',
      ),
    );
    expect(kinds(ps)).toEqual(['type-mismatch:created_at', 'type-mismatch:id']);
    const id = ps.find((p) => p.column === 'id')!;
    expect(id.message).toContain('use type uuid');
    expect(id.at).toMatchObject({ line: 5, key: 'tables.users.columns.id' });
    expect(id.found).toBe('type: copy');
  });

  test('an enum map that misses a value the ENUM definition allows', async () => {
    const ps = await check(GOOD.replace('{ a: A, b: B, c: C }', '{ a: A, b: B }'));
    expect(kinds(ps)).toEqual(['enum-value-unmapped:kind']);
    expect(ps[0].expected).toContain('"c"');
  });

  test('an enum map on a VARCHAR source: without --probe a warning says how to find the values; with it, the probe judges', async () => {
    const yaml = GOOD.replace(
      '      role: { type: text, nullTo: member }',
      '      role: { type: enum, nullTo: member, map: { admin: admin, member: member } }',
    );
    const plain = await check(yaml);
    expect(errors(plain)).toEqual([]);
    expect(plain.map((p) => p.kind)).toContain('enum-values-unknown');
    expect((await check(yaml, { probed: true })).map((p) => p.kind)).not.toContain('enum-values-unknown');
  });

  test('an enum map that lands on a label the Postgres enum does not allow', async () => {
    const ps = await check(GOOD.replace('{ a: A, b: B, c: C }', '{ a: A, b: B, c: c }'));
    expect(kinds(ps)).toEqual(['enum-label-invalid:kind']);
    expect(ps[0].found).toBe('"c"');
  });

  test('an enum map that lands on a label a CHECK constraint does not allow', async () => {
    const yaml = GOOD.replace(
      '      role: { type: text, nullTo: member }',
      '      role: { type: enum, nullTo: member, map: { admin: admin, member: owner } }',
    );
    const checkLabels = new Map([['public.users.role', ['admin', 'member']]]);
    const ps = await check(yaml, { checkLabels, probed: true });
    expect(kinds(ps)).toEqual(['enum-label-invalid:role']);
    expect(ps[0].expected).toBe('one of "admin", "member"');
  });

  test('a string that can be longer than the target column: an error from the catalogs; with --probe the probe measures', async () => {
    const tgt = target('character varying(100)');
    const declared = await check(GOOD, { tgt });
    expect(kinds(declared)).toEqual(['too-long:email']);
    expect(declared[0].found).toBe('varchar(255)');
    expect(kinds(await check(GOOD, { tgt, probed: true }))).toEqual([]);
  });

  test('a nullable source into a NOT NULL column: an error unless nullTo or dropRowsWithNull; with --probe the probe counts', async () => {
    const yaml = GOOD.replace('      role: { type: text, nullTo: member }', '      role: text');
    expect(kinds(await check(yaml))).toEqual(['null-into-not-null:role']);
    expect(
      kinds(await check(yaml.replace('    drop: [legacy]', '    drop: [legacy]\n    dropRowsWithNull: [role]'))),
    ).toEqual([]);
    expect(kinds(await check(yaml, { probed: true }))).toEqual([]);
  });

  test('an integer narrowing: a warning from the catalogs, left to the probe when it reads the data', async () => {
    expect((await check(GOOD)).map((p) => `${p.severity} ${p.kind}:${p.column}`)).toEqual(['warning narrowing:visits']);
    expect(await check(GOOD, { probed: true })).toEqual([]);
  });

  test('a target table that already holds rows, with nothing saying what becomes of them: a warning naming the three ways out', async () => {
    const targetRows = new Map([['public.users', 7]]);
    const ps = await check(GOOD, { targetRows });
    expect(ps.map((p) => `${p.severity} ${p.kind}`)).toEqual(['error target-not-empty', 'warning narrowing']);
    expect(ps[0]).toMatchObject({ at: { line: 3 }, found: '7 row(s)' });
    expect(ps[0].expected).toContain('replaceSeeded');
    expect((await check(GOOD, { targetRows, replaced: new Set(['users']) })).map((p) => p.kind)).toEqual(['narrowing']);
    const existing = GOOD.replace(
      '    drop: [legacy]',
      '    drop: [legacy]\n    existing: { key: [email], policy: skip }',
    );
    expect((await check(existing, { targetRows })).map((p) => p.kind)).toEqual(['narrowing']);
  });

  test('tables and columns that do not exist, generated and doubly fed targets, policy columns', async () => {
    const yaml = `tables:
  users:
    columns:
      id: uuid
      emial: text
      email: { type: text, to: mail }
      active: { type: boolean, to: id }
      kind: { type: enum, map: { a: A, b: B, c: C }, to: search }
      role: { type: text, nullTo: x }
      created_at: timestamp
      visits: integer
    drop: [legacy, gone]
    add:
      tenant: { concat: [nope] }
    unique:
      - { columns: [email], policy: keep-first }
  orders: { columns: {} }
`;
    expect(kinds(await check(yaml))).toEqual(
      [
        'column-unknown:emial',
        'column-unknown:gone',
        'column-unknown:nope',
        'not-null-unfed:active',
        'not-null-unfed:email',
        'not-null-unfed:kind',
        'table-unknown:',
        'target-column-fed-twice:active',
        'target-column-generated:kind',
        // mail is not a target column; the unique policy names email, which nothing loads now
        'target-column-unknown:email',
        'target-column-unknown:email',
        // boolean into uuid, enum labels into tsvector
        'type-mismatch:active',
        'type-mismatch:kind',
      ].sort(),
    );
  });

  test('every problem prints file, line and key, expected and found', async () => {
    const ps = await check(GOOD.replace('      id: uuid', '      id: copy'));
    const line = describeProblem(ps.find((p) => p.kind === 'type-mismatch')!);
    expect(line).toMatch(
      /^error type-mismatch: .*m\d+\.yaml:5 \(key tables\.users\.columns\.id\): column id: copy cannot load/,
    );
    expect(line).toContain('expected a transform from char(36) to uuid; found type: copy');
  });
});

describe('keyForm: the MySQL expression whose equality is Postgres equality of the loaded value', () => {
  const col = (o: Record<string, unknown>) =>
    ({ source: 'c', to: 'c', drop: false, ...o }) as Parameters<typeof keyForm>[0];
  const keyExpression = (c: Parameters<typeof keyForm>[0], _quoted: string) => {
    const f = keyForm(c);
    return f && keySql('c', f);
  };
  test('bytes as they load: uuids lower-cased, declared trim, case and emptyToNull applied', () => {
    expect(keyExpression(col({ type: 'text' }), '`c`')).toBe('`c`');
    expect(keyExpression(col({ type: 'uuid' }), '`c`')).toBe('LOWER(`c`)');
    expect(keyExpression(col({ type: 'uuid', uuidFormat: 'binary' }), '`c`')).toBe('`c`');
    expect(keyExpression(col({ type: 'text', emptyToNull: true, trim: true, case: 'lower' }), '`c`')).toBe(
      "LOWER(TRIM(NULLIF(`c`, '')))",
    );
    expect(keyExpression(col({ type: 'enum', map: { a: 'A', b: 'B' } }), '`c`')).toBe('`c`');
  });
  test('undefined where SQL cannot say what loads: replace, remap, nullTo, a merging enum map, booleans, JSON', () => {
    expect(keyExpression(col({ type: 'text', replace: { pattern: 'x', with: 'y' } }), '`c`')).toBeUndefined();
    expect(keyExpression(col({ type: 'uuid', remap: 'ids' }), '`c`')).toBeUndefined();
    expect(keyExpression(col({ type: 'text', nullTo: '' }), '`c`')).toBeUndefined();
    expect(keyExpression(col({ type: 'enum', map: { a: 'A', b: 'A' } }), '`c`')).toBeUndefined();
    expect(keyExpression(col({ type: 'boolean' }), '`c`')).toBeUndefined();
    expect(keyExpression(col({ type: 'jsonb' }), '`c`')).toBeUndefined();
  });
});

describe('sourceKeyHolds: when the source primary key already proves a target unique index', () => {
  const table = (collation: string | null): MysqlTable => ({
    name: 't',
    primaryKey: ['id'],
    estimatedRows: 0,
    dataBytes: 0,
    columns: [my('id', 'char(36)', { collation }), my('name', 'varchar(20)')],
  });
  test('the key within the index, loaded as it is', () => {
    expect(sourceKeyHolds(table(null), ['id'], [{}])).toBe(true);
    expect(sourceKeyHolds(table(null), ['id', 'name'], [{}, {}])).toBe(true);
  });
  test('lower-cased only where MySQL compared without case', () => {
    expect(sourceKeyHolds(table('utf8mb4_general_ci'), ['id'], [{ lower: true }])).toBe(true);
    expect(sourceKeyHolds(table('utf8mb4_bin'), ['id'], [{ lower: true }])).toBe(false);
    expect(sourceKeyHolds(table('utf8mb4_general_ci'), ['id'], [{ trim: true }])).toBe(false);
  });
  test('not when the index leaves part of the key out, or there is no key', () => {
    expect(sourceKeyHolds(table(null), ['name'], [{}])).toBe(false);
    expect(sourceKeyHolds({ ...table(null), primaryKey: [] }, ['id'], [{}])).toBe(false);
  });
});

describe('map check: every value the mapping declares is checked against its target column type', () => {
  test('nullTo, zeroDate, a whole-value replace and a constant, each at its own file and line', async () => {
    const yaml = `version: 1
tables:
  users:
    columns:
      id: { type: uuid, nullTo: not-a-uuid }
      email: { type: text, nullTo: '${'x'.repeat(40)}' }
      active: { type: boolean, nullTo: maybe }
      kind: { type: enum, map: { a: A, b: B, c: C } }
      role: { type: text, nullTo: member }
      created_at: { type: timestamp, zeroDate: 'soon' }
      visits: { type: integer, nullTo: many, replace: { pattern: '^-1$', with: '99999999999' } }
    drop: [legacy]
    add:
      tenant: { constant: main }
`;
    const tgt = target('character varying(20)');
    const ps = (await check(yaml, { tgt })).filter((p) => p.kind === 'declared-value-invalid');
    expect(ps.map((p) => `${p.column}@${p.at?.line}: ${p.message}`)).toEqual([
      'id@5: nullTo "not-a-uuid" is not a uuid, so it cannot load into target column id (uuid)',
      `email@6: nullTo "${'x'.repeat(40)}" is longer than target column email (character varying(20))`,
      'active@7: nullTo "maybe" is not a boolean, so it cannot load into target column active (boolean)',
      'created_at@10: zeroDate "soon" is not a date, so it cannot load into target column created_at (timestamp(6) without time zone)',
      'visits@11: nullTo "many" is not an integer, so it cannot load into target column visits (integer)',
      'visits@11: replace.with "99999999999" is out of the range of target column visits (integer)',
    ]);
    expect(ps.every((p) => p.severity === 'error' && p.at?.file.endsWith('.yaml'))).toBe(true);
  });

  test('a constant that does not fit, at its add entry; values that fit pass', async () => {
    const yaml = GOOD.replace('tenant: { constant: main }', "tenant: { constant: 'main' }").replace(
      '      visits: integer',
      "      visits: { type: integer, nullTo: '-2147483648' }",
    );
    expect((await check(yaml)).filter((p) => p.kind === 'declared-value-invalid')).toEqual([]);
    const tgt = target();
    const users = tgt.tables.get('public.users')!;
    users.columns = users.columns.map((c) => (c.name === 'tenant' ? pg('tenant', 'integer', { notNull: true }) : c));
    const ps = (await check(GOOD, { tgt })).filter((p) => p.kind === 'declared-value-invalid');
    expect(ps.map((p) => `${p.column}@${p.at?.line} ${p.at?.key}`)).toEqual(['add.tenant@14 tables.users.add.tenant']);
  });
});

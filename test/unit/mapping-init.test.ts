import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkConstraintLabels, mysqlEnumLabels, parsePgTextArray } from '../../src/mapping/check/column-labels';
import { draftMapping } from '../../src/mapping/init/draft-mapping';
import { matchNames } from '../../src/mapping/init/match-names';
import { renderDraft } from '../../src/mapping/init/render-draft';
import { loadMapping } from '../../src/mapping/load-mapping';
import type { MysqlColumn } from '../../src/source/mysql/catalog';
import type { PgCatalog, PgColumn } from '../../src/target/postgres/catalog';

const my = (name: string, columnType: string, o: Partial<MysqlColumn> = {}): MysqlColumn => ({
  name, columnType, dataType: columnType.replace(/[( ].*$/, ''), nullable: false, isJson: columnType === 'json', maxLength: /\((\d+)\)/.test(columnType) && /char/.test(columnType) ? Number(/\((\d+)\)/.exec(columnType)![1]) : null, extra: '', columnDefault: null, ...o,
});
const pg = (name: string, type: string, o: Partial<PgColumn> = {}): PgColumn =>
  ({ name, type, typtype: 'b', baseType: null, notNull: false, hasDefault: false, defaultExpr: null, generated: false, identity: false, sequence: null, enumLabels: null, maxLength: /\((\d+)\)/.test(type) ? Number(/\((\d+)\)/.exec(type)![1]) : null, ...o }) as PgColumn;

describe('labels from both catalogs', () => {
  test('MySQL ENUM and SET column types, quotes doubled inside labels', () => {
    expect(mysqlEnumLabels("enum('a','b''c','')")).toEqual(['a', "b'c", '']);
    expect(mysqlEnumLabels("set('x','y')")).toEqual(['x', 'y']);
    expect(mysqlEnumLabels('varchar(10)')).toBeUndefined();
  });
  test('Postgres CHECK constraints as pg_get_constraintdef prints them', () => {
    expect(checkConstraintLabels("CHECK (((kind)::text = ANY ((ARRAY['A'::character varying, 'B''x'::character varying])::text[])))", 'kind')).toEqual(['A', "B'x"]);
    expect(checkConstraintLabels("CHECK ((k2 = ANY (ARRAY['a'::text, 'b'::text])))", 'k2')).toEqual(['a', 'b']);
    expect(checkConstraintLabels("CHECK ((k3 = 'z'::text))", 'k3')).toEqual(['z']);
    expect(checkConstraintLabels('CHECK (("Odd" = \'q\'::text))', 'Odd')).toEqual(['q']);
    expect(checkConstraintLabels('CHECK ((n > 0))', 'n')).toBeUndefined();
    expect(checkConstraintLabels("CHECK ((a = ANY (ARRAY['x'::text])))", 'b')).toBeUndefined();
  });
  test('enum labels that arrive as a Postgres array literal', () => {
    expect(parsePgTextArray('{a,"b c","x\\"y",space-about}')).toEqual(['a', 'b c', 'x"y', 'space-about']);
  });
});

describe('matchNames', () => {
  test('exact first, then ignoring case, snake_case and camelCase; ambiguity matches nothing', () => {
    const m = matchNames(['id', 'created_at', 'UserName', 'a_b', 'ab', 'only_left'], ['id', 'createdAt', 'username', 'aB', 'only_right']);
    expect(m.pairs).toEqual([['id', 'id'], ['created_at', 'createdAt'], ['UserName', 'username']]);
    expect(m.leftOnly).toEqual(['a_b', 'ab', 'only_left']);
    expect(m.rightOnly).toEqual(['aB', 'only_right']);
  });
});

describe('draftMapping + renderDraft', () => {
  const target = {
    tables: new Map([
      ['public.users', { schema: 'public', name: 'users', primaryKey: ['id'], columns: [
        pg('id', 'uuid', { notNull: true }),
        pg('ext_id', 'uuid'),
        pg('isActive', 'boolean', { notNull: true }),
        pg('kind', 'user_kind', { typtype: 'e', enumLabels: ['admin', 'member'] as unknown as string[], notNull: true }),
        pg('status', 'text'),
        pg('tags', 'text[]'),
        pg('settings', 'jsonb'),
        pg('createdAt', 'timestamp without time zone', { notNull: true, hasDefault: true }),
        pg('visits', 'integer'),
        pg('name', 'character varying(50)'),
        pg('tenant', 'text', { notNull: true }),
        pg('blob', 'bytea'),
      ] }],
      ['public.seeded', { schema: 'public', name: 'seeded', primaryKey: [], columns: [pg('id', 'integer')] }],
    ]),
    foreignKeys: [], triggers: [],
  } as unknown as PgCatalog;
  const source = [
    { name: 'users', primaryKey: ['id'], estimatedRows: 0, dataBytes: 0, columns: [
      my('id', 'char(36)'),
      my('ext_id', 'binary(16)', { dataType: 'binary' }),
      my('is_active', 'tinyint(1)'),
      my('kind', "enum('Admin','member','guest')"),
      my('status', 'varchar(10)'),
      my('tags', 'text', { dataType: 'text' }),
      my('settings', 'json'),
      my('created_at', 'datetime(6)', { nullable: true }),
      my('visits', 'bigint(20) unsigned', { dataType: 'bigint' }),
      my('name', 'varchar(255)'),
      my('legacy', 'int(11)', { dataType: 'int' }),
      my('blob', 'longtext', { dataType: 'longtext' }),
    ] },
    { name: 'old_audit', primaryKey: [], estimatedRows: 0, dataBytes: 0, columns: [my('id', 'int(11)', { dataType: 'int' })] },
    { name: 'schema_versions', primaryKey: [], estimatedRows: 0, dataBytes: 0, columns: [my('v', 'int(11)', { dataType: 'int' })] },
  ];
  const checkLabels = new Map([['public.users.status', ['open', 'closed']]]);
  const draft = draftMapping({ source, target, targetSchema: 'public', checkLabels, excluded: ['schema_versions'] });

  test('a transform per type pair; renames by name style; enum maps pre-filled where labels match', () => {
    const t = draft.tables[0];
    const byName = Object.fromEntries(t.columns.map((c) => [c.source, c]));
    expect(byName.id.spec).toEqual({ type: 'uuid' });
    expect(byName.ext_id.spec).toEqual({ type: 'uuid', uuidFormat: 'binary' });
    expect(byName.is_active).toMatchObject({ to: 'isActive', spec: { type: 'boolean' } });
    expect(byName.kind.spec).toEqual({ type: 'enum', map: { Admin: 'admin', member: 'member' } });
    expect(byName.status.spec).toEqual({ type: 'enum', map: { open: 'open', closed: 'closed' } });
    expect(byName.tags.spec.type).toBe('simple-array');
    expect(byName.settings.spec.type).toBe('jsonb');
    expect(byName.created_at).toMatchObject({ to: 'createdAt', spec: { type: 'timestamp' } });
    expect(byName.blob.spec.type).toBe('latin1-bytes');
  });

  test('a TODO wherever it cannot decide', () => {
    const todos = draft.todos.map((t) => `${t.table}.${t.column ?? ''}`);
    expect(todos).toEqual(expect.arrayContaining([
      'users.ext_id', // binary or swapped byte order
      'users.kind', // "guest" has no target label
      'users.status', // VARCHAR: values unknown without --probe
      'users.created_at', // NULL into NOT NULL
      'users.visits', // unsigned bigint into integer
      'users.name', // varchar(255) into varchar(50)
      'users.legacy', // source only
      'users.tenant', // NOT NULL target column nothing feeds
      'users.blob', // text into bytea
      'old_audit.', // no target table
    ]));
    expect(todos).not.toContain('users.id');
    expect(todos).not.toContain('schema_versions.');
    expect(draft.targetOnlyTables).toEqual(['seeded']);
  });

  test('renders YAML the loader accepts, with the TODOs as comments', async () => {
    const text = renderDraft(draft, { title: 'test' });
    expect(text).toContain('      # TODO: source label(s) "guest" match no target label');
    expect(text).toContain('      is_active: { to: isActive, type: boolean }');
    expect(text).toContain('  # TODO: source table old_audit matches no target table');
    const dir = mkdtempSync(path.join(os.tmpdir(), 'converge-draft-'));
    try {
      writeFileSync(path.join(dir, 'draft.yaml'), text);
      const m = await loadMapping(path.join(dir, 'draft.yaml'));
      expect(m.tables.get('users')!.columns.get('kind')!.map).toEqual({ Admin: 'admin', member: 'member' });
      expect(m.tables.has('old_audit')).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

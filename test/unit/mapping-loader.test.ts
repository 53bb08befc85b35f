import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConvergeError } from '../../src/core/errors';
import { loadMapping } from '../../src/mapping/load-mapping';

let root: string;
let n = 0;

beforeAll(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'converge-mapping-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Writes YAML files into a fresh folder; returns the folder. Lines in the texts are 1-based as shown. */
function folder(files: Record<string, string>): string {
  const dir = path.join(root, `m${++n}`);
  mkdirSync(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}

async function mappingError(dir: string): Promise<ConvergeError> {
  try {
    await loadMapping(dir);
  } catch (e) {
    expect(e).toBeInstanceOf(ConvergeError);
    return e as ConvergeError;
  }
  throw new Error('expected a ConvergeError, the mapping loaded');
}

const lines = (...ls: string[]) => ls.join('\n') + '\n';

describe('loadMapping: a valid mapping', () => {
  test('merges files, keeps where each rule was written, expands shorthand', async () => {
    const dir = folder({
      '10-identities.yaml': lines(
        'defaults:',
        '  timezone: Europe/Amsterdam',
        'tables:',
        '  identities:',
        '    columns:',
        '      id: uuid',
        '      state:',
        '        type: enum',
        '        map: { active: ACTIVE }',
        '      legacy: drop',
        '    drop: [nid_old]',
      ),
      '20-sessions.yml': lines(
        'tables:',
        '  sessions:',
        '    target: user_sessions',
        '    columns:',
        '      active: boolean',
        '  audit_log: skip',
      ),
      'README.txt': 'not a mapping',
    });
    const m = await loadMapping(dir);
    expect(m.timezone).toBe('Europe/Amsterdam');
    expect([...m.tables.keys()]).toEqual(['identities', 'sessions', 'audit_log']);
    const ids = m.tables.get('identities')!;
    expect(ids.columns.get('id')).toMatchObject({
      source: 'id',
      to: 'id',
      type: 'uuid',
      drop: false,
      at: { line: 6, key: 'tables.identities.columns.id' },
    });
    expect(ids.columns.get('id')!.at.file).toBe(path.join(dir, '10-identities.yaml'));
    expect(ids.columns.get('state')).toMatchObject({ type: 'enum', map: { active: 'ACTIVE' }, at: { line: 7 } });
    expect([...ids.drop].sort()).toEqual(['legacy', 'nid_old']);
    expect(ids.at.line).toBe(4);
    expect(m.tables.get('sessions')).toMatchObject({ target: 'user_sessions', skip: false, at: { line: 2 } });
    expect(m.tables.get('audit_log')!.skip).toBe(true);
  });

  // docs/mapping.md documents `zeroDate: null` and `invalid: null`; unquoted, YAML reads them as null.
  test('the documented unquoted spellings zeroDate: null and invalid: null load as the null policy', async () => {
    const dir = folder({
      'n.yaml': lines(
        'tables:',
        '  events:',
        '    columns:',
        '      at: { type: timestamp, zeroDate: null }',
        '      doc: { type: json, invalid: null }',
      ),
    });
    const m = await loadMapping(dir);
    const cols = m.tables.get('events')!.columns;
    expect(cols.get('at')!.zeroDate).toBe('null');
    expect(cols.get('doc')!.invalid).toBe('null');
  });

  test('a single file can be loaded directly; the default zone is UTC', async () => {
    const dir = folder({ 'one.yaml': lines('tables:', '  t:', '    columns:', '      a: text') });
    const m = await loadMapping(path.join(dir, 'one.yaml'));
    expect(m.timezone).toBe('UTC');
    expect(m.dir).toBe(dir);
  });

  test('a missing path and a folder without YAML are MAPPING_INVALID', async () => {
    expect((await mappingError(path.join(root, 'nope'))).code).toBe('MAPPING_INVALID');
    expect((await mappingError(folder({ 'notes.txt': 'x' }))).code).toBe('MAPPING_INVALID');
  });
});

describe('loadMapping: errors name the file and the exact line', () => {
  test('malformed YAML (a key indented one space short)', async () => {
    const dir = folder({
      'bad.yaml': lines(
        'tables:',
        '  users:',
        '    columns:',
        '      id: uuid',
        '     name: text',
        '      other: text',
      ),
    });
    const e = await mappingError(dir);
    expect(e.code).toBe('MAPPING_INVALID');
    expect(e.context.file).toBe(path.join(dir, 'bad.yaml'));
    expect(e.message).toMatch(/YAML syntax/);
    expect(e.context.line).toBe(5);
  });

  test('a key written twice', async () => {
    const e = await mappingError(
      folder({ 'dup.yaml': lines('tables:', '  users:', '    columns:', '      id: uuid', '      id: text') }),
    );
    expect(e.code).toBe('MAPPING_INVALID');
    expect(e.context.line).toBe(5);
  });

  test('unknown key inside a column rule: the line of that key', async () => {
    const e = await mappingError(
      folder({
        'k.yaml': lines(
          'tables:',
          '  users:',
          '    columns:',
          '      id:',
          '        type: uuid',
          '        colour: red',
        ),
      }),
    );
    expect(e.code).toBe('MAPPING_INVALID');
    expect(e.message).toContain('unknown key "colour"');
    expect(e.context.line).toBe(6);
    expect(e.context.key).toBe('tables.users.columns.id.colour');
  });

  test('unknown key on a table: the line of that key', async () => {
    const e = await mappingError(
      folder({ 'k.yaml': lines('tables:', '  users:', '    columns:', '      id: uuid', '    colour: red') }),
    );
    expect(e.code).toBe('MAPPING_INVALID');
    expect(e.context.line).toBe(5);
  });

  test('unknown top-level key', async () => {
    const e = await mappingError(folder({ 'k.yaml': lines('version: 1', 'colour: red', 'tables: {}') }));
    expect(e.code).toBe('MAPPING_INVALID');
    expect(e.context.line).toBe(2);
  });

  test('wrong type of a column option: the line of that option', async () => {
    const e = await mappingError(
      folder({
        't.yaml': lines(
          'tables:',
          '  users:',
          '    columns:',
          '      id:',
          '        type: uuid',
          '        emptyToNull: "yes please"',
        ),
      }),
    );
    expect(e.code).toBe('MAPPING_INVALID');
    expect(e.context.line).toBe(6);
  });

  test('wrong type of a table option (drop given as a string, not a list): the line of drop', async () => {
    const e = await mappingError(
      folder({ 't.yaml': lines('tables:', '  users:', '    drop: id', '    columns:', '      name: text') }),
    );
    expect(e.code).toBe('MAPPING_INVALID');
    expect(e.context.line).toBe(3);
  });

  test('an unknown transform name: the line of the column', async () => {
    const e = await mappingError(
      folder({ 't.yaml': lines('tables:', '  users:', '    columns:', '      name: text', '      id: uuidd') }),
    );
    expect(e.code).toBe('MAPPING_INVALID');
    expect(e.context.line).toBe(5);
  });

  test('wrong type for version', async () => {
    const e = await mappingError(folder({ 't.yaml': lines('tables: {}', 'version: 2') }));
    expect(e.code).toBe('MAPPING_INVALID');
    expect(e.context.line).toBe(2);
  });

  test('an enum without a map', async () => {
    const e = await mappingError(
      folder({ 'e.yaml': lines('tables:', '  users:', '    columns:', '      id: uuid', '      state: enum') }),
    );
    expect(e.code).toBe('MAPPING_INVALID');
    expect(e.message).toMatch(/enum column needs a `map`/);
    expect(e.context.line).toBe(5);
  });

  test('remap to a lookup that is not defined', async () => {
    const dir = folder({
      'r.yaml': lines(
        'tables:',
        '  credentials:',
        '    columns:',
        '      id: uuid',
        '      type_id:',
        '        type: uuid',
        '        remap: credential_types',
      ),
    });
    const e = await mappingError(dir);
    expect(e.code).toBe('MAPPING_INVALID');
    expect(e.message).toContain('"credential_types"');
    expect(e.context.file).toBe(path.join(dir, 'r.yaml'));
    expect(e.context.line).toBe(5);
  });

  test('remap to a lookup defined in another file of the folder is fine', async () => {
    const dir = folder({
      'a.yaml': lines(
        'tables:',
        '  credentials:',
        '    columns:',
        '      type_id:',
        '        type: uuid',
        '        remap: types',
      ),
      'b.yaml': lines(
        'lookups:',
        '  types:',
        '    source: { table: identity_credential_types, key: id, naturalKey: name }',
        '    target: { table: identity_credential_types, key: id, naturalKey: name }',
      ),
    });
    const m = await loadMapping(dir);
    expect(m.lookups.get('types')).toMatchObject({ missing: 'keep', at: { line: 2, file: path.join(dir, 'b.yaml') } });
  });

  test('unknown time zone in defaults', async () => {
    const e = await mappingError(
      folder({ 'z.yaml': lines('version: 1', 'defaults:', '  timezone: Mars/Olympus_Mons', 'tables: {}') }),
    );
    expect(e.code).toBe('MAPPING_INVALID');
    expect(e.message).toMatch(/unknown time zone "Mars\/Olympus_Mons"/);
    expect(e.context.line).toBe(3);
  });

  test('unknown time zone on a column', async () => {
    const e = await mappingError(
      folder({
        'z.yaml': lines(
          'tables:',
          '  events:',
          '    columns:',
          '      at:',
          '        type: timestamp',
          '        timezone: Europe/Atlantis',
        ),
      }),
    );
    expect(e.code).toBe('MAPPING_INVALID');
    expect(e.context.line).toBe(4);
  });

  test('two files disagreeing on defaults.timezone', async () => {
    const dir = folder({
      'a.yaml': lines('defaults:', '  timezone: UTC', 'tables: {}'),
      'b.yaml': lines('tables: {}', 'defaults:', '  timezone: Europe/Amsterdam'),
    });
    const e = await mappingError(dir);
    expect(e.code).toBe('MAPPING_INVALID');
    expect(e.context.file).toBe(path.join(dir, 'b.yaml'));
    expect(e.context.line).toBe(3);
  });

  test('a table mapped twice across two files: the second place, naming the first', async () => {
    const dir = folder({
      'a.yaml': lines('tables:', '  other: skip', '  identities:', '    columns:', '      id: uuid'),
      'b.yaml': lines('version: 1', 'tables:', '  misc: skip', '  identities:', '    columns:', '      id: text'),
    });
    const e = await mappingError(dir);
    expect(e.code).toBe('MAPPING_INVALID');
    expect(e.context.file).toBe(path.join(dir, 'b.yaml'));
    expect(e.context.line).toBe(4);
    expect(e.message).toContain(`${path.join(dir, 'a.yaml')}:3`);
  });

  test('a column both mapped and listed under drop', async () => {
    const e = await mappingError(
      folder({ 'd.yaml': lines('tables:', '  users:', '    columns:', '      id: uuid', '    drop:', '      - id') }),
    );
    expect(e.code).toBe('MAPPING_INVALID');
    expect(e.context.line).toBe(5);
  });

  test('keep-newest without newest:', async () => {
    const e = await mappingError(
      folder({
        'u.yaml': lines(
          'tables:',
          '  users:',
          '    columns:',
          '      email: text',
          '    unique:',
          '      - columns: [email]',
          '        policy: keep-newest',
        ),
      }),
    );
    expect(e.code).toBe('MAPPING_INVALID');
    expect(e.message).toMatch(/newest/);
    expect(e.context.line).toBe(6);
  });
});

describe('the examples in the docs load', () => {
  const read = (f: string) => readFileSync(path.join(__dirname, '../..', f), 'utf8');
  const yamlBlocks = (text: string) => [...text.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]);

  test.each(['docs/mapping.md', 'README.md'])('every yaml block of %s is a valid mapping', async (doc) => {
    const blocks = yamlBlocks(read(doc));
    expect(blocks.length).toBeGreaterThan(0);
    for (const [i, block] of blocks.entries()) {
      const dir = folder({ 'example.yaml': block });
      const m = await loadMapping(dir).catch((e: Error) => {
        throw new Error(`${doc}, yaml block ${i + 1}: ${e.message}`);
      });
      expect(m.tables.size).toBeGreaterThan(0);
    }
  });
});

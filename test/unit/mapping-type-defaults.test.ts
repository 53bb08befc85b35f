import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadMapping } from '../../src/mapping/load-mapping';
import { canGiveNull } from '../../src/mapping/check/check-column';
import { trackingTableProblems, trackingTool } from '../../src/mapping/check/tracking-tables';
import type { MysqlColumn } from '../../src/source/mysql/catalog';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'converge-type-defaults-'));
  dirs.push(dir);
  for (const [f, text] of Object.entries(files)) writeFileSync(path.join(dir, f), text);
  return dir;
}

/** The block docs/mapping.md shows under "Mapping-wide defaults by type". */
function docExample(): string {
  const doc = readFileSync(path.join(__dirname, '../../docs/mapping.md'), 'utf8');
  const at = doc.indexOf('<!-- mapping-defaults-example');
  expect(at).toBeGreaterThan(0);
  return /```yaml\n([\s\S]*?)```/.exec(doc.slice(at))![1];
}

describe('mapping-wide defaults by type (defaults.<type>)', () => {
  test("docs/mapping.md's example: every column of the type takes the default, a column's own key wins", async () => {
    const m = await loadMapping(folder({ 'orders.yaml': docExample() }));
    const cols = m.tables.get('orders')!.columns;
    expect(cols.get('placed_at')).toMatchObject({ zeroDate: 'null', defaulted: ['zeroDate'] });
    expect(cols.get('shipped_at')!.zeroDate).toBe('1970-01-01 00:00:00');
    expect(cols.get('shipped_at')!.defaulted).toBeUndefined();
    expect(cols.get('paid')!.trueValues).toEqual(['1', '2', '-1']);
    expect(cols.get('customer_id')).toMatchObject({ emptyToNull: true, defaulted: ['emptyToNull'] });
    expect(cols.get('id')!.emptyToNull).toBe(true);
    expect(m.typeDefaults.get('timestamp')!.at.line).toBe(4);
  });

  test('a type declared in two files is refused, naming both places', async () => {
    const dir = folder({
      'a.yaml': 'defaults:\n  uuid: { emptyToNull: true }\ntables: {}\n',
      'b.yaml': 'defaults:\n  uuid: { emptyToNull: false }\ntables: {}\n',
    });
    await expect(loadMapping(dir)).rejects.toMatchObject({
      code: 'MAPPING_INVALID',
      message: expect.stringMatching(/defaults.uuid is declared twice \(first at .*a.yaml:2\)/),
      context: expect.objectContaining({ line: 2, file: path.join(dir, 'b.yaml') }),
    });
  });

  test('a key a default cannot set is refused with its line', async () => {
    const dir = folder({ 'a.yaml': 'defaults:\n  uuid: { to: other }\ntables: {}\n' });
    await expect(loadMapping(dir)).rejects.toMatchObject({
      code: 'MAPPING_INVALID',
      message: 'unknown key "to"',
      context: expect.objectContaining({ line: 2 }),
    });
  });

  test("a default's NULLs are not a NOT NULL column's NULLs; the column's own are", async () => {
    const m = await loadMapping(
      folder({
        'a.yaml':
          'defaults:\n  timestamp: { zeroDate: null }\ntables:\n  t:\n    columns:\n      a: timestamp\n      b: { type: timestamp, zeroDate: null }\n',
      }),
    );
    const s = { nullable: false } as MysqlColumn;
    const cols = m.tables.get('t')!.columns;
    expect(canGiveNull(cols.get('a')!, s)).toBe(false);
    expect(canGiveNull(cols.get('b')!, s)).toBe(true);
  });
});

describe('migration-tracking tables', () => {
  test.each([
    ['migrations', 'TypeORM'],
    ['knex_migrations_lock', 'Knex'],
    ['flyway_schema_history', 'Flyway'],
    ['DATABASECHANGELOG', 'Liquibase'],
    ['SequelizeMeta', 'Sequelize'],
    ['public._prisma_migrations', 'Prisma'],
    ['schema_migrations', 'Rails'],
  ])('%s is recognised (%s)', (table, tool) => {
    expect(trackingTool(table)).toContain(tool);
  });

  test('ordinary tables are not, and the pipeline can name its own', () => {
    expect(trackingTool('orders')).toBeUndefined();
    expect(trackingTool('app_versions', ['app_versions'])).toContain('pipeline');
  });

  test('map check refuses a mapping that copies one, unless copyMigrationHistory says so', async () => {
    const m = await loadMapping(
      folder({
        'a.yaml':
          'tables:\n  knex_migrations:\n    columns: { id: copy }\n  goose_db_version:\n    copyMigrationHistory: true\n    columns: { id: copy }\n  schema_migrations: skip\n  orders:\n    columns: { id: copy }\n',
      }),
    );
    const problems = trackingTableProblems(m);
    expect(problems.map((p) => [p.kind, p.table, p.severity, p.at?.line])).toEqual([
      ['tracking-table-copied', 'knex_migrations', 'error', 2],
    ]);
    expect(problems[0].message).toContain('Knex');
  });
});

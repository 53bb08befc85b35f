import { ConvergeError } from '../../src/core/errors';
import { FollowTable, followTable, planChange, refillOps } from '../../src/follow/change-plan';
import type { RowChange } from '../../src/source/mysql/binlog/binlog-reader';
import { compileTable, SourceColumn } from '../../src/transform/compile-table';
import type { TableProgram } from '../../src/transform/table-program';
import { tableRuleFromYaml } from '../fixtures/unit/mapping-rule';

/**
 * A binlog change → target writes, through the table program and the row policies, as the
 * snapshot would treat the same rows (change-plan.ts). Pure: no servers.
 */
const text = (...names: string[]): SourceColumn[] => names.map((name) => ({ name, encoding: 'text' }));

async function table(yaml: string, columns: SourceColumn[], key: string[], existing?: string[]): Promise<FollowTable> {
  const rule = await tableRuleFromYaml(yaml);
  const compiled = compileTable(rule, columns, { timezone: 'UTC', lookups: new Map(), origin: 'mysql:t' });
  const program: TableProgram<unknown> = {
    source: {},
    sourceName: rule.source,
    rule,
    compiled,
    targetName: rule.target,
    key: `public.${rule.target}`,
    schema: 'public',
    table: rule.target,
  };
  return followTable(
    program,
    { source: ['id'], target: key, sourceIdx: [0] },
    existing ? new Set(existing) : undefined,
  );
}

const people = `
tables:
  people:
    target: persons
    dropRowsWithNull: [email]
    columns:
      id: integer
      Mail: { to: email, type: text, emptyToNull: true }
      flag: boolean
`;
const cols = text('id', 'Mail', 'flag');

describe('planChange: one source change as target writes', () => {
  test('an insert is mapped by the program (renamed column, boolean spelling) and keyed by the target key', async () => {
    const t = await table(people, cols, ['id']);
    const ops = planChange({ table: 'people', kind: 'insert', after: ['7', 'a@x', '1'] }, t);
    expect(ops).toEqual([{ op: 'insert', table: t.target, values: ['7', 'a@x', 't'] }]);
    expect(t.target.columns).toEqual(['id', 'email', 'flag']);
  });

  test('an update is found by the OLD key (a key change moves the row), and a delete by its key', async () => {
    const t = await table(people, cols, ['id']);
    expect(
      planChange({ table: 'people', kind: 'update', before: ['7', 'a@x', '0'], after: ['8', 'b@x', '0'] }, t),
    ).toEqual([{ op: 'update', table: t.target, where: ['7'], values: ['8', 'b@x', 'f'] }]);
    expect(planChange({ table: 'people', kind: 'delete', before: ['8', 'b@x', '0'] }, t)).toEqual([
      { op: 'delete', table: t.target, where: ['8'], missingOk: false },
    ]);
  });

  test('the keys a change touched: both images, source keys and mapped target keys, kept or dropped', async () => {
    const t = await table(people, cols, ['id']);
    const touched = { source: new Set<string>(), target: new Set<string>() };
    // A key change whose new image the mapping drops (NULL email): both keys still count.
    planChange({ table: 'people', kind: 'update', before: ['7', 'a@x', '1'], after: ['8', '', '1'] }, t, touched);
    planChange({ table: 'people', kind: 'insert', after: ['9', 'c@x', '0'] }, t, touched);
    expect([...touched.source]).toEqual(['["7"]', '["8"]', '["9"]']);
    expect([...touched.target]).toEqual(['["7"]', '["8"]', '["9"]']);
  });

  test('dropRowsWithNull: an update into NULL deletes the row, out of NULL inserts it; a dropped row is never written', async () => {
    const t = await table(people, cols, ['id']);
    // '' becomes NULL (emptyToNull), and the snapshot would have dropped that row.
    expect(
      planChange({ table: 'people', kind: 'update', before: ['7', 'a@x', '1'], after: ['7', '', '1'] }, t),
    ).toEqual([{ op: 'delete', table: t.target, where: ['7'], missingOk: false }]);
    expect(
      planChange({ table: 'people', kind: 'update', before: ['7', '', '1'], after: ['7', 'c@x', '1'] }, t),
    ).toEqual([{ op: 'insert', table: t.target, values: ['7', 'c@x', 't'] }]);
    expect(planChange({ table: 'people', kind: 'insert', after: ['9', null, '1'] }, t)).toEqual([]);
    expect(planChange({ table: 'people', kind: 'delete', before: ['9', null, '1'] }, t)).toEqual([]);
  });

  test('existing: skip leaves the rows the target held before the load alone, whatever changes them', async () => {
    const yaml = `
tables:
  kinds:
    existing: { key: [name], policy: skip }
    columns: { id: integer, name: text }
`;
    const t = await table(yaml, text('id', 'name'), ['id'], [JSON.stringify(['password'])]);
    expect(planChange({ table: 'kinds', kind: 'insert', after: ['1', 'password'] }, t)).toEqual([]);
    expect(
      planChange({ table: 'kinds', kind: 'update', before: ['1', 'password'], after: ['1', 'password'] }, t),
    ).toEqual([]);
    expect(planChange({ table: 'kinds', kind: 'insert', after: ['2', 'totp'] }, t)).toHaveLength(1);
  });

  test('existing: fail refuses an insert of a key the target held, by name', async () => {
    const yaml = `
tables:
  kinds:
    existing: { key: [name], policy: fail }
    columns: { id: integer, name: text }
`;
    const t = await table(yaml, text('id', 'name'), ['id'], [JSON.stringify(['password'])]);
    const e = catchError(() => planChange({ table: 'kinds', kind: 'insert', after: ['1', 'password'] }, t));
    expect(e.code).toBe('DUPLICATE_ROW');
    // The words transform and map check --probe give for it.
    expect(e.message).toBe(
      "key (name) = (password) is already in target table kinds, and the existing policy is fail: declare existing: { key: [name], policy: skip } (the target's rows stay and the source's are dropped, counted), or policy: replace (the source's rows replace them, counted), or empty the target table",
    );
  });

  test('a bad value names the table and the binlog change, not a CSV line', async () => {
    const t = await table(people, cols, ['id']);
    const e = catchError(() => planChange({ table: 'people', kind: 'insert', after: ['x', 'a@x', '1'] }, t));
    expect(e.context.table).toBe('people');
    expect(e.context.csvLine).toBeUndefined();
    expect(e.message).toContain('insert of people in the binary log');
  });

  test('keep-newest: writes compete for their key, and a change of the key holder looks for displaced rows', async () => {
    const yaml = `
tables:
  devices:
    unique:
      - columns: [session, agent]
        policy: keep-newest
        newest: seen
    columns: { id: integer, session: text, agent: text, seen: integer }
`;
    const t = await table(yaml, text('id', 'session', 'agent', 'seen'), ['id']);
    expect(t.refill).toEqual([1, 2]);
    const ins = planChange({ table: 'devices', kind: 'insert', after: ['1', 's', 'a', '5'] }, t);
    expect(ins).toEqual([{ op: 'newest', table: t.target, where: undefined, values: ['1', 's', 'a', '5'] }]);
    const del = planChange({ table: 'devices', kind: 'delete', before: ['1', 's', 'a', '5'] }, t);
    expect(del.map((o) => o.op)).toEqual(['delete', 'vacated']);
    const vacated = del[1] as Extract<(typeof del)[number], { op: 'vacated' }>;
    expect(vacated.sourceValues).toEqual(['s', 'a']);
    // Rows found again in the source: only those that still map to the key compete for it.
    expect(
      refillOps(vacated, [
        ['2', 's', 'a', '3'],
        ['3', 's', 'b', '9'],
      ]),
    ).toEqual([{ op: 'newest', table: t.target, values: ['2', 's', 'a', '3'] }]);
  });

  test('a target without a primary key, or a unique keep-first policy, cannot be followed: named errors', async () => {
    await expect(table(people, cols, [])).rejects.toMatchObject({ code: 'FOLLOW_NO_PRIMARY_KEY' });
    await expect(table(people, cols, ['nope'])).rejects.toMatchObject({ code: 'FOLLOW_NO_PRIMARY_KEY' });
    const t = await table(people, cols, ['id']);
    expect(() => followTable(t.program, { source: [], target: ['id'], sourceIdx: [] }, undefined)).toThrow(
      expect.objectContaining({
        code: 'FOLLOW_NO_PRIMARY_KEY',
        message: expect.stringContaining('source table people has no primary key'),
      }),
    );
    const keepFirst = `
tables:
  devices:
    unique:
      - columns: [session]
        policy: keep-first
    columns: { id: integer, session: text }
`;
    // At the unique entry's line, as map check --follow says it before the load (follow-limits.ts).
    await expect(table(keepFirst, text('id', 'session'), ['id'])).rejects.toMatchObject({
      code: 'FOLLOW_UNSUPPORTED',
      context: { key: 'tables.devices.unique.0', line: 5, table: 'devices' },
      message: expect.stringContaining('keep-newest with newest:'),
    });
  });
});

function catchError(f: () => unknown): ConvergeError {
  try {
    f();
  } catch (e) {
    return e as ConvergeError;
  }
  throw new Error('expected an error');
}

export type { RowChange };

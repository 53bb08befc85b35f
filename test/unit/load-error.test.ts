import { DatabaseError } from 'pg';
import { ConvergeError } from '../../src/core/errors';
import { silentLogger } from '../../src/core/logger';
import { scheduleGroups } from '../../src/target/postgres/load/schedule-groups';
import { classifyLoadError, parseRejectedKey } from '../../src/target/postgres/load/load-error';
import { withLoadAdvice } from '../../src/mapping/load-advice';
import type { GroupPlan, TablePlan } from '../../src/target/postgres/load/load-plan';

/** The exit code of a failed load tells the truth: 6 only for a row Postgres refused. */
function pgError(code: string, message = 'boom'): DatabaseError {
  const e = new DatabaseError(message, message.length, 'error');
  e.code = code;
  return e;
}

test('a data or integrity SQLSTATE (class 22, 23) is a rejected row: exit 6', () => {
  for (const code of ['22P02', '23505', '23503']) {
    const err = classifyLoadError(pgError(code), { table: 't' });
    expect(err).toMatchObject({ code: 'LOAD_REJECTED', context: { table: 't', sqlstate: code } });
    expect(err.exitCode).toBe(6);
  }
});

describe("a unique violation's key, from Postgres's DETAIL: every column of the index and the values", () => {
  test.each([
    ['Key (a, b)=(1, 2) already exists.', { columns: ['a', 'b'], values: '1, 2', byColumn: { a: '1', b: '2' } }],
    [
      'Key (id)=(Smith, John) already exists.',
      { columns: ['id'], values: 'Smith, John', byColumn: { id: 'Smith, John' } },
    ],
    // Values with ", " inside a several-column key: the columns and the whole text, never a wrong split.
    ['Key (a, b)=(x, y, z) already exists.', { columns: ['a', 'b'], values: 'x, y, z', byColumn: undefined }],
    [
      'Key ("Mixed Case", "q""uote")=(1, 2) already exists.',
      { columns: ['Mixed Case', 'q"uote'], values: '1, 2', byColumn: { 'Mixed Case': '1', 'q"uote': '2' } },
    ],
    // An expression index keeps its expression whole (its commas are inside parentheses).
    [
      'Key (tenant, lower((email)::text), coalesce(a, b))=(1, a@x, z) already exists.',
      {
        columns: ['tenant', 'lower((email)::text)', 'coalesce(a, b)'],
        values: '1, a@x, z',
        byColumn: { tenant: '1', 'lower((email)::text)': 'a@x', 'coalesce(a, b)': 'z' },
      },
    ],
    [
      'Key (nid, identity_id)=(a1, b2) is not present in table "identities".',
      { columns: ['nid', 'identity_id'], values: 'a1, b2', byColumn: { nid: 'a1', identity_id: 'b2' } },
    ],
    ['Key (v)=((1,2)) already exists.', { columns: ['v'], values: '(1,2)', byColumn: { v: '(1,2)' } }],
  ])('%s', (detail, key) => {
    expect(parseRejectedKey(detail)).toEqual(key);
  });

  test('anything else gives nothing', () => {
    for (const d of [
      undefined,
      '',
      'Failing row contains (1, null).',
      'Key (a)=(1) conflicts with existing key (a)=(2).',
    ])
      expect(parseRejectedKey(d)).toBeUndefined();
  });

  test('classifyLoadError: a 23505 names every key column and the values, in the message and the context', () => {
    const e = Object.assign(pgError('23505', 'duplicate key value violates unique constraint "t_a_b_key"'), {
      detail: 'Key (a, b)=(1, x) already exists.',
      constraint: 't_a_b_key',
    });
    const err = classifyLoadError(e, { table: 't' });
    expect(err.message).toBe(
      'duplicate key: key (a, b) = (1, x) repeats under unique index t_a_b_key: duplicate key value violates unique constraint "t_a_b_key"',
    );
    expect(err.context).toMatchObject({ table: 't', sqlstate: '23505', columns: ['a', 'b'], values: '1, x' });
  });
});

test('the advice for a duplicate takes every key column, from the context or else from the DETAIL', () => {
  const advice = 'declare unique: [{ columns: [tenant, email], policy: keep-first }]';
  const mapped = classifyLoadError(
    Object.assign(pgError('23505'), { detail: 'Key (tenant, email)=(1, a@x) already exists.', constraint: 'u' }),
  );
  expect(withLoadAdvice(mapped).message).toContain(advice);
  // --collect-errors' limit carries the DETAIL only.
  const limit = new ConvergeError('LOAD_REJECTED', 'more than 0 rows rejected', {
    sqlstate: '23505',
    detail: 'Key (tenant, email)=(1, a@x) already exists.',
  });
  expect(withLoadAdvice(limit).message).toContain(advice);
});

test('a lost connection is CONNECT_FAILED: exit 4', () => {
  const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
  const mysqlLost = Object.assign(new Error('Connection lost: The server closed the connection.'), {
    code: 'PROTOCOL_CONNECTION_LOST',
    fatal: true,
  });
  for (const e of [
    pgError('57P01', 'terminating connection due to administrator command'),
    pgError('08006'),
    reset,
    mysqlLost,
    new Error('Connection terminated unexpectedly'),
    // pg, on the next query of a client whose connection already failed
    new Error('Client has encountered a connection error and is not queryable'),
  ]) {
    const err = classifyLoadError(e);
    expect(err.code).toBe('CONNECT_FAILED');
    expect(err.exitCode).toBe(4);
    expect(err.cause).toBe(e);
  }
});

test('anything else is a bug: INTERNAL, exit 1, never "row rejected"', () => {
  for (const e of [new TypeError("Cannot read properties of undefined (reading 'x')"), pgError('42P01'), 'str']) {
    const err = classifyLoadError(e, { stage: 'import' });
    expect(err.code).toBe('INTERNAL');
    expect(err.exitCode).toBe(1);
  }
});

test('a ConvergeError keeps its own code', () => {
  const e = new ConvergeError('IO_FAILED', 'disk full');
  expect(classifyLoadError(e)).toBe(e);
});

function group(id: number): GroupPlan {
  return { id, tables: [{ key: `t${id}` } as TablePlan], cycle: false, level: 0, after: [], deferred: [] };
}

async function failureOf(thrown: unknown): Promise<ConvergeError | undefined> {
  const { failure } = await scheduleGroups({
    plan: [group(1)],
    slots: ['slot'],
    size: () => 1,
    early: () => false,
    run: async () => {
      throw thrown;
    },
    onFailed: async () => undefined,
    log: silentLogger(),
  });
  return failure;
}

test('migrate: a group that throws a plain error fails as a bug, a refused row as LOAD_REJECTED', async () => {
  expect(await failureOf(new TypeError('x is undefined'))).toMatchObject({
    code: 'INTERNAL',
    context: { table: 't1' },
  });
  expect(await failureOf(pgError('23505'))).toMatchObject({ code: 'LOAD_REJECTED', context: { table: 't1' } });
  expect(await failureOf(pgError('57P01'))).toMatchObject({ code: 'CONNECT_FAILED' });
});

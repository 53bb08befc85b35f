import { DatabaseError } from 'pg';
import { ConvergeError } from '../../src/core/errors';
import { silentLogger } from '../../src/core/logger';
import { scheduleGroups } from '../../src/target/postgres/load/schedule-groups';
import { classifyLoadError } from '../../src/target/postgres/load/load-error';
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

import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  checkRowReaderInternals,
  loadMysql2Internals,
  Mysql2Internals,
  MYSQL2_BUILT_FOR,
  rowReaderProblems,
} from '../../src/source/mysql/driver-internals';

/** The row reader's reliance on mysql2's private parser, checked before any table is read. */
test('the installed (pinned) mysql2 has every part the row reader relies on', () => {
  const m = loadMysql2Internals();
  expect(rowReaderProblems(m)).toEqual([]);
  expect(() => checkRowReaderInternals(m)).not.toThrow();
});

test('the version the check names is the one package.json pins', () => {
  const pkg = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8'));
  expect(pkg.dependencies.mysql2).toBe(MYSQL2_BUILT_FOR);
  expect(loadMysql2Internals().version).toBe(MYSQL2_BUILT_FOR);
});

function broken(change: (m: Mysql2Internals) => Partial<Mysql2Internals>): Mysql2Internals {
  const m = loadMysql2Internals();
  return { ...m, version: '9.9.9', ...change(m) };
}

test('a Query whose fieldsEOF no longer reads this.row fails with both versions and what to do', () => {
  const real = loadMysql2Internals();
  const Real = real.Query as new (...a: unknown[]) => Record<string, unknown>;
  class Query extends Real {
    fieldsEOF() {
      return Real.prototype.row; // Query's own row parser, whatever was set on the query
    }
  }
  const RealBase = real.BaseConnection as new (...a: unknown[]) => object;
  class BaseConnection extends RealBase {
    static createQuery() {
      return Object.create(Query.prototype) as object;
    }
  }
  const m = broken(() => ({ Query, BaseConnection }));
  expect(rowReaderProblems(m)).toEqual([expect.stringMatching(/fieldsEOF does not continue/)]);
  let err: unknown;
  try {
    checkRowReaderInternals(m);
  } catch (e) {
    err = e;
  }
  expect(err).toMatchObject({ code: 'INTERNAL', context: { installed: '9.9.9', builtFor: MYSQL2_BUILT_FOR } });
  const message = (err as Error).message;
  expect(message).toContain('mysql2 9.9.9');
  expect(message).toContain(`mysql2 ${MYSQL2_BUILT_FOR}`);
  expect(message).toMatch(/npm ci/);
  expect((err as { exitCode: number }).exitCode).toBe(1);
});

test('each missing part is named', () => {
  const problems = (change: (m: Mysql2Internals) => Partial<Mysql2Internals>) => rowReaderProblems(broken(change));
  expect(problems(() => ({ Packet: undefined })).join()).toMatch(/Packet/);
  class Packet {
    constructor(
      readonly id: number,
      readonly buf: Buffer,
    ) {}
  }
  expect(problems(() => ({ Packet })).join()).toMatch(/buffer\/offset/);
  class PromiseConnection {
    connection = undefined;
  }
  expect(problems(() => ({ PromiseConnection })).join()).toMatch(/\.connection/);
  const Base = loadMysql2Internals().BaseConnection as new () => object;
  class NoPause extends Base {}
  Object.defineProperty(NoPause.prototype, 'pause', { value: undefined });
  expect(problems(() => ({ BaseConnection: NoPause })).join()).toMatch(/missing pause/);
  const Real = loadMysql2Internals().Query as new (...a: unknown[]) => Record<string, unknown>;
  class NoEnd extends Real {}
  Object.defineProperty(NoEnd.prototype, 'row', { value: () => undefined });
  // createQuery still makes the real Query, which is not a NoEnd: that is reported too.
  expect(problems(() => ({ Query: NoEnd })).join()).toMatch(/Query command/);
});

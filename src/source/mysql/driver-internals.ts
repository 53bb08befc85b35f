import { EventEmitter } from 'node:events';
import path from 'node:path';
import { ConvergeError, messageOf } from '../../core/errors';

/**
 * The row reader (row-bytes.ts) reads rows straight from mysql2's packets through parts of
 * mysql2 that are not its public API. package.json pins mysql2 to the version below; this check
 * proves, before the first table is read, that the installed mysql2 still has those parts with
 * the shape the reader needs, so a changed driver fails at start-up with a clear message
 * instead of exporting wrong bytes or hanging mid-table.
 */
export const MYSQL2_BUILT_FOR = '3.24.6';

/** The mysql2 modules the row reader relies on, passed in so a test can hand over broken ones. */
export interface Mysql2Internals {
  version: string;
  /** mysql2/promise's PromiseConnection: keeps the core connection as `.connection`. */
  PromiseConnection: unknown;
  /** lib/base/connection.js: query(options, params, cb), pause(), resume(), static createQuery. */
  BaseConnection: unknown;
  /** lib/commands/query.js: the Query command whose row state the reader replaces. */
  Query: unknown;
  /** lib/packets/packet.js: buffer, offset, isEOF(). */
  Packet: unknown;
}

type Ctor = new (...args: unknown[]) => Record<string, unknown>;
type Proto = Record<string, unknown>;

/** Every way the given modules differ from what the row reader needs; empty when they fit. */
export function rowReaderProblems(m: Mysql2Internals): string[] {
  const problems: string[] = [];
  const step = (what: string, body: () => string | undefined) => {
    try {
      const p = body();
      if (p) problems.push(`${what}: ${p}`);
    } catch (e) {
      problems.push(`${what}: ${messageOf(e)}`);
    }
  };
  const fn = (x: unknown) => typeof x === 'function';

  step('PromiseConnection keeps the core connection as .connection', () => {
    if (!fn(m.PromiseConnection)) return 'not a class';
    const core = new EventEmitter();
    return new (m.PromiseConnection as Ctor)(core).connection === core ? undefined : '.connection is not it';
  });
  step('core connection has query(), pause(), resume() and createQuery()', () => {
    if (!fn(m.BaseConnection)) return 'not a class';
    const proto = (m.BaseConnection as Ctor).prototype as Proto;
    const missing = ['query', 'pause', 'resume'].filter((k) => !fn(proto[k]));
    if (!fn((m.BaseConnection as unknown as Proto).createQuery)) missing.push('createQuery (static)');
    return missing.length ? `missing ${missing.join(', ')}` : undefined;
  });
  const eof = () => new (m.Packet as Ctor)(0, Buffer.from([5, 0, 0, 0, 0xfe, 0, 0, 2, 0]), 0, 9);
  step('Packet has buffer, offset and isEOF()', () => {
    if (!fn(m.Packet)) return 'not a class';
    const row = Buffer.from([2, 0, 0, 1, 1, 0x61]);
    const p = new (m.Packet as Ctor)(1, row, 0, row.length);
    if (p.buffer !== row || p.offset !== 4) return 'buffer/offset are not the packet bytes and the payload start';
    if (!fn(p.isEOF)) return 'no isEOF()';
    if ((p.isEOF as () => boolean)() !== false || (eof().isEOF as () => boolean)() !== true)
      return 'isEOF() does not tell a row from an EOF packet';
    return undefined;
  });
  step('Query command: createQuery makes one, fieldsEOF hands over to this.row, row() ends on EOF', () => {
    if (!fn(m.Query) || !fn(m.BaseConnection)) return 'not a class';
    const proto = (m.Query as Ctor).prototype as Proto;
    if (!fn(proto.row) || !fn(proto.fieldsEOF)) return 'no row() or fieldsEOF()';
    const q = (m.BaseConnection as unknown as { createQuery: (...a: unknown[]) => unknown }).createQuery(
      { sql: 'SELECT 1', rowsAsArray: true },
      [],
      () => undefined,
      {},
    );
    if (!(q instanceof (m.Query as Ctor))) return 'createQuery does not make a Query';
    // The reader puts its own row() on the query: fieldsEOF must read this.row, not Query's.
    const ownRow = () => undefined;
    const next = (proto.fieldsEOF as (...a: unknown[]) => unknown).call({ row: ownRow }, eof(), {
      protocolError: () => 'protocol error',
    });
    if (next !== ownRow) return 'fieldsEOF does not continue with the row state set on the query';
    // On the result's EOF the reader calls Query's row(), which must finish the command.
    const done = Symbol('done');
    const end = (proto.row as (...a: unknown[]) => unknown).call({ done: () => done, _resultIndex: 0 }, eof(), {});
    return end === done ? undefined : "row() does not finish the command on the result's EOF";
  });
  return problems;
}

/** Throws the operator's error when the installed mysql2 does not fit the row reader. */
export function checkRowReaderInternals(m: Mysql2Internals): void {
  const problems = rowReaderProblems(m);
  if (!problems.length) return;
  throw new ConvergeError(
    'INTERNAL',
    `the installed mysql2 ${m.version} does not have the internals converge's row reader relies on ` +
      `(converge was built and tested with mysql2 ${MYSQL2_BUILT_FOR}): ${problems.join('; ')}. ` +
      `Install mysql2 ${MYSQL2_BUILT_FOR} exactly (npm ci installs the pinned version); ` +
      `moving to another mysql2 needs the row reader (src/source/mysql/row-bytes.ts) checked against it first`,
    { stage: 'export', installed: m.version, builtFor: MYSQL2_BUILT_FOR, problems },
  );
}

/** The installed mysql2's modules. Its package exports hide lib/, so they load by file path. */
export function loadMysql2Internals(): Mysql2Internals {
  let version = 'unknown';
  try {
    version = (require('mysql2/package.json') as { version: string }).version;
    const dir = path.dirname(require.resolve('mysql2/package.json'));
    return {
      version,
      PromiseConnection: (require('mysql2/promise') as { PromiseConnection: unknown }).PromiseConnection,
      BaseConnection: require(path.join(dir, 'lib', 'base', 'connection.js')),
      Query: require(path.join(dir, 'lib', 'commands', 'query.js')),
      Packet: require(path.join(dir, 'lib', 'packets', 'packet.js')),
    };
  } catch (e) {
    throw new ConvergeError(
      'INTERNAL',
      `cannot load the parts of mysql2 ${version} converge's row reader relies on (built for mysql2 ${MYSQL2_BUILT_FOR}): ${messageOf(e)}. Install mysql2 ${MYSQL2_BUILT_FOR} exactly (npm ci)`,
      { stage: 'export', installed: version, builtFor: MYSQL2_BUILT_FOR },
      { cause: e },
    );
  }
}

let checked = false;

/** Runs the check once per process: before the first table is read. */
export function ensureRowReaderInternals(): void {
  if (checked) return;
  checkRowReaderInternals(loadMysql2Internals());
  checked = true;
}

import net from 'node:net';
import { ExitCode } from '../../../src/core/exit-codes';
import type { ArrangedFault, CaseContext, CorpusCase } from '../../helpers/corpus-case';
import { commonArgs } from '../../helpers/corpus-world';

const PW = 'Wr0ng-corpus-pw';
const source = (url: (c: CaseContext) => string) => (c: CaseContext) => ['export', ...commonArgs(c).slice(0, 2), '--source', url(c), '--target', c.targetUrl, '--work-dir', c.work];
const target = (url: (c: CaseContext) => string) => (c: CaseContext) => ['import', ...commonArgs(c).slice(0, 4), '--target', url(c), '--work-dir', c.work];
const dbOf = (url: string) => url.slice(url.lastIndexOf('/') + 1);
/**
 * A Postgres server of the case's own that accepts and never says a word, counting the
 * connections made to it: the command must wait for it once, not once per connection it opens.
 */
async function silentTarget(): Promise<ArrangedFault> {
  const held: net.Socket[] = [];
  const server = net.createServer((s) => held.push(s));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  return {
    targetUrl: `postgres://postgres:${PW}@127.0.0.1:${port}/nowhere`,
    teardown: async () => {
      for (const s of held) s.destroy();
      await new Promise((r) => server.close(r));
    },
    check: async () => expect({ connections: held.length }).toEqual({ connections: 1 }),
  };
}

/**
 * Servers that refuse, are absent or never answer: loopback only. Each must fail with exit 4
 * within the connect time-out (the CLI is killed after 60 s, so a hang fails the exit-code check).
 */
const waitedOnce = (command: 'import' | 'transform', from: 'export' | 'transform'): CorpusCase => ({
  name: `Postgres that never answers ${command}, given --connect-timeout-ms: waited for once`,
  stage: 'connect',
  from,
  mapping: 'tables:\n  plain: { columns: { id: integer, s: text } }\n',
  fault: silentTarget,
  run: (c) => [command, ...commonArgs(c), '--connect-timeout-ms', '700'],
  migrate: { sameError: true },
  expect: { exit: ExitCode.Connection, code: 'CONNECT_FAILED', message: /no answer within 700 ms \(connect time-out/, where: () => ['postgres://postgres@127.0.0.1:'], absent: () => [PW] },
  after: { incomplete: command === 'transform' ? ['transform'] : [] },
});

export const connectCases: CorpusCase[] = [
  {
    name: 'wrong MySQL password',
    stage: 'connect',
    run: source((c) => `mysql://root:${PW}@127.0.0.1:3306/${dbOf(c.sourceUrl)}`),
    migrate: { sameError: true },
    expect: { exit: ExitCode.Connection, code: 'AUTH_FAILED', message: /check the user and password/, where: () => ['mysql://root@127.0.0.1:3306'], absent: () => [PW] },
    after: { incomplete: ['export'] },
  },
  {
    name: 'unknown Postgres role with a password',
    stage: 'connect',
    from: 'transform',
    mapping: 'tables:\n  plain: { columns: { id: integer, s: text } }\n',
    pg: 'CREATE TABLE plain (id integer PRIMARY KEY, s text);',
    run: target((c) => `postgres://cvt_nobody:${PW}@127.0.0.1:5432/${dbOf(c.targetUrl)}`),
    migrate: { sameError: true },
    expect: { exit: ExitCode.Connection, code: 'AUTH_FAILED', where: () => ['postgres://cvt_nobody@127.0.0.1:5432'], absent: () => [PW] },
    after: { rows: { plain: 0 } },
  },
  {
    name: 'MySQL on a closed port',
    stage: 'connect',
    run: source((c) => `mysql://root:${PW}@127.0.0.1:${c.closedPort}/db`),
    migrate: { sameError: true },
    expect: { exit: ExitCode.Connection, code: 'CONNECT_FAILED', message: /connection refused/, where: (c) => [`127.0.0.1:${c.closedPort}`], absent: () => [PW] },
    after: { incomplete: ['export'] },
  },
  {
    name: 'Postgres on a closed port',
    stage: 'connect',
    from: 'transform',
    mapping: 'tables:\n  plain: { columns: { id: integer, s: text } }\n',
    run: target((c) => `postgres://postgres:${PW}@127.0.0.1:${c.closedPort}/db`),
    migrate: { sameError: true },
    expect: { exit: ExitCode.Connection, code: 'CONNECT_FAILED', message: /connection refused/, where: (c) => [`127.0.0.1:${c.closedPort}`], absent: () => [PW] },
  },
  {
    name: 'MySQL that accepts and never answers (bounded by the connect time-out)',
    stage: 'connect',
    run: source((c) => `mysql://root:${PW}@127.0.0.1:${c.silentPort}/db?connect_timeout_ms=500`),
    migrate: { sameError: true },
    expect: { exit: ExitCode.Connection, code: 'CONNECT_FAILED', message: /no answer within 500 ms/, absent: () => [PW] },
    after: { incomplete: ['export'] },
  },
  {
    name: 'Postgres that accepts and never answers (bounded by the connect time-out)',
    stage: 'connect',
    from: 'transform',
    mapping: 'tables:\n  plain: { columns: { id: integer, s: text } }\n',
    run: target((c) => `postgres://postgres:${PW}@127.0.0.1:${c.silentPort}/db?connect_timeout_ms=500`),
    migrate: { sameError: true },
    expect: { exit: ExitCode.Connection, code: 'CONNECT_FAILED', message: /no answer within 500 ms/, absent: () => [PW] },
  },
  {
    name: 'MySQL that never answers, bounded by CONVERGE_CONNECT_TIMEOUT_MS',
    stage: 'connect',
    env: { CONVERGE_CONNECT_TIMEOUT_MS: '700' },
    run: source((c) => `mysql://root:${PW}@127.0.0.1:${c.silentPort}/db`),
    migrate: { sameError: true },
    expect: { exit: ExitCode.Connection, code: 'CONNECT_FAILED', message: /no answer within 700 ms \(connect time-out/, where: (c) => [`127.0.0.1:${c.silentPort}`], absent: () => [PW] },
    after: { incomplete: ['export'] },
  },
  {
    name: 'Postgres that never answers: connect_timeout in the URL beats CONVERGE_CONNECT_TIMEOUT_MS',
    stage: 'connect',
    from: 'transform',
    mapping: 'tables:\n  plain: { columns: { id: integer, s: text } }\n',
    env: { CONVERGE_CONNECT_TIMEOUT_MS: '700' },
    run: target((c) => `postgres://postgres:${PW}@127.0.0.1:${c.silentPort}/db?connect_timeout=1`),
    migrate: { sameError: true },
    expect: { exit: ExitCode.Connection, code: 'CONNECT_FAILED', message: /no answer within 1000 ms \(connect time-out/, where: (c) => [`127.0.0.1:${c.silentPort}`], absent: () => [PW] },
  },
  // The run history's connection and the command's own would each wait out the time-out: one attempt only.
  waitedOnce('import', 'transform'),
  waitedOnce('transform', 'export'),
  {
    name: 'MySQL database that does not exist',
    stage: 'connect',
    run: source(() => 'mysql://root@127.0.0.1:3306/cvt_corpus_no_such_db'),
    migrate: { sameError: true },
    expect: { exit: ExitCode.Connection, code: 'CONNECT_FAILED', message: /"cvt_corpus_no_such_db" does not exist/ },
    after: { incomplete: ['export'] },
  },
  {
    name: 'Postgres database that does not exist',
    stage: 'connect',
    from: 'transform',
    mapping: 'tables:\n  plain: { columns: { id: integer, s: text } }\n',
    run: target(() => 'postgres://postgres@127.0.0.1:5432/cvt_corpus_no_such_db'),
    migrate: { sameError: true },
    expect: { exit: ExitCode.Connection, code: 'CONNECT_FAILED', message: /"cvt_corpus_no_such_db" does not exist/ },
  },
];

import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { ExitCode } from '../../src/core/exit-codes';
import { createMysqlDb, createPgDb, TestDb, uniqueName } from '../helpers/databases';
import { runCli } from '../helpers/run-cli';

/** Mistakes a new operator makes on the first day: each is a clear error with its exit code, never a stack trace. */
let my: TestDb;
let pg: TestDb;
let dir: string;
let pipelineFile: string;

beforeAll(async () => {
  [my, pg] = await Promise.all([createMysqlDb('operr'), createPgDb('operr')]);
  dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'converge-operr-'));
  await fsp.mkdir(path.join(dir, 'mapping'));
  await fsp.writeFile(path.join(dir, 'mapping', 'mapping.yaml'), 'tables: {}\n');
  pipelineFile = path.join(dir, 'pipeline.yaml');
  await fsp.writeFile(
    pipelineFile,
    `name: operr\nsource: { database: ${my.name} }\ntarget: { database: x }\nmapping: mapping\n`,
  );
});

afterAll(async () => {
  await Promise.all([my?.drop(), pg?.drop()]);
  if (dir) await fsp.rm(dir, { recursive: true, force: true });
});

const common = () => ['--pipeline', pipelineFile, '--source', my.url, '--target', pg.url, '--work-dir', dir];

test('an unknown --log-level is a usage error naming the levels, not a crash', async () => {
  const r = await runCli(['export', ...common(), '--log-level', 'loud']);
  expect(r.code).toBe(ExitCode.Usage);
  expect(r.stderr).toMatch(/USAGE: .*log level "loud" is not one of fatal, error, warn, info, debug, trace, silent/);
  expect(r.stderr).not.toMatch(/this is a bug|\n\s+at /);
});

test('import before transform names the command to run first', async () => {
  const r = await runCli(['import', ...common()]);
  expect(r.code).toBe(ExitCode.BadConfig);
  expect(r.stderr).toMatch(/run the previous stage first \(converge transform, or converge migrate --keep-files\)/);
});

test('a MySQL user that signs in only through the socket (error 1698) is an authentication failure with the reason', async () => {
  const user = uniqueName('sock').slice(0, 32);
  const admin = await mysql.createConnection({ uri: my.url });
  try {
    await admin.query(`CREATE USER '${user}'@'%' IDENTIFIED VIA unix_socket`);
    const url = new URL(my.url);
    url.username = user;
    url.password = 'whatever';
    const r = await runCli(['export', ...common(), '--source', url.toString()]);
    expect(r.code).toBe(ExitCode.Connection);
    expect(r.stderr).toMatch(/AUTH_FAILED: .*signs in through the server's socket \(unix_socket\)/);
    expect(r.stderr).not.toContain('whatever');
  } finally {
    await admin.query(`DROP USER IF EXISTS '${user}'@'%'`);
    await admin.end();
  }
});

test.each([
  ['/proc', `/proc/${uniqueName('workdir')}`],
  ['/proc/self', `/proc/self/${uniqueName('workdir')}/run`],
  ['a file', '/dev/null/work'],
])('a --work-dir under %s fails at once with an I/O error naming it, never spins', async (_what, workDir) => {
  // The guard kills a child that hangs (Node's recursive mkdir retries for ever under /proc):
  // the exit code below then fails the test.
  const r = await runCli(['export', ...common().slice(0, -2), '--work-dir', workDir], {}, 60_000);
  expect(r.code).toBe(ExitCode.Io);
  expect(r.stderr).toMatch(/IO_FAILED: .*cannot create directory/);
  expect(r.stderr).toContain(workDir);
  expect(r.stderr).not.toMatch(/this is a bug|\n\s+at /);
});

import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ExitCode } from '../../src/core/exit-codes';
import { DEFAULT_SOURCE_URL, DEFAULT_TARGET_URL } from '../../src/core/settings';
import { uniqueName } from '../helpers/databases';
import { runCli } from '../helpers/run-cli';

/**
 * The defaults `converge env` shows are the ones every connecting command uses: with no --source,
 * --target or variable, each reaches the default servers (here, for a pipeline whose databases do
 * not exist, each names the default host in its connection error). CONVERGE_JOBS is read by
 * every command with --jobs.
 */
let dir: string;
let project: string;
let db: string;
// Empty counts as unset: the child sees no URL from this machine's environment.
const noUrls = { CONVERGE_SOURCE_URL: '', CONVERGE_TARGET_URL: '', CONVERGE_JOBS: '', CONVERGE_ENV_FILE: '' };

beforeAll(async () => {
  dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'converge-defaults-'));
  project = path.join(dir, 'project');
  db = uniqueName('defaults');
  const r = await runCli(['init', project, '--name', db]);
  expect(r.code).toBe(ExitCode.Ok);
});

afterAll(async () => {
  if (dir) await fsp.rm(dir, { recursive: true, force: true });
});

const hostOf = (url: string) => new URL(url).host;

test.each([
  ['export', 'source'],
  ['map init', 'source'],
  ['migrate', 'target'],
  ['import', 'target'],
  ['verify', 'target'],
  ['cutover', 'source'],
  ['follow', 'target'],
  ['follow status', 'target'],
  ['runs list', 'target'],
  ['rollback 0123abcd', 'target'],
] as const)('converge %s with no URL connects to the default %s', async (command, side) => {
  const env = { ...noUrls, CONVERGE_WORK_DIR: path.join(dir, 'work') };
  const r = await runCli([...command.split(' '), '--project', project], env);
  const out = r.stdout + r.stderr;
  expect(out).not.toMatch(/no (source|target): pass/);
  const host = hostOf(side === 'source' ? DEFAULT_SOURCE_URL : DEFAULT_TARGET_URL);
  expect(out).toContain(`${host}/${db}`);
  expect(r.code).toBe(ExitCode.Connection);
});

test('converge doctor with no URL checks both default servers', async () => {
  const r = await runCli(['doctor', '--json', '--work-dir', dir], noUrls);
  const checks = JSON.parse(r.stdout) as Array<{ end: string; name: string; value: string }>;
  const value = (end: string) => checks.find((c) => c.end === end && c.name === 'connection')!.value;
  expect(value('source')).toContain(hostOf(DEFAULT_SOURCE_URL));
  expect(value('target')).toContain(hostOf(DEFAULT_TARGET_URL));
});

test.each([['export'], ['import'], ['migrate'], ['rehearse']])(
  'converge %s reads CONVERGE_JOBS (a bad value is refused before anything runs)',
  async (command) => {
    const r = await runCli([command, '--project', project, '--pipeline', db], { ...noUrls, CONVERGE_JOBS: '0' });
    expect(r.stderr).toContain('CONVERGE_JOBS="0" (from env) must be a whole number of at least 1');
    expect(r.code).toBe(ExitCode.BadConfig);
  },
);

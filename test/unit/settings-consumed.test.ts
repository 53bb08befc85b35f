import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import {
  resolveJobs,
  resolveSource,
  resolveTarget,
  resolveWorkDir,
  SETTINGS,
  SettingSpec,
} from '../../src/core/settings';
import { cliProgram, leafCommands } from '../helpers/cli-program';

/**
 * No setting exists that nothing reads: each one `converge env` lists must change what the
 * commands are given (the connections, the jobs, the work directory), and every command takes
 * those from the one resolver, never a default of its own.
 */
const saved = { ...process.env };
beforeEach(() => {
  for (const k of Object.keys(process.env)) if (k.startsWith('CONVERGE_')) delete process.env[k];
});
afterEach(() => {
  process.env = { ...saved };
});

/** What the commands are given: everything a setting may end up in. */
const consumed = () => ({
  source: resolveSource({}),
  target: resolveTarget({}),
  jobs: resolveJobs({}),
  workDir: resolveWorkDir({}, 'shop'),
});

/** A valid value that differs from the default. */
function otherValue(s: SettingSpec): string {
  const special: Record<string, string> = {
    source: 'mysql://app@db.example:3307/shop',
    target: 'postgres://app@db.example:5433/shop',
    workDir: 'elsewhere',
    sourceSslMode: 'REQUIRED',
    targetSslmode: 'require',
  };
  if (special[s.key]) return special[s.key];
  if (s.fallback !== undefined && /^\d+$/.test(s.fallback)) return String(Number(s.fallback) + 7);
  // The rest name files (certificates, keys): read when connecting, carried until then.
  return `/etc/converge/${s.key}.pem`;
}

/** Settings only valid together: each is changed with its partner already set. */
const PARTNER: Record<string, string> = {
  sourceSslCert: 'sourceSslKey',
  sourceSslKey: 'sourceSslCert',
  targetSslcert: 'targetSslkey',
  targetSslkey: 'targetSslcert',
};

test.each(SETTINGS.map((s) => [s.env, s] as const))('%s changes what the commands are given', (_env, s) => {
  const partner = SETTINGS.find((p) => p.key === PARTNER[s.key]);
  if (partner) {
    process.env[partner.env] = otherValue(partner);
    process.env[s.env] = `/etc/converge/first-${s.key}.pem`;
  }
  const before = JSON.stringify(consumed());
  process.env[s.env] = otherValue(s);
  expect(JSON.stringify(consumed())).not.toBe(before);
});

test('the consumers are called by the commands, outside the settings module', () => {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const f of readdirSync(dir)) {
      const p = path.join(dir, f);
      if (statSync(p).isDirectory()) walk(p);
      else if (p.endsWith('.ts') && !p.endsWith(path.join('core', 'settings.ts'))) files.push(p);
    }
  };
  walk(path.resolve(__dirname, '../../src'));
  const text = files.map((f) => readFileSync(f, 'utf8')).join('\n');
  for (const fn of ['resolveSource', 'resolveTarget', 'resolveJobs', 'resolveWorkDir'])
    expect(text).toMatch(new RegExp(`\\b${fn}\\(`));
});

test("no command has a default of its own for a setting's flag (the variable and the shown default apply)", () => {
  const flags = new Set(SETTINGS.map((s) => s.flag));
  const own: string[] = [];
  for (const { name, cmd } of leafCommands(cliProgram()))
    for (const o of cmd.options)
      if (o.long && flags.has(o.long) && o.defaultValue !== undefined) own.push(`${name} ${o.long}=${o.defaultValue}`);
  expect(own).toEqual([]);
});

test('every command with --jobs describes CONVERGE_JOBS', () => {
  const withJobs = leafCommands(cliProgram()).filter(({ cmd }) => cmd.options.some((o) => o.long === '--jobs'));
  // env lists every setting as a flag, to show what it would resolve to.
  expect(withJobs.map((c) => c.name).sort()).toEqual(['env', 'export', 'import', 'migrate', 'rehearse']);
  for (const { cmd } of withJobs)
    expect(cmd.options.find((o) => o.long === '--jobs')!.description).toContain('CONVERGE_JOBS');
});

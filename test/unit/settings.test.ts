import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import {
  formatShell,
  formatTable,
  register as registerEnv,
  settingsJson,
  shellQuote,
} from '../../src/cli/commands/env';
import { loadDotEnv } from '../../src/core/dotenv';
import { ConvergeError } from '../../src/core/errors';
import {
  DEFAULT_JOBS,
  resolveConnectionSettings,
  resolveJobs,
  resolveSource,
  resolveTarget,
  resolveWorkDir,
  SETTINGS,
} from '../../src/core/settings';

const saved = { ...process.env };
let dir: string;

beforeEach(() => {
  for (const k of Object.keys(process.env)) if (k.startsWith('CONVERGE_')) delete process.env[k];
  dir = mkdtempSync(path.join(os.tmpdir(), 'converge-settings-'));
  // Resets the record of which names came from .env.
  writeFileSync(path.join(dir, 'empty.env'), '');
  loadDotEnv(path.join(dir, 'empty.env'));
});

afterEach(() => {
  process.env = { ...saved };
  writeFileSync(path.join(dir, 'empty.env'), '');
  loadDotEnv(path.join(dir, 'empty.env'));
  rmSync(dir, { recursive: true, force: true });
});

function dotenv(text: string): void {
  const file = path.join(dir, '.env');
  writeFileSync(file, text);
  loadDotEnv(file);
}

const entry = (s: ReturnType<typeof resolveConnectionSettings>, key: string) => s.entries.find((e) => e.key === key);

describe('precedence: flag > environment > .env > default', () => {
  test('each level beats the ones below it', () => {
    process.env.CONVERGE_CONNECT_TIMEOUT_MS = '6000';
    process.env.CONVERGE_JOBS = '2';
    dotenv('CONVERGE_CONNECT_TIMEOUT_MS=5000\nCONVERGE_JOBS=3\nCONVERGE_WORK_DIR=from-dotenv\n');
    const s = resolveConnectionSettings({ connectTimeoutMs: '7000' });
    expect(entry(s, 'connectTimeoutMs')).toMatchObject({
      value: '7000',
      from: 'flag',
      name: 'CONVERGE_CONNECT_TIMEOUT_MS',
    });
    expect(entry(s, 'jobs')).toMatchObject({ value: '2', from: 'env' });
    expect(entry(s, 'workDir')).toMatchObject({ value: 'from-dotenv', from: 'dotenv' });
    expect(entry(s, 'statementTimeoutMs')).toMatchObject({ value: '0', from: 'default' });
    expect(s.jobs).toBe(2);
    expect(s.workDir).toBe('from-dotenv');
    expect(s.connectTimeoutMs).toBe(7000);
    expect(s.lockWaitTimeoutS).toBe(60);
  });

  test('flags are found by commander key or by their spelling', () => {
    expect(resolveConnectionSettings({ 'statement-timeout-ms': '9' }).statementTimeoutMs).toBe(9);
    expect(resolveConnectionSettings({ '--jobs': '8' }).jobs).toBe(8);
    expect(resolveConnectionSettings({ jobs: '3' }).jobs).toBe(3);
  });

  test('time-outs and TLS settings land in the connection parameters', () => {
    process.env.CONVERGE_CONNECT_TIMEOUT_MS = '2500';
    process.env.CONVERGE_TARGET_SSLMODE = 'verify-full';
    const s = resolveConnectionSettings({ lockWaitTimeoutS: '5', sourceSslMode: 'REQUIRED' });
    expect(s.target.params).toMatchObject({
      sslmode: 'verify-full',
      connect_timeout_ms: '2500',
      statement_timeout_ms: '0',
    });
    expect(s.source.params).toMatchObject({
      'ssl-mode': 'REQUIRED',
      connect_timeout_ms: '2500',
      lock_wait_timeout: '5',
    });
    expect(s.target.params.lock_wait_timeout).toBeUndefined();
  });

  test('a parameter inside a URL counts with the URL provenance; ties go to the dedicated setting', () => {
    process.env.CONVERGE_TARGET_SSLMODE = 'disable';
    const fromFlag = resolveConnectionSettings({ target: 'postgres://u@db.example:5432/app?sslmode=verify-full' });
    expect(fromFlag.target.params.sslmode).toBe('verify-full');
    expect(entry(fromFlag, 'targetSslmode')).toMatchObject({ value: 'verify-full', from: 'flag', via: '--target' });

    process.env.CONVERGE_TARGET_URL = 'postgres://u@db.example:5432/app?sslmode=verify-full';
    expect(resolveConnectionSettings({}).target.params.sslmode).toBe('disable');
    expect(resolveConnectionSettings({ targetSslmode: 'require' }).target.params.sslmode).toBe('require');
  });

  test('a URL connect_timeout (seconds) beats a lower-ranked shared time-out for its side only', () => {
    process.env.CONVERGE_CONNECT_TIMEOUT_MS = '4000';
    const s = resolveConnectionSettings({ target: 'postgres://u@h:5432/d?connect_timeout=3' });
    expect(s.target.params.connect_timeout_ms).toBe('3000');
    expect(s.source.params.connect_timeout_ms).toBe('4000');
    expect(entry(s, 'connectTimeoutMs@target')).toMatchObject({ value: '3000', from: 'flag', via: '--target' });
  });

  test('resolveSource/resolveTarget: flag, else variable, else the default converge env shows', () => {
    expect(resolveSource('mysql://root@127.0.0.1:3306/x').database).toBe('x');
    // A parameter in the URL still beats a built-in default.
    expect(resolveSource('mysql://root@127.0.0.1:3306/x?connect_timeout=2').params.connect_timeout_ms).toBe('2000');
    expect(resolveTarget(undefined)).toMatchObject({ host: '127.0.0.1', port: 5432, user: 'postgres' });
    expect(resolveSource({})).toMatchObject({ host: '127.0.0.1', port: 3306, user: 'root' });
    process.env.CONVERGE_TARGET_URL = 'postgres://a@h:1/d';
    expect(resolveTarget(undefined).port).toBe(1);
  });

  test('--jobs, else CONVERGE_JOBS, else one default; a bad flag is a usage error, a bad variable configuration', () => {
    expect(resolveJobs({})).toBe(DEFAULT_JOBS);
    process.env.CONVERGE_JOBS = '3';
    expect(resolveJobs({})).toBe(3);
    expect(resolveJobs({ jobs: '5' })).toBe(5);
    expect(() => resolveJobs({ jobs: '0' })).toThrow(expect.objectContaining({ code: 'USAGE' }));
    process.env.CONVERGE_JOBS = 'many';
    expect(() => resolveJobs({})).toThrow(/CONVERGE_JOBS="many" \(from env\) must be a whole number/);
  });

  test('the work directory: flag, else variable, else converge-work/<pipeline>, absolute', () => {
    expect(resolveWorkDir({}, 'shop')).toBe(path.resolve('converge-work', 'shop'));
    process.env.CONVERGE_WORK_DIR = 'here';
    expect(resolveWorkDir({}, 'shop')).toBe(path.resolve('here'));
    expect(resolveWorkDir({ workDir: 'there' }, 'shop')).toBe(path.resolve('there'));
  });

  test('bad numbers are configuration errors naming the variable and where it came from', () => {
    process.env.CONVERGE_JOBS = 'many';
    expect(() => resolveConnectionSettings({})).toThrow(/CONVERGE_JOBS="many" \(from env\) must be a whole number/);
    delete process.env.CONVERGE_JOBS;
    expect(() => resolveConnectionSettings({ connectTimeoutMs: '0' })).toThrow(ConvergeError);
  });
});

describe('converge env output', () => {
  const pw = `p'a"s$s w@rd\`x`;
  const url = `postgres://app:${encodeURIComponent(pw)}@db.internal:5432/app?sslmode=verify-full`;

  test('the table and JSON mask passwords and say where values came from', () => {
    dotenv('CONVERGE_JOBS=3\n');
    const s = resolveConnectionSettings({ target: url });
    const table = formatTable(s);
    const json = JSON.stringify(settingsJson(s));
    for (const text of [table, json]) {
      expect(text).not.toContain(encodeURIComponent(pw));
      expect(text).not.toContain('s$s');
      expect(text).toContain('postgres://app:****@db.internal:5432/app?sslmode=verify-full');
    }
    expect(table).toMatch(/CONVERGE_TARGET_URL\s+\S+\s+flag --target/);
    expect(table).toMatch(/CONVERGE_JOBS\s+3\s+\.env/);
    expect(table).toMatch(/CONVERGE_TARGET_SSLMODE\s+verify-full\s+flag, inside --target/);
    expect(table).toContain('target TLS: verify-full (verify chain and host name)');
  });

  test('--shell lines round-trip through bash eval, secrets included', () => {
    const workDir = "it's a $HOME `dir`\nwith a newline";
    const s = resolveConnectionSettings({ target: url, workDir });
    const script = formatShell(s);
    expect(script).not.toMatch(/CONVERGE_JOBS/); // defaults are not exported
    const read = (name: string) =>
      execFileSync('bash', ['--norc', '-c', `eval "$1"; printf %s "$${name}"`, '_', script], {
        encoding: 'utf8',
        env: { PATH: process.env.PATH ?? '' },
      });
    expect(read('CONVERGE_TARGET_URL')).toBe(url);
    expect(read('CONVERGE_WORK_DIR')).toBe(workDir);
    expect(read('CONVERGE_TARGET_SSLMODE')).toBe('verify-full');
  });

  test('shellQuote survives every single quote', () => {
    expect(
      execFileSync('bash', ['--norc', '-c', `printf %s ${shellQuote("''a'b''")}`], {
        encoding: 'utf8',
        env: { PATH: process.env.PATH ?? '' },
      }),
    ).toBe("''a'b''");
  });

  test('the command prints through stdout and records exit 0', async () => {
    const program = new Command('converge').exitOverride();
    let code = -1;
    registerEnv(program, (c) => (code = c));
    const chunks: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      chunks.push(String(chunk));
      return true;
    });
    try {
      await program.parseAsync([
        'node',
        'converge',
        'env',
        '--json',
        '--source',
        'mysql://root:hunter2@127.0.0.1:3306/db',
        '--source-ssl-mode',
        'VERIFY_CA',
      ]);
    } finally {
      spy.mockRestore();
    }
    expect(code).toBe(0);
    const out = JSON.parse(chunks.join(''));
    expect(out.settings.find((e: { name: string }) => e.name === 'CONVERGE_SOURCE_URL')).toEqual({
      name: 'CONVERGE_SOURCE_URL',
      key: 'source',
      value: 'mysql://root:****@127.0.0.1:3306/db',
      from: 'flag',
    });
    expect(out.tls).toEqual({ source: 'VERIFY_CA', target: 'prefer' });
    expect(chunks.join('')).not.toContain('hunter2');
  });

  test('every setting has a CONVERGE_ name and a flag', () => {
    for (const s of SETTINGS) {
      expect(s.env).toMatch(/^CONVERGE_[A-Z_]+$/);
      expect(s.flag).toMatch(/^--[a-z-]+$/);
    }
  });
});

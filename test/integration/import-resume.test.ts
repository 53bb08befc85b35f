import { spawn } from 'node:child_process';
import path from 'node:path';
import { counts, importFixture, ImportFixture, triggerStates } from './import-fixture';

const BIN = path.resolve(__dirname, '../../bin/converge.js');

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI and sends it SIGKILL the moment a log line matches (no chance to clean up). */
function runUntil(
  args: string[],
  killWhen?: (line: { msg?: string; table?: string; tables?: string[] }) => boolean,
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, CONVERGE_LOG_FORMAT: 'json' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let partial = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d;
      const lines = (partial + d.toString()).split('\n');
      partial = lines.pop()!;
      for (const l of lines) {
        let parsed: Record<string, unknown>;
        try {
          parsed = JSON.parse(l);
        } catch {
          continue;
        }
        if (killWhen?.(parsed)) child.kill('SIGKILL');
      }
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** After any kill every table holds all of its rows or none: never a part, never twice. */
async function expectWholeTables(f: ImportFixture): Promise<Record<string, number>> {
  const c = await counts(f.pg);
  for (const [t, n] of Object.entries(c)) expect([0, f.rows[t]]).toContain(n);
  expect(Object.values(await triggerStates(f.pg))).toEqual(['O', 'O', 'O', 'O']);
  return c;
}

describe('import --resume after kill -9 (built CLI, real Postgres)', () => {
  let f: ImportFixture;
  let args: string[];

  beforeAll(async () => {
    f = await importFixture('impkill', { notes: 60_000 });
    args = [
      'import',
      '--pipeline',
      f.pipelineFile,
      '--work-dir',
      f.workDir,
      '--target',
      f.db.url,
      '--source',
      'mysql://root@127.0.0.1:3306/none',
      '--jobs',
      '2',
    ];
  });
  afterAll(async () => f?.cleanup());

  it('is killed at several points and finishes with every row exactly once', async () => {
    let seen = 0;
    // 1. Killed right after the first group committed.
    const first = await runUntil(args, (l) => l.msg === 'group committed' && ++seen === 1);
    expect(first.signal).toBe('SIGKILL');
    const c1 = await expectWholeTables(f);
    expect(Object.values(c1).some((n) => n > 0)).toBe(true);

    // 2. Resumed, and killed while the big table's COPY is in flight.
    const second = await runUntil(
      [...args, '--resume'],
      (l) => l.msg === 'group started' && !!l.tables?.includes('app.note'),
    );
    expect(second.signal).toBe('SIGKILL');
    await expectWholeTables(f);

    // 3. A plain re-run (no --resume) is refused: the target is not empty.
    const refused = await runUntil(args);
    expect(refused.code).toBe(9);
    expect(refused.stderr).toContain('TARGET_NOT_EMPTY');

    // 4. Resumed again, killed between a table's COPY and its commit.
    const third = await runUntil([...args, '--resume'], (l) => l.msg === 'table loaded');
    await expectWholeTables(f);
    expect(third.signal === 'SIGKILL' || third.code === 0).toBe(true);

    // 5. The last resume completes; committed tables are kept, not loaded twice.
    const last = await runUntil([...args, '--resume']);
    expect(last.stderr).not.toContain('"level":50');
    expect(last.code).toBe(0);
    expect(last.stdout).toMatch(/resumed/);
    expect(await counts(f.pg)).toEqual(f.rows);
    const dup = await f.pg.query(`SELECT count(DISTINCT body)::int AS n FROM app.note`);
    expect(dup.rows[0].n).toBe(f.rows.note);
    const seq = await f.pg.query(`SELECT nextval(pg_get_serial_sequence('app.note', 'id'))::int AS n`);
    expect(seq.rows[0].n).toBe(f.rows.note + 1);
  });

  it('counts a table changed behind its back as a reason to refuse --resume', async () => {
    await f.pg.query(`DELETE FROM app.note WHERE id = 1`);
    const r = await runUntil([...args, '--resume']);
    expect(r.code).toBe(9);
    expect(r.stderr).toContain('app.note holds');
  });
});

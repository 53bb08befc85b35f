import os from 'node:os';
import { Client } from 'pg';
import { runCli } from '../helpers/run-cli';
import { ExitCode } from '../../src/core/exit-codes';
import { checkDisk } from '../../src/doctor/check-disk';
import { createPgDb, MYSQL_BASE, TestDb } from '../helpers/databases';
import { ensureRunSchema } from '../../src/run/run-recorder';
import { resolveTarget as pgTarget } from '../../src/core/settings';

interface Check {
  end: string;
  name: string;
  ok: boolean;
  value: string;
  fix?: string;
}

let pgDb: TestDb;
beforeAll(async () => {
  pgDb = await createPgDb('doctor');
});
afterAll(async () => {
  await pgDb?.drop();
});

describe('converge doctor', () => {
  it('exits 0 when both ends answer, and reports versions, charsets, privileges, disk, the run log and masked settings', async () => {
    // Postgres trusts local connections, so the password is accepted and ignored: it must still never be printed.
    const target = pgDb.url.replace('postgres@', 'postgres:s3cret-pw@');
    const r = await runCli([
      'doctor',
      '--json',
      '--source',
      `${MYSQL_BASE}/mysql`,
      '--target',
      target,
      '--work-dir',
      os.tmpdir(),
    ]);
    expect(r.code).toBe(ExitCode.Ok);
    const checks = JSON.parse(r.stdout) as Check[];
    const names = checks.map((c) => `${c.end}:${c.name}`);
    for (const n of [
      'source:connection',
      'source:character set',
      'source:time zone',
      'source:sql_mode',
      'source:max_allowed_packet',
      'source:privilege SELECT',
      'target:connection',
      'target:encoding',
      'target:time zone',
      'target:privilege INSERT, TRUNCATE (schema public)',
      'target:run log write and read-back',
      'local:free disk for the work directory',
      'local:setting CONVERGE_TARGET_URL',
    ])
      expect(names).toContain(n);
    expect(checks.find((c) => c.name === 'connection' && c.end === 'source')!.value).toMatch(/MariaDB|MySQL|\d+\.\d+/);
    expect(checks.find((c) => c.name === 'run log write and read-back')).toMatchObject({ ok: true });
    expect(checks.find((c) => c.name === 'free disk for the work directory')!.value).toMatch(/free at .* need about/);
    expect(checks.find((c) => c.name === 'setting CONVERGE_TARGET_URL')!.value).toContain('****');
    expect(r.stdout + r.stderr).not.toContain('s3cret-pw');
    expect(checks.find((c) => c.name === 'run log write and read-back')!.value).toMatch(/all rolled back/);
    // Doctor says it rolled back, and did: the fresh target still has no converge schema.
    const pg = new Client({ connectionString: pgDb.url });
    await pg.connect();
    try {
      const { rows } = await pg.query("SELECT count(*)::int AS n FROM pg_namespace WHERE nspname = 'converge'");
      expect(rows[0].n).toBe(0);
      // With the schema there (a run created it), the probe event is rolled back too.
      await ensureRunSchema(pgTarget(pgDb.url));
      const again = await runCli(['doctor', '--json', '--source', `${MYSQL_BASE}/mysql`, '--target', pgDb.url]);
      const probe = (JSON.parse(again.stdout) as Check[]).find((c) => c.name === 'run log write and read-back')!;
      expect(probe).toMatchObject({ ok: true, value: expect.stringContaining('then rolled back') });
      const counts = await pg.query(
        'SELECT (SELECT count(*) FROM converge.runs)::int AS runs, (SELECT count(*) FROM converge.run_events)::int AS events',
      );
      expect(counts.rows[0]).toEqual({ runs: 0, events: 0 });
    } finally {
      await pg.end();
    }
  });

  it('exits with the connection code, in bounded time, when one end does not answer, with the fix', async () => {
    const started = Date.now();
    const r = await runCli(['doctor', '--source', 'mysql://root:s3cret-pw@127.0.0.1:1/mysql', '--target', pgDb.url]);
    expect(r.code).toBe(ExitCode.Connection);
    expect(Date.now() - started).toBeLessThan(30_000);
    // The fix is printed right under the check that failed, not after the whole table.
    const lines = r.stdout.split('\n');
    const row = lines.findIndex((l) => /^source\s+connection\s+PROBLEM/.test(l));
    expect(row).toBeGreaterThan(0);
    expect(lines[row + 1]).toMatch(/^\s+fix \(source connection\): /);
    expect(r.stdout + r.stderr).not.toContain('s3cret-pw');
  });

  it('reports too little disk for the estimated export, with the fix', async () => {
    const c = await checkDisk(os.tmpdir(), 1e18);
    expect(c.ok).toBe(false);
    expect(c.value).toContain('need about');
    expect(c.fix).toMatch(/--work-dir/);
  });
});

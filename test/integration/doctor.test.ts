import { runCli } from '../helpers/run-cli';
import { ExitCode } from '../../src/core/exit-codes';
import { MYSQL_BASE, PG_BASE } from '../helpers/databases';

describe('converge doctor', () => {
  it('exits 0 when both ends answer, and reports versions, charsets and privileges', async () => {
    const r = await runCli(['doctor', '--json', '--source', `${MYSQL_BASE}/mysql`, '--target', `${PG_BASE}/postgres`]);
    expect(r.code).toBe(ExitCode.Ok);
    const checks = JSON.parse(r.stdout) as Array<{ end: string; name: string; ok: boolean; value: string }>;
    const names = checks.map((c) => `${c.end}:${c.name}`);
    for (const n of ['source:connection', 'source:character set', 'source:sql_mode', 'source:max_allowed_packet', 'source:privilege SELECT', 'target:connection', 'target:encoding', 'target:time zone']) expect(names).toContain(n);
    expect(checks.find((c) => c.name === 'connection' && c.end === 'source')!.value).toMatch(/MariaDB|MySQL|\d+\.\d+/);
  });

  it('exits with the connection code, in bounded time, when one end does not answer, with the fix', async () => {
    const started = Date.now();
    const r = await runCli(['doctor', '--source', 'mysql://root:s3cret-pw@127.0.0.1:1/mysql', '--target', `${PG_BASE}/postgres`]);
    expect(r.code).toBe(ExitCode.Connection);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(r.stdout).toContain('fix (source connection)');
    expect(r.stdout + r.stderr).not.toContain('s3cret-pw');
  });
});

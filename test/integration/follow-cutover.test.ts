import mysql from 'mysql2/promise';
import { ExitCode } from '../../src/core/exit-codes';
import { binlogServer, BinlogServer } from '../helpers/binlog-server';
import { startChangeWriter } from '../helpers/change-writer';
import { cutover, followSetup, runEvents, start, waitForState } from '../helpers/follow-setup';
import { runCli } from '../helpers/run-cli';

/**
 * The online cut-over (issue: load while the application writes): a writer inserts, updates and
 * deletes rows of the Kratos and Alkemio fixtures at a steady rate while `converge migrate
 * --follow` loads and follows; when it stops, `converge cutover` applies the rest, and its
 * verify proves source == target. Once with a clean run, once with kill -9 of the follower and
 * a restart (`converge follow`), and a DDL during the follow stops with FOLLOW_DDL.
 */
let server: BinlogServer;

beforeAll(async () => {
  server = await binlogServer();
});
afterAll(async () => {
  await server?.stop();
});

describe('converge migrate --follow and converge cutover', () => {
  it('Kratos: a writer changes rows while migrate --follow loads and follows; cutover verifies source == target', async () => {
    const s = await followSetup(server, 'kratos', 15);
    try {
      const writer = startChangeWriter(s.sourceUrl, {
        database: s.database,
        perSecond: 40,
        seed: 7,
        exclude: ['schema_migration'],
      });
      const proc = start(['migrate', ...s.args, '--follow', '--jobs', '2']);
      try {
        await waitForState(s, (r) => r.status === 'following' && r.changes > 20, proc);
        const stats = await writer.stop();
        expect(stats.inserts).toBeGreaterThan(0);
        expect(stats.updates).toBeGreaterThan(0);
        expect(stats.deletes).toBeGreaterThan(0);
        const r = await cutover(s);
        expect({ code: r.code, out: r.stdout + r.stderr.slice(-3000) }).toEqual({
          code: 0,
          out: expect.stringContaining('write downtime'),
        });
        // The follower saw the stop request and ended cleanly at the cut-over position.
        expect(await proc.exited).toEqual({ code: 0, signal: null });
        const [done] = await runEvents(s, 'cutover.completed');
        expect(done.downtimeSeconds).toBeGreaterThan(0);
      } finally {
        await writer.stop().catch(() => undefined);
        proc.child.kill('SIGKILL');
      }
    } finally {
      await s.cleanup();
    }
  });

  it('Alkemio: kill -9 of the follower mid-follow, converge follow resumes, and cutover verifies source == target', async () => {
    const s = await followSetup(server, 'alkemio', 1);
    try {
      const writer = startChangeWriter(s.sourceUrl, {
        database: s.database,
        perSecond: 40,
        seed: 11,
        exclude: ['migrations_typeorm'],
      });
      const first = start(['migrate', ...s.args, '--follow', '--jobs', '2']);
      let second: ReturnType<typeof start> | undefined;
      try {
        const before = await waitForState(s, (r) => r.status === 'following' && r.changes > 10, first);
        first.child.kill('SIGKILL');
        expect((await first.exited).signal).toBe('SIGKILL');
        second = start(['follow', ...s.args]);
        await waitForState(s, (r) => r.changes > before.changes + 10, second);
        const stats = await writer.stop();
        expect(stats.inserts + stats.updates + stats.deletes).toBeGreaterThan(0);
        const r = await cutover(s);
        expect({ code: r.code, out: r.stdout + r.stderr.slice(-3000) }).toEqual({
          code: 0,
          out: expect.stringContaining('write downtime'),
        });
        expect(await second.exited).toEqual({ code: 0, signal: null });
        const started = await runEvents(s, 'follow.started');
        expect(started.map((p) => p.resumed)).toEqual([false, true]);
      } finally {
        await writer.stop().catch(() => undefined);
        first.child.kill('SIGKILL');
        second?.child.kill('SIGKILL');
      }
    } finally {
      await s.cleanup();
    }
  });

  it('a DDL on a mapped table during the follow stops it with FOLLOW_DDL, the changes before it applied whole', async () => {
    const s = await followSetup(server, 'kratos', 5);
    try {
      const proc = start(['migrate', ...s.args, '--follow', '--jobs', '1']);
      try {
        await waitForState(s, (r) => r.status === 'following', proc);
        const my = await mysql.createConnection({ uri: s.sourceUrl });
        try {
          // One transaction of three rows, then the DDL: the rows must arrive, all of them.
          await my.beginTransaction();
          for (let i = 0; i < 3; i++)
            await my.query(
              "INSERT INTO identity_credential_types (id, name) VALUES (UUID(), CONCAT('follow-test-', ?))",
              [i],
            );
          await my.commit();
          await my.query('ALTER TABLE identity_credential_types ADD COLUMN follow_extra INT NULL');
        } finally {
          await my.end();
        }
        const exit = await proc.exited;
        expect({ code: exit.code, out: proc.output().slice(-2000) }).toEqual({
          code: ExitCode.Follow,
          out: expect.stringContaining('FOLLOW_DDL'),
        });
        expect(proc.output()).toContain('identity_credential_types');
        const pg = await s.pg();
        try {
          const { rows } = await pg.query(
            "SELECT count(*)::int AS n FROM identity_credential_types WHERE name LIKE 'follow-test-%'",
          );
          expect(rows[0].n).toBe(3);
          const st = await pg.query('SELECT status, error FROM converge.follow_state');
          expect(st.rows[0].status).toBe('failed');
          expect(st.rows[0].error).toContain('FOLLOW_DDL');
        } finally {
          await pg.end();
        }
      } finally {
        proc.child.kill('SIGKILL');
      }
    } finally {
      await s.cleanup();
    }
  });
  it('rollback of a followed run removes the followed rows with the loaded ones, and refuses what neither wrote', async () => {
    const s = await followSetup(server, 'kratos', 3);
    try {
      const proc = start(['migrate', ...s.args, '--follow', '--jobs', '1']);
      try {
        await waitForState(s, (r) => r.status === 'following', proc);
        const pg = await s.pg();
        try {
          const runId = (await pg.query('SELECT run_id FROM converge.follow_state')).rows[0].run_id as string;
          // A follower still applying changes would write into the emptied tables.
          const busy = await runCli(['rollback', runId, '--target', s.targetUrl]);
          expect({ code: busy.code, err: busy.stderr }).toEqual({
            code: ExitCode.TargetState,
            err: expect.stringMatching(/TARGET_BUSY.*still being followed/),
          });
          const my = await mysql.createConnection({ uri: s.sourceUrl });
          try {
            await my.beginTransaction();
            for (let i = 0; i < 3; i++)
              await my.query(
                "INSERT INTO identity_credential_types (id, name) VALUES (UUID(), CONCAT('rollback-test-', ?))",
                [i],
              );
            await my.commit();
            await my.query("DELETE FROM identity_credential_types WHERE name = 'rollback-test-0'");
          } finally {
            await my.end();
          }
          await waitForState(s, (r) => r.changes >= 4, proc);
          const r = await cutover(s);
          expect({ code: r.code, out: r.stdout + r.stderr.slice(-3000) }).toEqual({
            code: 0,
            out: expect.stringContaining('write downtime'),
          });
          expect(await proc.exited).toEqual({ code: 0, signal: null });

          // runs show: the switch and its write downtime, in the run's summary.
          const shown = await runCli(['runs', 'show', runId, '--target', s.targetUrl]);
          expect(shown.stdout).toMatch(
            /online cut-over at \S+:\d+: write downtime \d+\.\d s \(frozen .*, verified .*; source frozen by the operator\)/,
          );
          const json = JSON.parse((await runCli(['runs', 'show', runId, '--target', s.targetUrl, '--json'])).stdout);
          expect(json.cutover.downtimeSeconds).toBeGreaterThan(0);

          // After the switch the application writes to the target: that row is no run's.
          await pg.query(
            "INSERT INTO identity_credential_types (id, name) VALUES (gen_random_uuid(), 'written-by-the-application')",
          );
          const refused = await runCli(['rollback', runId, '--target', s.targetUrl, '--dry-run']);
          expect({ code: refused.code, err: refused.stderr }).toEqual({
            code: ExitCode.TargetState,
            err: expect.stringMatching(
              /TARGET_NOT_EMPTY.*identity_credential_types holds \d+ rows, the run left \d+ \(2 of them by its follow\).*after the switch/,
            ),
          });
          await pg.query("DELETE FROM identity_credential_types WHERE name = 'written-by-the-application'");

          const done = await runCli(['rollback', runId, '--target', s.targetUrl, '--json']);
          expect({ code: done.code, err: done.code ? done.stderr : '' }).toEqual({ code: 0, err: '' });
          const res = JSON.parse(done.stdout) as {
            status: string;
            tables: Array<{ table: string; followedRows: number; difference: number; action: string }>;
          };
          expect(res.status).toBe('rolled-back');
          // Seeded by the target's migrations (existing: skip): kept, with the rows its follow added.
          expect(res.tables.find((t) => t.table.endsWith('.identity_credential_types'))).toMatchObject({
            followedRows: 2,
            difference: 0,
            action: 'kept',
          });
          for (const t of res.tables.filter((x) => x.action === 'emptied')) {
            const { rows } = await pg.query(`SELECT count(*)::int AS n FROM ${t.table}`);
            expect({ table: t.table, rows: rows[0].n }).toEqual({ table: t.table, rows: 0 });
          }
          expect(res.tables.filter((x) => x.action === 'emptied').length).toBeGreaterThan(0);
          // The follow of a removed load cannot resume onto the emptied tables.
          expect((await pg.query('SELECT count(*)::int AS n FROM converge.follow_state')).rows[0].n).toBe(0);
          const resume = await runCli(['follow', ...s.args]);
          expect({ code: resume.code, err: resume.stderr }).toEqual({
            code: ExitCode.Usage,
            err: expect.stringContaining('records no follow'),
          });
        } finally {
          await pg.end();
        }
      } finally {
        proc.child.kill('SIGKILL');
      }
    } finally {
      await s.cleanup();
    }
  });
});

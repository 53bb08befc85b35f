import mysql from 'mysql2/promise';
import { ExitCode } from '../../src/core/exit-codes';
import { binlogServer, BinlogServer } from '../helpers/binlog-server';
import { startChangeWriter } from '../helpers/change-writer';
import { cutover, followSetup, runEvents, start, waitForState } from '../helpers/follow-setup';
import { runCli } from '../helpers/run-cli';

/**
 * A verified checkpoint while the application writes (`converge follow checkpoint`), and the
 * switch's proof built on it: every table's count and, by key, the rows the follow changed
 * since. The proof must still catch what it claims to: a changed row that differs on the
 * target, a row removed from the target behind converge's back; without a checkpoint the switch
 * verifies every row, and says so.
 */
let server: BinlogServer;

/** The source's own GTID position at a binary log position. */
async function gtidAt(my: mysql.Connection, file: string, pos: string | number): Promise<string> {
  const [rows] = await my.query('SELECT BINLOG_GTID_POS(?, ?) AS g', [file, Number(pos)]);
  return (rows as Array<{ g: string }>)[0].g;
}

beforeAll(async () => {
  server = await binlogServer();
});
afterAll(async () => {
  await server?.stop();
});

describe('converge follow checkpoint and the switch proof built on it', () => {
  it('a checkpoint under a writer; cutover catches a changed row that differs, then a removed row by counts, then proves by key', async () => {
    const s = await followSetup(server, 'kratos', 3);
    try {
      // identities and selfservice_errors change only by this test's hand.
      const writer = startChangeWriter(s.sourceUrl, {
        database: s.database,
        perSecond: 30,
        seed: 5,
        exclude: ['schema_migration', 'identities', 'selfservice_errors'],
      });
      const proc = start(['migrate', ...s.args, '--follow', '--jobs', '1']);
      const pg = await s.pg();
      const my = await mysql.createConnection({ uri: s.sourceUrl });
      try {
        await waitForState(s, (r) => r.status === 'following' && r.changes > 5, proc);
        const cp = await runCli(['follow', 'checkpoint', ...s.args], {}, 180_000);
        expect({ code: cp.code, out: cp.stdout + cp.stderr.slice(-3000) }).toEqual({
          code: 0,
          out: expect.stringMatching(
            /checkpoint verified at \S+:\d+ \(GTID \d+-\d+-\d+[\d,-]*\): the follower held [\d.]+ s and goes on/,
          ),
        });
        // The GTID position the follower kept up to the snapshot is the source's for it.
        expect(cp.stderr).not.toContain('GTID position differs');
        // The follower goes on after the hold, and applies what the writer wrote meanwhile.
        const held = await waitForState(s, (r) => r.status === 'following', proc);
        await waitForState(s, (r) => r.changes > held.changes + 5, proc);
        const stats = await writer.stop();
        expect(stats.inserts + stats.updates + stats.deletes).toBeGreaterThan(0);
        const [note] = await runEvents(s, 'follow.checkpoint');
        expect(note).toMatchObject({ verified: true });
        // MariaDB's GTID position is recorded beside the snapshot's and the checkpoint's file and
        // offset, and names the same point as the source's own reading of them.
        const cpRow = (await pg.query('SELECT binlog_file, binlog_pos, gtid FROM converge.follow_checkpoints')).rows[0];
        const startRow = (await pg.query('SELECT start_file, start_pos, start_gtid FROM converge.follow_state'))
          .rows[0];
        expect({ checkpoint: cpRow.gtid, start: startRow.start_gtid, note: note.gtid }).toEqual({
          checkpoint: await gtidAt(my, cpRow.binlog_file, cpRow.binlog_pos),
          start: await gtidAt(my, startRow.start_file, startRow.start_pos),
          note: cpRow.gtid,
        });
        expect(cpRow.gtid).toMatch(/^\d+-\d+-\d+(,\d+-\d+-\d+)*$/);

        // A change after the checkpoint, applied by the follower, then altered on the target.
        const [ids] = await my.query('SELECT id FROM identities ORDER BY id LIMIT 1');
        const id = (ids as Array<{ id: string }>)[0].id;
        const before = await waitForState(s, () => true, proc);
        await my.query("UPDATE identities SET state = 'inactive' WHERE id = ?", [id]);
        await waitForState(s, (r) => r.changes > before.changes, proc);
        await pg.query("UPDATE identities SET state = 'altered-on-the-target' WHERE id = $1", [id]);
        const changed = await cutover(s);
        expect({ code: changed.code, out: changed.stdout + changed.stderr.slice(-4000) }).toEqual({
          code: ExitCode.VerifyFailed,
          out: expect.stringContaining('keys changed since the checkpoint'),
        });
        expect(changed.stderr).toContain('proving the rows changed since the checkpoint');
        expect(changed.stderr).toContain('differs in: state');
        // The follower saw the stop request and ended; the next cutovers apply (nothing) themselves.
        expect(await proc.exited).toEqual({ code: 0, signal: null });
        await pg.query("UPDATE identities SET state = 'inactive' WHERE id = $1", [id]);

        // A row nobody changed since the checkpoint, removed from the target behind converge's back.
        const [errs] = await my.query('SELECT id FROM selfservice_errors ORDER BY id LIMIT 1');
        const errId = (errs as Array<{ id: string }>)[0].id;
        const saved = (await pg.query('SELECT * FROM selfservice_errors WHERE id = $1', [errId])).rows[0];
        await pg.query('DELETE FROM selfservice_errors WHERE id = $1', [errId]);
        const removed = await cutover(s);
        expect({ code: removed.code, out: removed.stdout + removed.stderr.slice(-4000) }).toEqual({
          code: ExitCode.VerifyFailed,
          out: expect.stringMatching(
            /selfservice_errors: row count: target has (\d+), source \(after mapping\) has \d+/,
          ),
        });
        expect(removed.stderr).toContain('proving the rows changed since the checkpoint');
        const cols = Object.keys(saved);
        await pg.query(
          `INSERT INTO selfservice_errors (${cols.map((c) => `"${c}"`).join(', ')}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(', ')})`,
          cols.map((c) => saved[c]),
        );

        const ok = await cutover(s);
        expect({ code: ok.code, out: ok.stdout + ok.stderr.slice(-3000) }).toEqual({
          code: 0,
          out: expect.stringMatching(
            /proof: every table's row count, and by key the rows of the \d+ keys the follow changed since the checkpoint at \S+:\d+/,
          ),
        });
        const [done] = await runEvents(s, 'cutover.completed');
        expect(done.proof).toMatchObject({ kind: 'checkpoint' });
        // The follow kept its GTID position transaction by transaction: at the switch it is the
        // source's for the position it stands at, and follow status shows it.
        const end = (await pg.query('SELECT binlog_file, binlog_pos, gtid FROM converge.follow_state')).rows[0];
        expect({ state: end.gtid, cutover: done.gtid }).toEqual({
          state: await gtidAt(my, end.binlog_file, end.binlog_pos),
          cutover: end.gtid,
        });
        const status = await runCli(['follow', 'status', ...s.args]);
        expect(status.stdout).toContain(`GTID applied up to: ${end.gtid}\n`);
      } finally {
        await writer.stop().catch(() => undefined);
        proc.child.kill('SIGKILL');
        await my.end();
        await pg.end();
      }
    } finally {
      await s.cleanup();
    }
  });

  it('without a checkpoint the switch verifies every row, and says why', async () => {
    const s = await followSetup(server, 'kratos', 1);
    try {
      const proc = start(['migrate', ...s.args, '--follow', '--jobs', '1']);
      try {
        await waitForState(s, (r) => r.status === 'following', proc);
        const r = await cutover(s);
        expect({ code: r.code, out: r.stdout + r.stderr.slice(-3000) }).toEqual({
          code: 0,
          out: expect.stringContaining(
            'proof: full verify, every row of both sides (no checkpoint was taken (converge follow checkpoint))',
          ),
        });
        const [done] = await runEvents(s, 'cutover.completed');
        expect(done.proof).toMatchObject({ kind: 'full' });
      } finally {
        proc.child.kill('SIGKILL');
      }
    } finally {
      await s.cleanup();
    }
  });
});

import mysql from 'mysql2/promise';
import { binlogServer, BinlogServer } from '../helpers/binlog-server';
import { uniqueName } from '../helpers/databases';
import { followSetup, start, waitForState } from '../helpers/follow-setup';

/**
 * A source server shared with other applications: their databases commit all the time, and
 * none of it is the pipeline's. The follower must still store how far it has read (at least
 * once a second), or `follow status` shows a lag that only grows and anything waiting for the
 * follower to reach the server's position waits for a pause that never comes.
 */
let server: BinlogServer;

beforeAll(async () => {
  server = await binlogServer();
});
afterAll(async () => {
  await server?.stop();
});

it('while another database commits without a pause, the stored position still moves on', async () => {
  const s = await followSetup(server, 'kratos', 1);
  const other = uniqueName('busy_other');
  const admin = await mysql.createConnection({ uri: server.base });
  await admin.query(`CREATE DATABASE \`${other}\``);
  await admin.query(`CREATE TABLE \`${other}\`.u (id INT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(20))`);
  const proc = start(['migrate', ...s.args, '--follow', '--jobs', '1']);
  const pg = await s.pg();
  try {
    await waitForState(s, (r) => r.status === 'following', proc);
    const stored = async () =>
      (
        await pg.query('SELECT binlog_file, binlog_pos::bigint AS pos FROM converge.follow_state WHERE pipeline = $1', [
          s.pipelineName,
        ])
      ).rows.map((r) => `${r.binlog_file}:${r.pos}`)[0];
    // Commits every few milliseconds for 4 s: the follower never sees the quarter second without
    // an event that used to be the only moment it stored the position of commits elsewhere.
    const seen = new Set<string>();
    const until = Date.now() + 4000;
    let commits = 0;
    let nextPoll = 0;
    while (Date.now() < until) {
      await admin.query(`INSERT INTO \`${other}\`.u (v) VALUES (?)`, [`row ${commits++}`]);
      if (Date.now() >= nextPoll) {
        seen.add((await stored())!);
        nextPoll = Date.now() + 250;
      }
    }
    expect(commits).toBeGreaterThan(100);
    // Stored again at least every second of the four (three positions: a margin for a loaded machine).
    if (seen.size < 3)
      throw new Error(
        `the stored position took ${seen.size} value(s) in 4 s of ${commits} commits elsewhere:\n${proc.output().slice(-2000)}`,
      );
  } finally {
    proc.child.kill('SIGKILL');
    await proc.exited;
    await pg.end();
    await admin.query(`DROP DATABASE IF EXISTS \`${other}\``).catch(() => undefined);
    await admin.end();
    await s.cleanup();
  }
}, 120_000);

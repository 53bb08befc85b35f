import mysql from 'mysql2/promise';
import { MYSQL_BASE } from './databases';
import { startPrivateMariadb } from './private-servers';

export interface BinlogServer {
  /** mysql://root@host:port, no database. */
  base: string;
  private: boolean;
  stop(): Promise<void>;
}

/**
 * A MariaDB that writes a binary log of full row images, for the follow tests: the shared one
 * when it does (CI starts it so), else a throw-away one of our own, so the tests run, never skip,
 * on a machine whose server runs without the log.
 */
export async function binlogServer(): Promise<BinlogServer> {
  const c = await mysql.createConnection({ uri: MYSQL_BASE });
  let ok = false;
  try {
    const [rows] = await c.query('SELECT @@log_bin AS b, @@binlog_format AS f, @@binlog_row_image AS i');
    const r = (rows as Array<{ b: number; f: string; i: string }>)[0];
    ok = Number(r.b) === 1 && r.f === 'ROW' && r.i === 'FULL';
  } finally {
    await c.end();
  }
  if (ok) return { base: MYSQL_BASE, private: false, stop: async () => undefined };
  const s = await startPrivateMariadb({ binlog: true });
  return { base: s.url.replace(/\/$/, ''), private: true, stop: () => s.stop() };
}

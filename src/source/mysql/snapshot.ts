import type { Logger } from 'pino';
import { ConnectionInfo } from '../../core/connection-url';
import { ConvergeError, messageOf } from '../../core/errors';
import { MysqlConnection, openMysql } from './connect';
import { isMysqlConnectionLoss } from './read-error';
import { currentGtid, gtidAtPosition } from './binlog/gtid';

/** ER_SPECIFIC_ACCESS_DENIED_ERROR (RELOAD missing) and ER_DBACCESS_DENIED_ERROR / ER_ACCESS_DENIED_ERROR. */
const PRIVILEGE_ERRNOS = new Set([1227, 1044, 1045]);

function isPrivilegeError(e: unknown): boolean {
  return PRIVILEGE_ERRNOS.has(Number((e as { errno?: unknown }).errno));
}

export interface Snapshot {
  connections: MysqlConnection[];
  method: 'consistent-snapshot' | 'flush-lock-then-snapshots';
  /** Where the snapshot stands in the binary log; gtid: MariaDB's GTID position there (null: not known). */
  binlog: { file: string; position: number; gtid: string | null } | null;
  close(): Promise<void>;
}

/**
 * Opens `jobs` connections that all read ONE consistent view, the way mysqldump/mydumper do:
 * with several workers, a brief FLUSH TABLES WITH READ LOCK holds writes while every worker
 * starts its consistent-snapshot transaction, then the lock is released. Without the RELOAD
 * privilege that lock is impossible, and converge falls back to one worker rather than export
 * tables from different moments. TIMESTAMP columns are read in UTC (session time_zone +00:00).
 */
export async function openSnapshot(info: ConnectionInfo, jobs: number, log: Logger): Promise<Snapshot> {
  const connections: MysqlConnection[] = [];
  const close = async () => {
    // Closing after use or after a failure: a close error would only hide the real outcome.
    for (const c of connections) await c.end().catch(() => c.destroy());
  };
  try {
    for (let i = 0; i < jobs; i++) {
      const c = await openMysql(info);
      connections.push(c);
      await c.query("SET SESSION time_zone = '+00:00'");
      await c.query('SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ');
      // Long tables stream for minutes: do not let the server drop a slow reader.
      await c.query('SET SESSION net_write_timeout = 3600');
    }
    let method: Snapshot['method'] = 'consistent-snapshot';
    let binlog: Snapshot['binlog'] = null;
    if (jobs > 1) {
      try {
        await connections[0].query('FLUSH TABLES WITH READ LOCK');
        method = 'flush-lock-then-snapshots';
      } catch (e) {
        // Only a missing privilege means "cannot lock": a lost connection or a lock wait that
        // timed out is an error, not a reason to read with fewer workers.
        if (!isPrivilegeError(e)) throw e;
        log.warn(
          { err: messageOf(e) },
          'FLUSH TABLES WITH READ LOCK refused (needs RELOAD); exporting with one worker so every table comes from the same snapshot',
        );
        // Closing after use or after a failure: a close error would only hide the real outcome.
        for (const c of connections.splice(1)) await c.end().catch(() => c.destroy());
      }
    }
    try {
      for (const c of connections) await c.query('START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY');
      binlog = await binlogPosition(connections[0], method);
    } finally {
      if (method === 'flush-lock-then-snapshots') await connections[0].query('UNLOCK TABLES');
    }
    return { connections, method, binlog, close };
  } catch (e) {
    await close();
    if (e instanceof ConvergeError) throw e;
    if (isMysqlConnectionLoss(e))
      throw new ConvergeError(
        'CONNECT_FAILED',
        `the MySQL connection was lost while opening the consistent snapshot: ${messageOf(e)}`,
        { stage: 'export' },
        { cause: e },
      );
    throw new ConvergeError(
      'EXPORT_FAILED',
      `cannot open a consistent snapshot: ${messageOf(e)}`,
      { stage: 'export' },
      { cause: e },
    );
  }
}

/** The binlog position of the snapshot, for a later catch-up; null when the server cannot say. */
export async function binlogPosition(c: MysqlConnection, method: Snapshot['method']): Promise<Snapshot['binlog']> {
  try {
    if (method === 'consistent-snapshot') {
      // MariaDB reports the binlog position that matches this transaction's snapshot, lock-free.
      // It names them Binlog_snapshot_file / _position, so they are matched without case: missed,
      // the position came from SHOW MASTER STATUS below, read after the snapshot opened, and a
      // commit in between lay before that position yet outside the snapshot.
      const [rows] = await c.query("SHOW STATUS LIKE 'binlog_snapshot_%'");
      const m = Object.fromEntries(
        (rows as Array<{ Variable_name: string; Value: string }>).map((r) => [r.Variable_name.toLowerCase(), r.Value]),
      );
      if (m.binlog_snapshot_file) {
        const at = { file: m.binlog_snapshot_file, position: Number(m.binlog_snapshot_position) };
        return { ...at, gtid: await gtidAtPosition(c, at) };
      }
    }
    // Under the global read lock (several workers) nothing commits: the log's end is the
    // snapshot's. Without it (MySQL, one worker) it is only where the log stood just after.
    const [rows] = await c.query('SHOW MASTER STATUS');
    const r = (rows as Array<{ File?: string; Position?: number }>)[0];
    if (!r?.File) return null;
    // Read at once under the lock, where scanning the log for it (gtidAtPosition) would hold writes.
    return { file: r.File, position: Number(r.Position), gtid: await currentGtid(c) };
  } catch (e) {
    // No privilege to ask (1227), or a server that dropped SHOW MASTER STATUS (1064, MySQL 8.4):
    // nothing to record. Binary logging off is an empty result, not an error. Anything else (a
    // lost connection) fails the snapshot rather than recording "no binlog" for it.
    const errno = (e as { errno?: unknown }).errno;
    if (errno === 1227 || errno === 1064) return null;
    throw e;
  }
}

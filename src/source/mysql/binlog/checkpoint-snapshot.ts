import type { Logger } from 'pino';
import type { ConnectionInfo } from '../../../core/connection-url';
import { ConvergeError } from '../../../core/errors';
import type { MysqlConnection } from '../connect';
import { openSnapshot } from '../snapshot';
import type { BinlogPosition } from './binlog-check';

export interface CheckpointSnapshot {
  /** One connection inside a consistent-snapshot transaction (read only, UTC). */
  conn: MysqlConnection;
  /** The binary log position that matches the snapshot exactly. */
  position: BinlogPosition;
  /** MariaDB's GTID position there (null: the server cannot say). */
  gtid: string | null;
  close(): Promise<void>;
}

/**
 * A consistent snapshot of the source while the application writes, and the binary log
 * position it stands at, taken without a lock: MariaDB reports that position for the snapshot
 * transaction (binlog_snapshot_file / _position). MySQL 8 does not: there the position could
 * only be paired with a snapshot under FLUSH TABLES WITH READ LOCK (or LOCK INSTANCE FOR BACKUP
 * with performance_schema.log_status), which stalls the application's writes; converge refuses
 * rather than take a position that may not match the snapshot.
 */
export async function openCheckpointSnapshot(info: ConnectionInfo, log: Logger): Promise<CheckpointSnapshot> {
  const snap = await openSnapshot(info, 1, log);
  try {
    const conn = snap.connections[0];
    const [rows] = await conn.query("SHOW STATUS LIKE 'binlog_snapshot_file'");
    if (!(rows as unknown[]).length || !snap.binlog)
      throw new ConvergeError(
        'BINLOG_UNSUITABLE',
        "the source cannot say which binary log position its consistent snapshot stands at (MariaDB's binlog_snapshot_file; MySQL 8 has no lock-free equivalent): no checkpoint can be taken, converge cutover verifies in full",
        { stage: 'follow' },
      );
    const { gtid, ...position } = snap.binlog;
    return { conn, position, gtid, close: snap.close };
  } catch (e) {
    await snap.close();
    throw e;
  }
}

import type { MysqlConnection } from '../connect';

/**
 * MariaDB's GTID position, kept beside every binary log position converge records: per
 * replication domain, the last transaction before that point ("0-1-1935,1-2-40", the form of
 * @@gtid_binlog_pos). A file and offset name a place in one server's binary log only; the GTIDs
 * travel with the transactions to the server's replicas, so after a failover they still say
 * which transactions the target holds. Converge records them; it resumes by file and position.
 * MySQL's GTIDs (uuid:interval sets) are not tracked: there every GTID here is null.
 */

const ONE = /^(\d+)-(\d+)-(\d+)$/;

/**
 * The position after one more transaction: its domain's entry becomes its GTID (within a domain
 * the binary log's order is the commit order). A position not known (null) stays unknown: a
 * partial one would claim too little in the domains it never saw. Anything but a MariaDB GTID
 * leaves the position as it is.
 */
export function advanceGtid(position: string | null, gtid: string | undefined): string | null {
  if (position === null || !gtid) return position;
  const m = ONE.exec(gtid.trim());
  if (!m) return position;
  const domains = new Map<number, string>();
  for (const entry of position.split(',')) {
    const e = ONE.exec(entry.trim());
    if (e) domains.set(Number(e[1]), entry.trim());
  }
  domains.set(Number(m[1]), `${m[1]}-${m[2]}-${m[3]}`);
  return [...domains.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([, g]) => g)
    .join(',');
}

/** ER_SP_DOES_NOT_EXIST (no BINLOG_GTID_POS: MySQL), ER_UNKNOWN_SYSTEM_VARIABLE, ER_SPECIFIC_ACCESS_DENIED_ERROR. */
const NOT_HERE = new Set([1305, 1193, 1227]);

async function one(conn: MysqlConnection, sql: string, params: unknown[] = []): Promise<string | null> {
  try {
    const [rows] = await conn.query(sql, params);
    const g = (rows as Array<{ g: unknown }>)[0]?.g;
    return g === null || g === undefined ? null : String(g);
  } catch (e) {
    // A server without MariaDB's GTIDs records none; a lost connection is still an error.
    if (NOT_HERE.has(Number((e as { errno?: unknown }).errno))) return null;
    throw e;
  }
}

/**
 * The GTID position at a binary log position (a transaction boundary), lock-free: MariaDB reads
 * its log from the file's start up to there, so this costs a scan of at most one file. Null when
 * the server cannot say (MySQL, the file purged).
 */
export function gtidAtPosition(conn: MysqlConnection, at: { file: string; position: number }): Promise<string | null> {
  return one(conn, 'SELECT BINLOG_GTID_POS(?, ?) AS g', [at.file, at.position]);
}

/** The GTID position at the binary log's end now (matches SHOW MASTER STATUS only while nothing commits). */
export function currentGtid(conn: MysqlConnection): Promise<string | null> {
  return one(conn, 'SELECT @@GLOBAL.gtid_binlog_pos AS g');
}

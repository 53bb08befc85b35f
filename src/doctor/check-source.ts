import { ConnectionInfo, describeConnection } from '../core/connection-url';
import { messageOf } from '../core/errors';
import { openMysql } from '../source/mysql/connect';
import { readMysqlServerFacts } from '../source/mysql/server-facts';

export interface Check {
  end: 'source' | 'target' | 'local';
  name: string;
  ok: boolean;
  value: string;
  /** What to do about it, when not ok. */
  fix?: string;
}

/** What the export needs from the MySQL/MariaDB side, each problem with its fix. */
export async function checkSource(info: ConnectionInfo): Promise<Check[]> {
  const where = describeConnection(info);
  let conn;
  try {
    conn = await openMysql(info);
  } catch (e) {
    return [
      {
        end: 'source',
        name: 'connection',
        ok: false,
        value: messageOf(e),
        fix: `check that ${where} is reachable and the credentials are right (converge env shows what is configured)`,
      },
    ];
  }
  const out: Check[] = [];
  try {
    const v = await readMysqlServerFacts(conn);
    out.push({ end: 'source', name: 'connection', ok: true, value: `${where} (${v.version})` });
    out.push({
      end: 'source',
      name: 'character set',
      ok: String(v.charset).startsWith('utf8mb4'),
      value: `${v.charset} / ${v.collation}`,
      fix: 'columns in utf8 (3-byte) cannot hold emoji; converge reads as utf8mb4 regardless, check the tables',
    });
    out.push({
      end: 'source',
      name: 'time zone',
      ok: true,
      value: `${v.timeZone} (system ${v.systemTimeZone}); TIMESTAMP columns are exported in UTC, DATETIME as stored`,
    });
    const permissive = !/NO_ZERO_DATE|STRICT_/.test(v.sqlMode);
    out.push({
      end: 'source',
      name: 'sql_mode',
      ok: true,
      value: `${v.sqlMode || '(empty)'}${permissive ? ' — permissive: zero dates may exist, declare zeroDate in the mapping' : ''}`,
    });
    out.push({
      end: 'source',
      name: 'max_allowed_packet',
      ok: v.maxAllowedPacket >= 16 << 20,
      value: `${Math.round(v.maxAllowedPacket / 1048576)} MB`,
      fix: 'rows larger than this cannot be read; raise max_allowed_packet to at least 64M',
    });
    out.push({
      end: 'source',
      name: 'binary log',
      ok: true,
      value: v.binaryLog ? 'on: the export records its position' : 'off: no binlog position is recorded',
    });
    const text = v.grants;
    const all = /GRANT ALL PRIVILEGES ON \*\.\*/i.test(text);
    out.push({
      end: 'source',
      name: 'privilege SELECT',
      ok: all || /SELECT/i.test(text),
      value: all ? 'ALL' : /SELECT/i.test(text) ? 'yes' : 'no',
      fix: 'GRANT SELECT ON <database>.* TO <user>',
    });
    out.push({
      end: 'source',
      name: 'privilege RELOAD (for --jobs > 1)',
      ok: all || /RELOAD/i.test(text),
      value: all || /RELOAD/i.test(text) ? 'yes' : 'no: parallel export falls back to one worker',
      fix: 'GRANT RELOAD ON *.* TO <user> (needed for FLUSH TABLES WITH READ LOCK so all workers share one snapshot)',
    });
  } catch (e) {
    out.push({
      end: 'source',
      name: 'server settings',
      ok: false,
      value: messageOf(e),
      fix: 'the user needs to read server variables and its own grants',
    });
  } finally {
    // Closing after use or after a failure: a close error would only hide the real outcome.
    await conn.end().catch(() => undefined);
  }
  return out;
}

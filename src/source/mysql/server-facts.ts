import type { MysqlConnection } from './connect';

/** The server settings and grants `converge doctor` judges. */
export interface MysqlServerFacts {
  version: string;
  charset: string;
  collation: string;
  timeZone: string;
  systemTimeZone: string;
  sqlMode: string;
  maxAllowedPacket: number;
  binaryLog: boolean;
  /** SHOW GRANTS for the current user, one grant per line. */
  grants: string;
}

export async function readMysqlServerFacts(conn: MysqlConnection): Promise<MysqlServerFacts> {
  const [rows] = await conn.query(
    'SELECT VERSION() AS version, @@character_set_server AS charset, @@collation_server AS collation, @@global.time_zone AS tz, @@system_time_zone AS systz, @@sql_mode AS sqlMode, @@max_allowed_packet AS maxPacket, @@log_bin AS logBin',
  );
  const v = (rows as Array<Record<string, string | number>>)[0];
  const [grants] = await conn.query('SHOW GRANTS');
  return {
    version: String(v.version),
    charset: String(v.charset),
    collation: String(v.collation),
    timeZone: String(v.tz),
    systemTimeZone: String(v.systz),
    sqlMode: String(v.sqlMode ?? ''),
    maxAllowedPacket: Number(v.maxPacket),
    binaryLog: Number(v.logBin) === 1,
    grants: (grants as Array<Record<string, string>>).map((g) => Object.values(g)[0]).join('\n'),
  };
}

/** Data bytes per base table (information_schema's DATA_LENGTH, an estimate). */
export async function mysqlDataBytes(conn: MysqlConnection, database: string): Promise<Map<string, number>> {
  const [rows] = await conn.query(
    "SELECT table_name AS name, data_length AS bytes FROM information_schema.tables WHERE table_schema = ? AND table_type = 'BASE TABLE'",
    [database],
  );
  return new Map(
    (rows as Array<{ name: string; bytes: number | string | null }>).map((r) => [r.name, Number(r.bytes ?? 0)]),
  );
}

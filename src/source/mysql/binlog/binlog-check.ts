import { ConvergeError } from '../../../core/errors';
import type { MysqlConnection } from '../connect';

/** A place in the binary log: the file and the byte offset of the next event to read. */
export interface BinlogPosition {
  file: string;
  position: number;
}

/** The binary log's order: files by their numeric suffix (mysql-bin.000010 after .000009), then offset. */
export function comparePositions(a: BinlogPosition, b: BinlogPosition): number {
  const fa = fileNumber(a.file);
  const fb = fileNumber(b.file);
  if (fa !== fb) return fa - fb;
  return a.position - b.position;
}

function fileNumber(file: string): number {
  const m = /\.(\d+)$/.exec(file);
  return m ? Number(m[1]) : 0;
}

async function variables(conn: MysqlConnection, names: string[]): Promise<Map<string, string>> {
  const [rows] = await conn.query(`SELECT ${names.map((n) => `@@GLOBAL.${n} AS ${n}`).join(', ')}`);
  const r = (rows as Array<Record<string, unknown>>)[0] ?? {};
  return new Map(names.map((n) => [n, r[n] === null || r[n] === undefined ? '' : String(r[n])]));
}

/**
 * The source must write a binary log of full row images for its changes to be followed:
 * log_bin ON, binlog_format ROW (MIXED and STATEMENT log statements, whose effect converge
 * cannot know), binlog_row_image FULL (MINIMAL images lack the columns the mapping reads).
 * Checked before the snapshot load, so a migrate --follow never loads to find it cannot follow.
 */
export async function checkBinlogSettings(conn: MysqlConnection): Promise<void> {
  const v = await variables(conn, ['log_bin', 'binlog_format', 'binlog_row_image']);
  const problems: string[] = [];
  if (!['1', 'ON'].includes(v.get('log_bin')!.toUpperCase()))
    problems.push('log_bin is OFF (start the server with --log-bin)');
  if (v.get('binlog_format')!.toUpperCase() !== 'ROW')
    problems.push(`binlog_format is ${v.get('binlog_format')} (SET GLOBAL binlog_format = 'ROW')`);
  if (v.get('binlog_row_image')!.toUpperCase() !== 'FULL')
    problems.push(`binlog_row_image is ${v.get('binlog_row_image')} (SET GLOBAL binlog_row_image = 'FULL')`);
  if (problems.length)
    throw new ConvergeError('BINLOG_UNSUITABLE', `the source's changes cannot be followed: ${problems.join('; ')}`, {
      stage: 'follow',
    });
}

/** The position a new write would be logged at (SHOW MASTER STATUS; SHOW BINARY LOG STATUS on MySQL 8.4). */
export async function currentPosition(conn: MysqlConnection): Promise<BinlogPosition> {
  let rows: unknown;
  try {
    [rows] = await conn.query('SHOW MASTER STATUS');
  } catch (e) {
    if ((e as { errno?: number }).errno !== 1064) throw e;
    [rows] = await conn.query('SHOW BINARY LOG STATUS');
  }
  const r = (rows as Array<{ File?: string; Position?: number | string }>)[0];
  if (!r?.File)
    throw new ConvergeError('BINLOG_UNSUITABLE', 'the source writes no binary log (SHOW MASTER STATUS is empty)', {
      stage: 'follow',
    });
  return { file: r.File, position: Number(r.Position) };
}

/**
 * A stored position can only be followed while its file is still on the server: once purged
 * (expire_logs_days, PURGE BINARY LOGS), the changes after it are gone and the target can no
 * longer be brought up to date; a fresh migrate is the only way on.
 */
export async function checkPositionAvailable(conn: MysqlConnection, at: BinlogPosition): Promise<void> {
  const [rows] = await conn.query('SHOW BINARY LOGS');
  const files = (rows as Array<{ Log_name: string }>).map((r) => r.Log_name);
  if (!files.includes(at.file))
    throw new ConvergeError(
      'BINLOG_PURGED',
      `binary log ${at.file} (position ${at.position}) is no longer on the source (it has ${files[0] ?? 'none'} to ${files.at(-1) ?? 'none'}): the changes since the snapshot are lost; run converge migrate again`,
      { stage: 'follow', file: at.file },
    );
}

/** Whether the source refuses writes (read_only, or super_read_only on MySQL). */
export async function sourceReadOnly(conn: MysqlConnection): Promise<boolean> {
  const [rows] = await conn.query('SELECT @@GLOBAL.read_only AS ro');
  return Number((rows as Array<{ ro: unknown }>)[0]?.ro) === 1;
}

import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { ConnectionInfo } from '../core/connection-url';
import { messageOf } from '../core/errors';
import { openMysql } from '../source/mysql/connect';
import { mysqlDataBytes } from '../source/mysql/server-facts';
import { formatBytes } from '../run/run-summary';
import type { Check } from './check-source';

/** Export and transform each write about the source's data size in CSV; keep a tenth spare. */
export const DISK_FACTOR = 2.2;

/** The source's data size (information_schema data_length), the export's size estimate. */
export async function estimateExportBytes(source: ConnectionInfo, exclude: string[] = []): Promise<number | undefined> {
  if (!source.database) return undefined;
  const conn = await openMysql(source);
  try {
    const bytes = await mysqlDataBytes(conn, source.database);
    return [...bytes].filter(([name]) => !exclude.includes(name)).reduce((n, [, b]) => n + b, 0);
  } finally {
    // Closing after use or after a failure: a close error would only hide the real outcome.
    await conn.end().catch(() => undefined);
  }
}

/** Free space where the work directory is (or would be created), against the estimated need. */
export async function checkDisk(workDir: string, estimatedBytes: number | undefined): Promise<Check> {
  const name = 'free disk for the work directory';
  let dir = path.resolve(workDir);
  // The nearest existing ancestor holds the free space; a folder that cannot be read fails statfs below.
  while (!(await fsp.stat(dir).catch(() => undefined)) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  try {
    const s = await fsp.statfs(dir);
    const free = Number(s.bavail) * Number(s.bsize);
    if (estimatedBytes === undefined)
      return {
        end: 'local',
        name,
        ok: true,
        value: `${formatBytes(free)} free at ${dir}; no estimate (the source URL names no database)`,
      };
    const need = Math.ceil(estimatedBytes * DISK_FACTOR);
    return {
      end: 'local',
      name,
      ok: free >= need,
      value: `${formatBytes(free)} free at ${dir}; export + transform need about ${formatBytes(need)} (${DISK_FACTOR} × source data ${formatBytes(estimatedBytes)})`,
      fix: `free ${formatBytes(need - free)} there, or point --work-dir (CONVERGE_WORK_DIR) at a disk with ${formatBytes(need)} free`,
    };
  } catch (e) {
    return {
      end: 'local',
      name,
      ok: false,
      value: messageOf(e),
      fix: `make ${workDir} creatable and readable by this user`,
    };
  }
}

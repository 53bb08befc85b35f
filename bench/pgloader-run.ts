import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { ConnectionInfo, maskSecrets, withDatabase } from '../src/core/connection-url';
import { openMysql } from '../src/source/mysql/connect';
import { BENCH_TABLES } from './dataset';
import { Measured, runMeasured, tailOf } from './measure';

export const PGLOADER_INSTALL_HINT = 'apt-get install -y pgloader (the Debian package)';
const USER = 'converge_bench_pgloader';
const HOSTS = ['127.0.0.1', 'localhost'];

/** pgloader's version line, or undefined when it is not on PATH. */
export function pgloaderVersion(): string | undefined {
  try {
    return execFileSync('pgloader', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
      .split('\n')[0]
      .trim();
  } catch {
    return undefined;
  }
}

/**
 * The load file: data only into the pre-created target, the bench tables only. `disable
 * triggers` lets its parallel table loads ignore foreign-key order; the cast turns zero dates
 * into NULL, as the converge mapping declares. pgloader reads the source database as a schema of
 * the same name, hence the rename.
 */
export function pgloaderLoadFile(from: string, into: string, sourceDatabase: string): string {
  return [
    'LOAD DATABASE',
    `  FROM ${from}`,
    `  INTO ${into}`,
    'WITH data only, create no tables, include no drop, truncate, disable triggers',
    'CAST type datetime to timestamp drop default drop not null using zero-dates-to-null',
    `INCLUDING ONLY TABLE NAMES MATCHING ${BENCH_TABLES.map((t) => `'${t}'`).join(', ')}`,
    `ALTER SCHEMA '${sourceDatabase}' RENAME TO 'public'`,
    ';',
    '',
  ].join('\n');
}

const urlPart = encodeURIComponent;

/**
 * Runs pgloader against the source through a dedicated, loopback-only MySQL user with
 * mysql_native_password (pgloader speaks no other method), dropped afterwards. Secrets live
 * only in the load file, private to this run, and are masked out of its log.
 */
export async function runPgloader(o: {
  source: ConnectionInfo;
  target: ConnectionInfo;
  dir: string;
  timeoutSeconds?: number;
}): Promise<Measured> {
  const password = randomBytes(18).toString('hex');
  const admin = await openMysql(withDatabase(o.source, undefined));
  const log = path.join(o.dir, 'pgloader.log');
  try {
    const [v] = await admin.query('SELECT VERSION() AS v');
    const mariadb = /mariadb/i.test(String((v as Array<{ v: string }>)[0].v));
    for (const host of HOSTS) {
      await admin.query(`DROP USER IF EXISTS '${USER}'@'${host}'`);
      await admin.query(
        mariadb
          ? `CREATE USER '${USER}'@'${host}' IDENTIFIED VIA mysql_native_password USING PASSWORD(?)`
          : `CREATE USER '${USER}'@'${host}' IDENTIFIED WITH mysql_native_password BY ?`,
        [password],
      );
      await admin.query(`GRANT SELECT, SHOW VIEW ON \`${o.source.database}\`.* TO '${USER}'@'${host}'`);
    }
    const from = `mysql://${USER}:${password}@${o.source.host}:${o.source.port}/${urlPart(o.source.database!)}`;
    const tAuth =
      o.target.password !== undefined
        ? `${urlPart(o.target.user)}:${urlPart(o.target.password)}`
        : urlPart(o.target.user);
    const into = `pgsql://${tAuth}@${o.target.host}:${o.target.port}/${urlPart(o.target.database!)}`;
    const loadFile = path.join(o.dir, 'bench.load');
    await fsp.writeFile(loadFile, pgloaderLoadFile(from, into, o.source.database!), { mode: 0o600 });
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, LANG: 'C.UTF-8' };
    // The default heap (about 1 GB) runs out on tables of this size: pgloader then dies mid-load.
    const m = await runMeasured({
      stages: [['pgloader', '--dynamic-space-size', '4096', '--root-dir', path.join(o.dir, 'pgloader-root'), loadFile]],
      env,
      dir: o.dir,
      label: 'pgloader',
      log,
      timeoutSeconds: o.timeoutSeconds,
    });
    await fsp.rm(loadFile, { force: true });
    const masked = maskSecrets(await fsp.readFile(log, 'utf8').catch(() => ''), [password, o.target.password]);
    await fsp.writeFile(log, masked, { mode: 0o600 });
    return { ...m, tail: await tailOf(log, 14) };
  } finally {
    for (const host of HOSTS) await admin.query(`DROP USER IF EXISTS '${USER}'@'${host}'`).catch(() => undefined);
    await admin.end().catch(() => undefined);
  }
}

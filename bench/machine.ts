import { readFileSync } from 'node:fs';
import os from 'node:os';
import { ConnectionInfo, withDatabase } from '../src/core/connection-url';
import { openMysql } from '../src/source/mysql/connect';
import { openPg } from '../src/target/postgres/connect';
import { pgloaderVersion } from './pgloader-run';
import type { Machine } from './report';

/** What the figures were measured on: published with them, since they mean little without it. */
export async function describeMachine(source: ConnectionInfo, target: ConnectionInfo): Promise<Machine> {
  const my = await openMysql(withDatabase(source, undefined));
  let mysql: string;
  try {
    const [v] = await my.query('SELECT VERSION() AS v');
    const text = String((v as Array<{ v: string }>)[0].v);
    mysql = /mariadb/i.test(text) ? `MariaDB ${text.replace(/-MariaDB.*$/i, '')}` : `MySQL ${text}`;
  } finally {
    await my.end().catch(() => undefined);
  }
  const pg = await openPg(withDatabase(target, 'postgres'), { applicationName: 'converge bench' });
  let postgres: string;
  try {
    postgres = `PostgreSQL ${(await pg.query('SHOW server_version')).rows[0].server_version}`;
  } finally {
    await pg.end().catch(() => undefined);
  }
  return {
    cpus: os.availableParallelism(),
    cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown CPU',
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: osName(),
    node: process.version,
    mysql,
    postgres,
    pgloader: pgloaderVersion(),
    loadAverage: os.loadavg(),
  };
}

function osName(): string {
  try {
    const m = /^PRETTY_NAME="?([^"\n]+)"?/m.exec(readFileSync('/etc/os-release', 'utf8'));
    if (m) return m[1];
  } catch {
    /* not Linux, or no os-release */
  }
  return `${os.type()} ${os.release()}`;
}

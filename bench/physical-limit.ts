import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { ConnectionInfo } from '../src/core/connection-url';
import { BenchTable, BENCH_TABLES } from './dataset';
import { ConvergeError } from '../src/core/errors';
import { Measured, runMeasured, tailOf } from './measure';

/**
 * What the server's own tools need to produce the target's values: MySQL's batch output is
 * already Postgres's COPY text format (tab-separated, \n \t \\ escaped) except for NULL, which
 * it prints as NULL (no bench text value is the word NULL), zero dates, and binary (sent as
 * \x hex). Nothing else is converted: this is the floor no migration tool can go below.
 */
export const LIMIT_SELECT: Record<BenchTable, string> = {
  accounts:
    "SELECT id, email, display_name, status, is_verified, balance, profile, created_at, updated_at, IF(last_login_at = '0000-00-00 00:00:00', NULL, last_login_at) FROM accounts",
  events: 'SELECT id, account_id, kind, payload, amount, is_test, note, occurred_at FROM events',
  attachments:
    "SELECT id, account_id, file_name, mime_type, CONCAT('\\\\x', HEX(content)), created_at FROM attachments",
};

export const LIMIT_COLUMNS: Record<BenchTable, string> = {
  accounts: 'id, email, display_name, status, is_verified, balance, profile, created_at, updated_at, last_login_at',
  events: 'id, account_id, kind, payload, amount, is_test, note, occurred_at',
  attachments: 'id, account_id, file_name, mime_type, content, created_at',
};

/** The MySQL command-line client: `mariadb` where installed, else `mysql`. */
export function mysqlClient(): string | undefined {
  for (const c of ['mariadb', 'mysql']) {
    try {
      execFileSync('sh', ['-c', `command -v ${c}`], { stdio: 'ignore' });
      return c;
    } catch {
      /* try the next name */
    }
  }
  return undefined;
}

export interface LimitResult extends Measured {
  tables: Array<{ table: BenchTable; seconds: number; exitCode: number }>;
}

/**
 * The physical limit: per table, `mariadb --batch --quick` piped into `psql -c 'COPY … FROM
 * STDIN'`, `jobs` tables at a time. Foreign-key triggers are skipped (session_replication_role
 * = replica, which needs a superuser) so tables load in any order, as pgloader's do.
 */
export async function runPhysicalLimit(o: {
  source: ConnectionInfo;
  target: ConnectionInfo;
  jobs: number;
  dir: string;
  timeoutSeconds?: number;
}): Promise<LimitResult> {
  const client = mysqlClient();
  if (!client)
    throw new ConvergeError('USAGE', 'the physical limit needs the mariadb (or mysql) command-line client on PATH', {
      key: 'mariadb',
    });
  const mysqlArgs = [
    client,
    '--batch',
    '--quick',
    '--skip-column-names',
    '--default-character-set=utf8mb4',
    '--protocol=TCP',
    '-h',
    o.source.host,
    '-P',
    String(o.source.port),
    '-u',
    o.source.user,
    o.source.database!,
    '-e',
    '"$BENCH_SQL"',
  ];
  const psqlArgs = [
    'psql',
    '-X',
    '-q',
    '-v',
    'ON_ERROR_STOP=1',
    '-h',
    o.target.host,
    '-p',
    String(o.target.port),
    '-U',
    o.target.user,
    '-d',
    o.target.database!,
    '-c',
    '"$BENCH_COPY"',
  ];
  const baseEnv: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    LANG: 'C.UTF-8',
    PGCLIENTENCODING: 'UTF8',
    PGOPTIONS: '-c session_replication_role=replica',
  };
  if (o.source.password !== undefined) baseEnv.MYSQL_PWD = o.source.password;
  if (o.target.password !== undefined) baseEnv.PGPASSWORD = o.target.password;

  const queue = [...BENCH_TABLES];
  const tables: LimitResult['tables'] = [];
  const rss: number[] = [];
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: Math.max(1, o.jobs) }, async () => {
      for (let t = queue.shift(); t; t = queue.shift()) {
        const env = {
          ...baseEnv,
          BENCH_SQL: LIMIT_SELECT[t],
          BENCH_COPY: `COPY public.${t} (${LIMIT_COLUMNS[t]}) FROM STDIN WITH (FORMAT text, NULL 'NULL')`,
        };
        const m = await runMeasured({
          stages: [mysqlArgs, psqlArgs],
          env,
          dir: o.dir,
          label: `limit-${t}`,
          log: path.join(o.dir, 'limit.log'),
          timeoutSeconds: o.timeoutSeconds,
        });
        tables.push({ table: t, seconds: m.seconds, exitCode: m.exitCode });
        if (m.peakRss) rss.push(m.peakRss);
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const failed = tables.find((t) => t.exitCode !== 0);
  // Two pipelines run at once: the peak is at most the sum of the largest `jobs` of them.
  const peakRss =
    rss
      .sort((a, b) => b - a)
      .slice(0, Math.max(1, o.jobs))
      .reduce((a, b) => a + b, 0) || undefined;
  return {
    seconds,
    exitCode: failed ? failed.exitCode : 0,
    peakRss,
    tail: await tailOf(path.join(o.dir, 'limit.log'), 12),
    tables,
  };
}

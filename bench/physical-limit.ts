import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { ConnectionInfo } from '../src/core/connection-url';
import { BenchTable, BENCH_TABLES } from './dataset';
import { ConvergeError } from '../src/core/errors';
import { Measured, runMeasured, tailOf } from './measure';
import { rebuildPlan } from './schema-objects';

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
  /** Seconds spent building keys, indexes and foreign keys after the rows (inside `seconds`). */
  buildSeconds: number;
}

/** One unit of the limit's work: a table's pipe then its keys and indexes, or one foreign key. */
interface LimitTask {
  label: string;
  /** Tasks (by label) that must have finished first. */
  after: string[];
  run: () => Promise<Measured & { build?: number }>;
}

/**
 * The physical limit, as an expert moves the data with the servers' own tools: per table,
 * `mariadb --quick --batch` piped into `psql \copy … FROM STDIN` into a bare table (no key, no
 * index, no foreign key: the caller stripped them, untimed), `jobs` tables at a time; each
 * table's primary key and indexes are built right after its own rows, and each foreign key is
 * added NOT VALID and validated once its table and the referenced one are built. Timed from the
 * first pipe to the last validation: the target then holds the same schema objects as before.
 */
export async function runPhysicalLimit(o: {
  source: ConnectionInfo;
  target: ConnectionInfo;
  jobs: number;
  dir: string;
  /** What to build after the rows (rebuildPlan of the target's objects, plus the sequences). */
  rebuild: ReturnType<typeof rebuildPlan>;
  sequences: Record<BenchTable, string[]>;
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
  const psql = (...commands: string[]) => [
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
    // Each -c is its own transaction.
    ...commands.flatMap((c) => ['-c', c]),
  ];
  const baseEnv: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    LANG: 'C.UTF-8',
    PGCLIENTENCODING: 'UTF8',
  };
  if (o.source.password !== undefined) baseEnv.MYSQL_PWD = o.source.password;
  if (o.target.password !== undefined) baseEnv.PGPASSWORD = o.target.password;
  const log = path.join(o.dir, 'limit.log');
  const measured = (label: string, stages: string[][], env: NodeJS.ProcessEnv) =>
    runMeasured({ stages, env: { ...baseEnv, ...env }, dir: o.dir, label, log, timeoutSeconds: o.timeoutSeconds });

  const tables: LimitResult['tables'] = [];
  const tasks: LimitTask[] = BENCH_TABLES.map((t) => ({
    label: t,
    after: [],
    run: async () => {
      const pipe = await measured(`limit-${t}`, [mysqlArgs, psql('"$BENCH_COPY"')], {
        BENCH_SQL: LIMIT_SELECT[t],
        BENCH_COPY: `\\copy public.${t} (${LIMIT_COLUMNS[t]}) FROM STDIN WITH (FORMAT text, NULL 'NULL')`,
      });
      tables.push({ table: t, seconds: pipe.seconds, exitCode: pipe.exitCode });
      const post = [...o.rebuild.perTable[t], ...o.sequences[t]];
      if (pipe.exitCode !== 0 || !post.length) return pipe;
      const keys = await measured(`limit-${t}-keys`, [psql('"$BENCH_POST"')], { BENCH_POST: post.join(';\n') });
      return { ...keys, peakRss: Math.max(pipe.peakRss ?? 0, keys.peakRss ?? 0) || undefined, build: keys.seconds };
    },
  }));
  for (const fk of o.rebuild.foreignKeys)
    tasks.push({
      label: `${fk.add}`,
      after: [fk.table, ...(fk.references && fk.references !== fk.table ? [fk.references] : [])],
      run: async () => {
        const m = await measured(`limit-${fk.table}-fk`, [psql('"$BENCH_ADD"', '"$BENCH_VALIDATE"')], {
          BENCH_ADD: fk.add,
          BENCH_VALIDATE: fk.validate,
        });
        return { ...m, build: m.seconds };
      },
    });

  const started = process.hrtime.bigint();
  const results = await runTasks(tasks, Math.max(1, o.jobs));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const failed = results.find((r) => r.exitCode !== 0);
  // `jobs` tasks run at once: the peak is at most the sum of the largest `jobs` of them.
  const peakRss =
    results
      .map((r) => r.peakRss ?? 0)
      .sort((a, b) => b - a)
      .slice(0, Math.max(1, o.jobs))
      .reduce((a, b) => a + b, 0) || undefined;
  return {
    seconds,
    exitCode: failed ? failed.exitCode : results.length < tasks.length ? 1 : 0,
    timedOut: results.some((r) => r.timedOut),
    peakRss,
    tail: await tailOf(log, 12),
    tables,
    buildSeconds: results.reduce((n, r) => n + (r.build ?? 0), 0),
  };
}

/**
 * Runs tasks `width` at a time, each once every task it waits for has finished, in list order
 * otherwise. After a failure nothing new starts (a task never runs on top of a failed one).
 */
export async function runTasks<R extends { exitCode: number }>(
  tasks: Array<{ label: string; after: string[]; run: () => Promise<R> }>,
  width: number,
): Promise<R[]> {
  const done = new Set<string>();
  const pending = [...tasks];
  const results: R[] = [];
  let failed = false;
  let running = 0;
  let wake: () => void = () => undefined;
  let changed = new Promise<void>((r) => (wake = r));
  const signal = () => {
    wake();
    changed = new Promise<void>((r) => (wake = r));
  };
  const worker = async () => {
    for (;;) {
      if (failed || !pending.length) return;
      const i = pending.findIndex((t) => t.after.every((a) => done.has(a)));
      if (i < 0) {
        // Waiting on a task that is not running and never will: stop (the caller sees fewer results).
        if (!running) return;
        await changed;
        continue;
      }
      const [task] = pending.splice(i, 1);
      running++;
      const r = await task.run().finally(() => running--);
      results.push(r);
      if (r.exitCode !== 0) failed = true;
      else done.add(task.label);
      signal();
    }
  };
  await Promise.all(Array.from({ length: width }, worker));
  return results;
}

import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { openSync, closeSync, promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { BenchDataset, jsonRows, wideRows } from './export-datasets';

/**
 * Export benchmark: builds its tables in a scratch database (dropped afterwards), exports each
 * with converge in a child process (rows/s, MB/s, peak RSS) and with the server's own dump paths
 * on the same data — `mariadb --batch --quick` and, on a local server, SELECT … INTO OUTFILE —
 * and prints the ratios.
 *
 *   node dist/bench/export-bench.js [--rows N] [--json-rows N] [--json-kb N] [--jobs 1,2] [--full] [--source URL]
 *
 * Defaults are sized for a quick run (1 000 000 rows, 2 000 JSON rows of 1 MB); --full is the
 * production-scale run (5 000 000 rows, 20 000 JSON rows: about 20 GB of JSON, on disk twice).
 */
interface Args {
  rows: number;
  jsonRows: number;
  jsonKb: number;
  jobs: number[];
  source: string;
}

function parseArgs(argv: string[]): Args {
  const get = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const full = argv.includes('--full');
  return {
    rows: Number(get('--rows') ?? (full ? 5_000_000 : 1_000_000)),
    jsonRows: Number(get('--json-rows') ?? (full ? 20_000 : 2_000)),
    jsonKb: Number(get('--json-kb') ?? 1024),
    jobs: (get('--jobs') ?? '1,2').split(',').map(Number),
    source: get('--source') ?? process.env.CONVERGE_SOURCE_URL ?? 'mysql://root@127.0.0.1:3306',
  };
}

interface Measure {
  tool: string;
  rows: number;
  bytes: number;
  seconds: number;
  maxRssMb?: number;
}

function run(
  cmd: string,
  args: string[],
  opts: { stdoutFile?: string; env?: Record<string, string> } = {},
): Promise<{ stdout: string; seconds: number }> {
  return new Promise((resolve, reject) => {
    const fd = opts.stdoutFile ? openSync(opts.stdoutFile, 'w', 0o600) : undefined;
    const started = process.hrtime.bigint();
    const child = spawn(cmd, args, { stdio: ['ignore', fd ?? 'pipe', 'pipe'], env: { ...process.env, ...opts.env } });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d) => (stdout += d));
    child.stderr!.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (fd !== undefined) closeSync(fd);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (code === 0) resolve({ stdout, seconds });
      else reject(new Error(`${cmd} exited ${code}: ${stderr.slice(0, 500)}`));
    });
  });
}

async function convergeExport(url: string, table: string, jobs: number, dir: string): Promise<Measure> {
  await fsp.rm(dir, { recursive: true, force: true });
  const r = await run(process.execPath, [
    path.join(__dirname, 'export-bench-worker.js'),
    url,
    dir,
    table,
    String(jobs),
  ]);
  const m = JSON.parse(r.stdout.trim().split('\n').pop()!) as {
    rows: number;
    bytes: number;
    seconds: number;
    maxRssKb: number;
    chunks: number;
  };
  await fsp.rm(dir, { recursive: true, force: true });
  return {
    tool: `converge --jobs ${jobs} (${m.chunks} chunk${m.chunks > 1 ? 's' : ''})`,
    rows: m.rows,
    bytes: m.bytes,
    seconds: m.seconds,
    maxRssMb: m.maxRssKb / 1024,
  };
}

async function clientDump(server: URL, db: string, table: string, rows: number, file: string): Promise<Measure> {
  const args = [
    '-h',
    server.hostname,
    '-P',
    server.port || '3306',
    '-u',
    decodeURIComponent(server.username),
    '--batch',
    '--quick',
    '--skip-column-names',
    db,
    '-e',
    `SELECT * FROM \`${table}\``,
  ];
  const r = await run('mariadb', args, {
    stdoutFile: file,
    env: server.password ? { MYSQL_PWD: decodeURIComponent(server.password) } : {},
  });
  const bytes = (await fsp.stat(file)).size;
  await fsp.rm(file, { force: true });
  return { tool: 'mariadb --batch --quick', rows, bytes, seconds: r.seconds };
}

async function intoOutfile(conn: mysql.Connection, table: string, rows: number, file: string): Promise<Measure> {
  const started = process.hrtime.bigint();
  await conn.query(
    `SELECT * FROM \`${table}\` INTO OUTFILE '${file}' FIELDS TERMINATED BY ',' OPTIONALLY ENCLOSED BY '"' LINES TERMINATED BY '\\n'`,
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const bytes = (await fsp.stat(file)).size;
  await fsp.rm(file, { force: true });
  return { tool: 'SELECT … INTO OUTFILE', rows, bytes, seconds };
}

function line(m: Measure, base?: Measure): string {
  const rps = m.rows / m.seconds;
  const ratio = base ? (base.seconds / m.seconds).toFixed(2) : '';
  return `| ${m.tool} | ${m.rows.toLocaleString('en-US')} | ${(m.bytes / 1e6).toFixed(0)} | ${m.seconds.toFixed(1)} | ${Math.round(rps).toLocaleString('en-US')} | ${(m.bytes / 1e6 / m.seconds).toFixed(1)} | ${m.maxRssMb ? m.maxRssMb.toFixed(0) : '–'} | ${ratio} |`;
}

async function main(): Promise<void> {
  const a = parseArgs(process.argv.slice(2));
  const server = new URL(a.source);
  const db = `converge_bench_export_${randomBytes(3).toString('hex')}`;
  const work = await fsp.mkdtemp(path.join(os.tmpdir(), 'converge-bench-'));
  const root = await mysql.createConnection({ uri: a.source });
  const local = ['127.0.0.1', 'localhost', '::1'].includes(server.hostname);
  const datasets: BenchDataset[] = [wideRows(a.rows), jsonRows(a.jsonRows, a.jsonKb)];
  try {
    await root.query(`CREATE DATABASE \`${db}\` CHARACTER SET utf8mb4`);
    await root.query(`USE \`${db}\``);
    const dbUrl = `${a.source.replace(/\/+$/, '')}/${db}`;
    process.stdout.write(
      `converge export benchmark: ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GB, node ${process.version}\n`,
    );
    for (const d of datasets) {
      const t0 = Date.now();
      await d.build(root);
      process.stderr.write(`built ${d.table} (${d.rows} rows) in ${((Date.now() - t0) / 1000).toFixed(0)} s\n`);
      // One unmeasured read first, so no tool pays for a cold buffer pool or page cache.
      await clientDump(server, db, d.table, d.rows, path.join(work, `${d.table}.tsv`));
      const server1 = await clientDump(server, db, d.table, d.rows, path.join(work, `${d.table}.tsv`));
      const outfile = local
        ? await intoOutfile(
            root,
            d.table,
            d.rows,
            path.join(os.tmpdir(), `converge-bench-${randomBytes(4).toString('hex')}.csv`),
          ).catch(() => undefined)
        : undefined;
      const ours: Measure[] = [];
      for (const j of a.jobs) ours.push(await convergeExport(dbUrl, d.table, j, path.join(work, 'export')));
      process.stdout.write(
        `\n${d.table}: ${d.rows.toLocaleString('en-US')} rows\n\n| tool | rows | MB | seconds | rows/s | MB/s | peak RSS MB | speed vs mariadb --batch --quick |\n|---|---|---|---|---|---|---|---|\n`,
      );
      for (const m of [server1, ...(outfile ? [outfile] : []), ...ours]) process.stdout.write(line(m, server1) + '\n');
      if (outfile)
        for (const m of ours)
          process.stdout.write(`ratio to INTO OUTFILE, ${m.tool}: ${(outfile.seconds / m.seconds).toFixed(2)}\n`);
      await root.query(`DROP TABLE \`${d.table}\``);
    }
  } finally {
    await root.query(`DROP DATABASE IF EXISTS \`${db}\``).catch(() => undefined);
    await root.end();
    await fsp.rm(work, { recursive: true, force: true });
  }
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack ?? e}\n`);
  process.exitCode = 1;
});

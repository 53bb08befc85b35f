/**
 * `npm run build && node dist/bench/follow-bench.js [--rows N] [--rate TX_PER_S] [--seconds S]`:
 * the follow's apply rate and lag, and the write downtime of the switch. A table of four columns
 * is loaded by `converge migrate --follow`; then (1) a burst of N rows in transactions of 10,
 * timed until the target holds them all (changes/s); (2) a writer at a stated rate of
 * transactions per second, the lag sampled each second (converge.follow_state); (3) writes stop,
 * `converge cutover --source-frozen` runs, and its recorded write downtime is read back.
 * Databases converge_follow_bench on the local servers (or CONVERGE_SOURCE_URL / _TARGET_URL).
 */
import { spawn } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { Client } from 'pg';

const BIN = path.resolve(__dirname, '../../bin/converge.js');
const arg = (name: string, d: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : d;
};

async function main(): Promise<void> {
  const rows = arg('rows', 20000);
  const rate = arg('rate', 100);
  const seconds = arg('seconds', 10);
  const myBase = process.env.CONVERGE_SOURCE_URL ?? 'mysql://root@127.0.0.1:3306';
  const pgBase = process.env.CONVERGE_TARGET_URL ?? 'postgres://postgres@127.0.0.1:5432';
  const db = 'converge_follow_bench';
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'converge-follow-bench-'));
  const admin = await mysql.createConnection({ uri: myBase });
  await admin.query(`DROP DATABASE IF EXISTS ${db}`);
  await admin.query(`CREATE DATABASE ${db} CHARACTER SET utf8mb4`);
  await admin.end();
  const pgAdmin = new Client({ connectionString: `${pgBase}/postgres` });
  await pgAdmin.connect();
  await pgAdmin.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
  await pgAdmin.query(`CREATE DATABASE ${db}`);
  await pgAdmin.end();
  const my = await mysql.createConnection({ uri: `${myBase}/${db}` });
  await my.query(
    'CREATE TABLE items (id BIGINT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(64), qty INT, at DATETIME(6))',
  );
  await my.query("INSERT INTO items (name, qty, at) VALUES ('seed', 1, NOW(6))");
  const pg = new Client({ connectionString: `${pgBase}/${db}` });
  await pg.connect();
  await pg.query('CREATE TABLE items (id bigint PRIMARY KEY, name text, qty integer, at timestamp(6))');
  await fsp.mkdir(path.join(dir, 'map'));
  await fsp.writeFile(
    path.join(dir, 'map', 'm.yaml'),
    'version: 1\ndefaults: { timezone: UTC }\ntables:\n  items:\n    columns: { id: integer, name: text, qty: integer, at: timestamp }\n',
  );
  await fsp.writeFile(
    path.join(dir, 'pipeline.yaml'),
    `name: follow_bench\nsource: { database: ${db} }\ntarget: { database: ${db}, schema: public, migrations: map, tracking: { table: bench_versions, style: converge } }\nmapping: map\n`,
  );
  const args = [
    '--pipeline',
    path.join(dir, 'pipeline.yaml'),
    '--source',
    `${myBase}/${db}`,
    '--target',
    `${pgBase}/${db}`,
    '--work-dir',
    path.join(dir, 'work'),
  ];
  const child = spawn(process.execPath, [BIN, 'migrate', ...args, '--follow'], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, CONVERGE_LOG_FORMAT: 'json', CONVERGE_LOG_LEVEL: 'warn' },
  });
  let ended = false;
  child.on('exit', () => (ended = true));
  const state = async () =>
    (
      await pg
        .query(
          "SELECT status, changes::int, extract(epoch FROM now() - source_at)::float8 AS behind FROM converge.follow_state WHERE to_regclass('converge.follow_state') IS NOT NULL",
        )
        .catch(() => ({ rows: [] }))
    ).rows[0] as { status: string; changes: number; behind: number | null } | undefined;
  while ((await state())?.status !== 'following') {
    if (ended) throw new Error('converge migrate --follow ended before following');
    await new Promise((r) => setTimeout(r, 200));
  }

  // (1) burst
  const t0 = Date.now();
  for (let i = 0; i < rows / 10; i++) {
    const values = Array.from({ length: 10 }, (_, k) => [`burst ${i}-${k}`, k, new Date().toISOString().slice(0, 23)]);
    await my.query('INSERT INTO items (name, qty, at) VALUES ?', [values]);
  }
  const written = (Date.now() - t0) / 1000;
  while (((await state())?.changes ?? 0) < rows) await new Promise((r) => setTimeout(r, 50));
  const applied = (Date.now() - t0) / 1000;

  // (2) steady writer: one update and one insert per transaction
  const lags: number[] = [];
  const base = (await state())!.changes;
  const end = Date.now() + seconds * 1000;
  let next = Date.now();
  let sampled = Date.now();
  let tx = 0;
  while (Date.now() < end) {
    await my.beginTransaction();
    await my.query('UPDATE items SET qty = qty + 1 WHERE id = ?', [1 + (tx % rows)]);
    await my.query("INSERT INTO items (name, qty, at) VALUES ('steady', 0, NOW(6))");
    await my.commit();
    tx++;
    next += 1000 / rate;
    const wait = next - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    if (Date.now() - sampled >= 1000) {
      sampled = Date.now();
      const s = await state();
      const behindChanges = base + tx * 2 - (s?.changes ?? 0);
      lags.push(behindChanges);
    }
  }
  // (3) freeze and switch
  const frozenAt = new Date().toISOString();
  const cut = await new Promise<number>((resolve) => {
    const c = spawn(process.execPath, [BIN, 'cutover', ...args, '--source-frozen', '--frozen-at', frozenAt], {
      stdio: 'ignore',
    });
    c.on('exit', (code) => resolve(code ?? -1));
  });
  const { rows: ev } = await pg.query("SELECT payload FROM converge.run_events WHERE kind = 'cutover.completed'");
  console.log(
    JSON.stringify(
      {
        burst: { rows, writeSeconds: written, appliedSeconds: applied, changesPerSecond: Math.round(rows / applied) },
        steady: { transactionsPerSecond: rate, seconds, transactions: tx, changesBehindEachSecond: lags },
        cutover: { exit: cut, downtimeSeconds: ev[0]?.payload.downtimeSeconds },
      },
      null,
      2,
    ),
  );
  child.kill('SIGKILL');
  await my.end();
  await pg.end();
  await fsp.rm(dir, { recursive: true, force: true });
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});

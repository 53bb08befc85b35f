/**
 * The transform stage alone, on one core: CSV in → mapping (fixtures/mappings/bench) → CSV out, with no
 * database. Generates the bench tables' hard values (uuids, ENUM, TINYINT(1), DATETIME(6), zero
 * dates, JSON, unicode text with quotes and new lines, DECIMAL) as export CSV, then runs the
 * same code as runTransform (transformTableFiles: the export's sha256 checked, the output hashed).
 *
 *   node dist/bench/transform-bench.js [--rows 1000000] [--keep] [--engine strings] [--table accounts]
 *   node --cpu-prof dist/bench/transform-bench.js   (profile: open the .cpuprofile in DevTools)
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CsvFileWriter } from '../src/csv/csv-file-writer';
import { loadMapping } from '../src/mapping/load-mapping';
import { projectRoot } from '../src/pipeline/project-root';
import { compileTable, SourceColumn } from '../src/transform/compile-table';
import { transformTableFiles } from '../src/transform/transform-table';
import { HARD_TEXTS } from './dataset';

interface TableSpec {
  name: string;
  columns: string[];
  row: (i: number) => Array<string | null>;
}

const KINDS = ['login', 'logout', 'purchase', 'refund', 'profile_update'];
const STATUSES = ['active', 'suspended', 'deleted'];

function uuid(i: number, salt: number): string {
  const h = ((i * 2654435761) ^ salt) >>> 0;
  const hex = h.toString(16).padStart(8, '0') + (i >>> 0).toString(16).padStart(8, '0');
  const up = i % 7 === 0; // some upper-case ids, as MySQL's CHAR(36) may hold
  const u = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(1, 4)}-${hex.slice(4, 16)}`;
  return up ? u.toUpperCase() : u;
}

function ts(i: number): string {
  const d = new Date(Date.UTC(2020, 0, 1) + i * 37_013);
  return d.toISOString().replace('T', ' ').replace('Z', '') + String(i % 1000).padStart(3, '0');
}

const TABLES: TableSpec[] = [
  {
    name: 'accounts',
    columns: [
      'id',
      'email',
      'display_name',
      'status',
      'is_verified',
      'balance',
      'profile',
      'created_at',
      'updated_at',
      'last_login_at',
    ],
    row: (i) => [
      uuid(i, 1),
      `user${i}@example.com`,
      `${HARD_TEXTS[i % HARD_TEXTS.length]} #${i}`,
      STATUSES[i % 3],
      String(i % 2),
      `${i % 100000}.${String(i % 100).padStart(2, '0')}`,
      i % 5 === 0
        ? null
        : JSON.stringify({ locale: 'nl', tags: ['a', 'b'], n: i, bio: HARD_TEXTS[i % HARD_TEXTS.length] }),
      ts(i),
      i % 3 === 0 ? null : ts(i + 1),
      i % 11 === 0 ? '0000-00-00 00:00:00' : ts(i + 2).slice(0, 19),
    ],
  },
  {
    name: 'events',
    columns: ['id', 'account_id', 'kind', 'payload', 'amount', 'is_test', 'note', 'occurred_at'],
    row: (i) => [
      String(i + 1),
      uuid(i >> 3, 1),
      KINDS[i % 5],
      JSON.stringify({ ip: `10.0.${i % 256}.${(i >> 8) % 256}`, ua: 'Mozilla/5.0', seq: i }),
      i % 4 === 0 ? null : `${i % 9999}.${String(i % 10000).padStart(4, '0')}`,
      String(i % 2),
      i % 3 === 0 ? null : HARD_TEXTS[i % HARD_TEXTS.length],
      ts(i),
    ],
  },
];

async function generate(dir: string, t: TableSpec, rows: number): Promise<{ file: string; sha256: string }> {
  const file = path.join(dir, `${t.name}.csv`);
  const w = new CsvFileWriter(file, t.columns);
  for (let i = 0; i < rows; i++) {
    w.append(t.row(i));
    if ((i & 1023) === 0) await w.flushIfFull();
  }
  const { sha256 } = await w.close();
  return { file, sha256 };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const rowsArg = args.indexOf('--rows');
  const events = rowsArg >= 0 ? Number(args[rowsArg + 1]) : 1_000_000;
  const keep = args.includes('--keep');
  const engine = args.includes('--engine') && args[args.indexOf('--engine') + 1] === 'strings' ? 'strings' : 'auto';
  const digests = new Map<string, string>();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'converge-transform-bench-'));
  try {
    const mapping = await loadMapping(path.join(projectRoot(), 'fixtures', 'mappings', 'bench'));
    const counts: Record<string, number> = { accounts: Math.max(1, Math.round(events / 10)), events };
    const results: Array<{ table: string; rows: number; bytes: number; seconds: number }> = [];
    const only = args.includes('--table') ? args[args.indexOf('--table') + 1] : undefined;
    for (const t of TABLES.filter((x) => !only || x.name === only)) {
      const { file: inFile, sha256 } = await generate(dir, t, counts[t.name]);
      digests.set(inFile, sha256);
      const rule = mapping.tables.get(t.name)!;
      const cols: SourceColumn[] = t.columns.map((name) => ({ name, encoding: 'text' }));
      const started = process.hrtime.bigint();
      const compiled = compileTable(rule, cols, { timezone: mapping.timezone, lookups: new Map(), origin: inFile });
      const writer = new CsvFileWriter(path.join(dir, `${t.name}.out.csv`), compiled.targetColumns);
      const { rowsIn: rows } = await transformTableFiles({
        compiled,
        rule,
        timezone: mapping.timezone,
        files: [{ file: inFile, sha256: digests.get(inFile) }],
        header: t.columns,
        writer,
        origin: inFile,
        engine,
      });
      await writer.close();
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      results.push({ table: t.name, rows, bytes: statSync(inFile).size, seconds });
    }
    const total = results.reduce(
      (a, r) => ({ rows: a.rows + r.rows, bytes: a.bytes + r.bytes, seconds: a.seconds + r.seconds }),
      { rows: 0, bytes: 0, seconds: 0 },
    );
    for (const r of [...results, { table: 'total', ...total }]) {
      process.stdout.write(
        `${r.table.padEnd(10)} ${String(r.rows).padStart(9)} rows  ${(r.bytes / 1e6).toFixed(1).padStart(7)} MB  ${r.seconds.toFixed(2).padStart(6)} s  ${(r.bytes / 1e6 / r.seconds).toFixed(1).padStart(6)} MB/s  ${Math.round(
          r.rows / r.seconds,
        )
          .toString()
          .padStart(8)} rows/s\n`,
      );
    }
    if (keep) process.stdout.write(`files kept in ${dir}\n`);
  } finally {
    if (!keep) rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  process.stderr.write(`transform bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});

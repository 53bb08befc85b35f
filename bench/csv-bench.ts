/**
 * The CSV codec alone, on one core: decode (readCsvBatches) and decode + encode (readCsvBatches →
 * CsvFileWriter), no mapping, no database. Input: the CSV files named, every .csv under a folder
 * named (an export), or, with neither, a generated file of hard values (quotes, commas, new
 * lines, unicode, NULL and '').
 *
 *   node dist/bench/csv-bench.js [--rows 1000000] [--repeat 3] [<file.csv | export-dir> ...]
 *   node --cpu-prof dist/bench/csv-bench.js <file.csv>   (profile: open the .cpuprofile in DevTools)
 *
 * Prints MB/s (input bytes / seconds) and rows/s for each pass, by wall clock and by CPU time (the
 * fair figure when other processes share the cores), best of --repeat, and the peak RSS.
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CsvFileWriter } from '../src/csv/csv-file-writer';
import { readCsvBatches } from '../src/csv/read-csv';
import { HARD_TEXTS } from './dataset';

function inputFiles(args: string[]): string[] {
  const out: string[] = [];
  for (const a of args) {
    if (statSync(a).isDirectory()) {
      for (const e of readdirSync(a, { recursive: true, withFileTypes: true })) {
        if (e.isFile() && e.name.endsWith('.csv')) out.push(path.join(e.parentPath, e.name));
      }
    } else out.push(a);
  }
  return out.sort();
}

async function generate(file: string, rows: number): Promise<void> {
  const w = new CsvFileWriter(file, ['id', 'uuid', 'name', 'note', 'json', 'amount', 'created_at', 'flag']);
  for (let i = 0; i < rows; i++) {
    const hex = ((i * 2654435761) >>> 0).toString(16).padStart(8, '0');
    w.append([
      String(i + 1),
      `${hex}-0000-4000-8000-${hex}${hex.slice(0, 4)}`,
      i % 13 === 0 ? '' : `user ${i}`,
      i % 3 === 0 ? null : HARD_TEXTS[i % HARD_TEXTS.length],
      JSON.stringify({ n: i, tags: ['a', 'b'], ua: 'Mozilla/5.0 (X11; Linux x86_64)' }),
      `${i % 100000}.${String(i % 100).padStart(2, '0')}`,
      new Date(Date.UTC(2020, 0, 1) + i * 37_013).toISOString().replace('T', ' ').replace('Z', ''),
      String(i % 2),
    ]);
    if ((i & 1023) === 0) await w.flushIfFull();
  }
  await w.close();
}

async function decodeOnly(files: string[]): Promise<number> {
  let rows = 0;
  for (const file of files) for await (const b of readCsvBatches({ file })) rows += b.length;
  return rows;
}

async function decodeEncode(files: string[], outDir: string): Promise<number> {
  let rows = 0;
  for (const file of files) {
    let w: CsvFileWriter | undefined;
    for await (const b of readCsvBatches({ file })) {
      // The header is checked, not yielded: the column count is enough for a bench.
      w ??= new CsvFileWriter(
        path.join(outDir, 'out.csv'),
        b[0].fields.map((_, i) => `c${i}`),
      );
      for (const r of b) w.append(r.fields);
      await w.flushIfFull();
      rows += b.length;
    }
    await w?.close();
  }
  return rows;
}

interface Timing {
  rows: number;
  seconds: number;
  /** CPU seconds (user + system, all threads): the figure that means something on a loaded machine. */
  cpu: number;
}

async function timed(run: () => Promise<number>, repeat: number): Promise<Timing> {
  let best: Timing = { rows: 0, seconds: Infinity, cpu: Infinity };
  for (let k = 0; k < repeat; k++) {
    const started = process.hrtime.bigint();
    const cpu0 = process.cpuUsage();
    const rows = await run();
    const c = process.cpuUsage(cpu0);
    const t: Timing = {
      rows,
      seconds: Number(process.hrtime.bigint() - started) / 1e9,
      cpu: (c.user + c.system) / 1e6,
    };
    if (t.cpu < best.cpu) best = t;
  }
  return best;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const take = (flag: string, dflt: number): number => {
    const i = args.indexOf(flag);
    if (i < 0) return dflt;
    const v = Number(args[i + 1]);
    args.splice(i, 2);
    return v;
  };
  const rows = take('--rows', 1_000_000);
  const repeat = take('--repeat', 3);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'converge-csv-bench-'));
  try {
    let files = inputFiles(args);
    if (files.length === 0) {
      files = [path.join(dir, 'in.csv')];
      await generate(files[0], rows);
    }
    const bytes = files.reduce((a, f) => a + statSync(f).size, 0);
    const line = (label: string, r: Timing): void => {
      const rate = (s: number) =>
        `${(bytes / 1e6 / s).toFixed(1).padStart(6)} MB/s ${Math.round(r.rows / s)
          .toString()
          .padStart(8)} rows/s`;
      process.stdout.write(
        `${label.padEnd(14)} ${String(r.rows).padStart(9)} rows ${(bytes / 1e6).toFixed(1).padStart(7)} MB | wall ${r.seconds.toFixed(2).padStart(6)} s ${rate(r.seconds)} | cpu ${r.cpu.toFixed(2).padStart(6)} s ${rate(r.cpu)}\n`,
      );
    };
    line('decode', await timed(() => decodeOnly(files), repeat));
    line('decode+encode', await timed(() => decodeEncode(files, dir), repeat));
    process.stdout.write(
      `peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB; load average ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')} on ${os.cpus().length} cores\n`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  process.stderr.write(`csv bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});

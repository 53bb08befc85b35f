import { parseConnectionUrl } from '../src/core/connection-url';
import { silentLogger } from '../src/core/logger';
import { runExport } from '../src/export/run-export';

/**
 * One export in its own process, so its peak RSS is the exporter's alone:
 * node export-bench-worker.js <mysql-url> <out-dir> <table> <jobs>. Prints one JSON line.
 */
async function main(): Promise<void> {
  const [url, outDir, table, jobs] = process.argv.slice(2);
  const started = process.hrtime.bigint();
  const res = await runExport({
    source: parseConnectionUrl(url, 'mysql', 'source'),
    outDir,
    pipeline: 'bench',
    tables: [table],
    jobs: Number(jobs),
    log: silentLogger(),
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const t = res.tables[0];
  process.stdout.write(
    JSON.stringify({
      rows: t.rows,
      bytes: t.bytes,
      chunks: t.chunks,
      seconds,
      maxRssKb: process.resourceUsage().maxRSS,
    }) + '\n',
  );
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack ?? e}\n`);
  process.exitCode = 1;
});

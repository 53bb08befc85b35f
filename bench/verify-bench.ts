/**
 * `node dist/bench/verify-bench.js [--scale S] [--rounds N] [--builds A,B]`: verify's time against
 * the load's, on the bench dataset (JSON columns included) in databases of its own
 * (converge_vbench), apart from `npm run bench`'s. Each round reloads the target with
 * `migrate --no-verify` and then runs `migrate --verify-only` once per build, the builds'
 * order alternating round by round, so two builds (this checkout and another one's, both built)
 * are compared paired, on the same machine load (the first build loads). Prints each run and the
 * median ratios.
 */
import { Command, InvalidArgumentError } from 'commander';
import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { withDatabase } from '../src/core/connection-url';
import { createLogger } from '../src/core/logger';
import { resolveSource, resolveTarget } from '../src/core/settings';
import { loadPipeline } from '../src/pipeline/load-pipeline';
import { projectRoot } from '../src/pipeline/project-root';
import { convergeCommand, ConvergeRunOptions } from './converge-run';
import { BENCH_TABLES, rowsAtScale } from './dataset';
import { generateSource, sourceRowCounts } from './generate-source';
import { recreateTarget } from './run-bench';

const DATABASE = 'converge_vbench';

const positive = (what: string) => (v: string) => {
  const n = Number(v);
  if (!(n > 0) || !Number.isFinite(n)) throw new InvalidArgumentError(`${what} must be a positive number`);
  return n;
};

async function main(argv: string[]): Promise<number> {
  const f = new Command('verify-bench')
    .option('--scale <s>', 'dataset size (1 = 3 million rows; the default about 500,000)', positive('--scale'), 1 / 6)
    .option('--rounds <n>', 'loads, each followed by one verify per build', positive('--rounds'), 3)
    .option('--builds <list>', 'comma-separated converge checkouts (built) to verify with', projectRoot())
    .option('--regenerate', 'rebuild the source even when it holds this scale')
    .parse(argv)
    .opts<{ scale: number; rounds: number; builds: string; regenerate?: boolean }>();
  const builds = f.builds.split(',').map((b) => path.resolve(b.trim()));
  const log = createLogger({ level: process.env.CONVERGE_LOG_LEVEL ?? 'warn' });
  const server = {
    source: resolveSource({}),
    target: resolveTarget({}),
  };
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'converge-vbench-'));
  try {
    // The bench pipeline with databases of its own; its files named from the fixtures folder.
    const fixtures = path.join(projectRoot(), 'fixtures');
    const file = path.join(dir, 'pipeline.yaml');
    await fsp.writeFile(
      file,
      (await fsp.readFile(path.join(fixtures, 'pipelines', 'bench', 'pipeline.yaml'), 'utf8'))
        .replace(/database: converge_bench/g, `database: ${DATABASE}`)
        .replace(/\.\.\/\.\.\//g, fixtures + '/'),
    );
    const pipeline = await loadPipeline(file);
    const rows = rowsAtScale(f.scale);
    const total = BENCH_TABLES.reduce((n, t) => n + rows[t], 0);
    const have = f.regenerate ? undefined : await sourceRowCounts(server.source, DATABASE);
    if (!have || BENCH_TABLES.some((t) => have[t] !== rows[t])) {
      say(`generating ${total} rows in ${DATABASE}…`);
      await generateSource({ server: server.source, pipeline, rows, jobs: 1, log });
    }
    const o: ConvergeRunOptions = {
      pipelineFile: file,
      source: withDatabase(server.source, DATABASE),
      target: withDatabase(server.target, DATABASE),
      workDir: path.join(dir, 'work'),
      logDir: dir,
      jobs: 2,
      verify: true,
    };
    const loads: number[] = [];
    const verifies = builds.map(() => [] as number[]);
    for (let round = 0; round < f.rounds; round++) {
      await recreateTarget(server.target, pipeline);
      await fsp.rm(o.workDir, { recursive: true, force: true });
      const load = await convergeCommand(o, builds[0], 'load')('migrate', ['--jobs', '2', '--no-verify']);
      if (load.exitCode !== 0) throw new Error(`load failed (${load.exitCode}):\n${load.tail}`);
      loads.push(load.seconds);
      say(`round ${round + 1}: load ${load.seconds.toFixed(1)} s, peak ${mb(load.peakRss)}`);
      const order = builds.map((_, i) => i);
      if (round % 2) order.reverse();
      for (const b of order) {
        const v = await convergeCommand(o, builds[b], `verify${b}`)('migrate', ['--verify-only']);
        if (v.exitCode !== 0) throw new Error(`verify with ${builds[b]} failed (${v.exitCode}):\n${v.tail}`);
        verifies[b].push(v.seconds);
        say(
          `  verify ${builds[b]}: ${v.seconds.toFixed(1)} s (${(v.seconds / load.seconds).toFixed(2)}× load, ${Math.round(total / v.seconds)} rows/s), peak ${mb(v.peakRss)}`,
        );
      }
    }
    for (let b = 0; b < builds.length; b++) {
      const ratios = verifies[b].map((v, i) => v / loads[i]);
      say(
        `${builds[b]}: median verify/load ${median(ratios).toFixed(2)}× (${ratios.map((r) => r.toFixed(2)).join(', ')})`,
      );
    }
    return 0;
  } finally {
    await fsp.rm(dir, { recursive: true, force: true });
  }
}

const say = (s: string) => process.stdout.write(s + '\n');
const mb = (b?: number) => (b ? `${Math.round(b / 2 ** 20)} MB` : '–');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

main(process.argv).then(
  (code) => (process.exitCode = code),
  (e) => {
    process.stderr.write(`${(e as Error).message}\n`);
    process.exitCode = 1;
  },
);

/**
 * `npm run bench -- [--scale S] [...]`: converge end to end and per stage, the physical limit
 * (the servers' own dump piped into COPY) and pgloader, on one generated dataset, each load
 * checked. Prints one table, writes bench/results/scale-S.json and updates docs/benchmarks.md.
 */
import { Command, InvalidArgumentError } from 'commander';
import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { formatTable } from '../src/cli/format-table';
import { isConvergeError } from '../src/core/errors';
import { createLogger } from '../src/core/logger';
import { resolveSource, resolveTarget } from '../src/core/settings';
import { projectRoot } from '../src/pipeline/project-root';
import { cells, HEADERS, machineLine, problemLine, tableRows, updateDocument, BenchResult } from './report';
import { ALL_TOOLS, FUSED_ID, runBench, ToolId } from './run-bench';

const positive = (what: string) => (v: string) => {
  const n = Number(v);
  if (!(n > 0) || !Number.isFinite(n)) throw new InvalidArgumentError(`${what} must be a positive number`);
  return n;
};

async function main(argv: string[]): Promise<number> {
  const program = new Command('bench')
    .description('benchmark converge against the physical limit and pgloader on a generated dataset')
    .option('--scale <s>', 'dataset size: 1 = 3 million rows, about 1 GB of CSV', positive('--scale'), 1)
    .option(
      '--source <url>',
      'MySQL server (or CONVERGE_SOURCE_URL); database converge_bench is (re)created',
      undefined,
    )
    .option(
      '--target <url>',
      'Postgres server (or CONVERGE_TARGET_URL); database converge_bench is (re)created',
      undefined,
    )
    .option(
      '-j, --jobs <n>',
      'export workers, tables loaded at once by the physical limit, generator connections',
      positive('--jobs'),
      2,
    )
    .option(
      '--pairs <n>',
      'rounds of paired runs: every tool once per round (A B A B …); ratios are the median of the rounds',
      positive('--pairs'),
      3,
    )
    .option('--tools <list>', `comma-separated subset of ${ALL_TOOLS.join(',')}`, ALL_TOOLS.join(','))
    .option('--regenerate', 'rebuild the dataset even when the source already holds this scale')
    .option('--no-verify', 'skip converge verify after its load (content is still compared across tools)')
    .option('--profile', 'afterwards, run converge once more under node --cpu-prof and summarise the hotspots')
    .option('--keep-files', 'keep the work folder (CSV files, logs, profiles)')
    .option('--timeout <seconds>', 'per-tool time limit', positive('--timeout'), 3600)
    .option('--json <file>', 'where to write the results (default bench/results/scale-<S>.json)')
    .option('--no-docs', 'do not update docs/benchmarks.md')
    .exitOverride();
  try {
    program.parse(argv);
  } catch (e) {
    const code = (e as { exitCode?: number }).exitCode;
    return code === 0 ? 0 : 2;
  }
  const f = program.opts<{
    scale: number;
    source?: string;
    target?: string;
    jobs: number;
    pairs: number;
    tools: string;
    regenerate?: boolean;
    verify: boolean;
    profile?: boolean;
    keepFiles?: boolean;
    timeout: number;
    json?: string;
    docs: boolean;
  }>();
  const tools = f.tools
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean) as ToolId[];
  const unknown = tools.filter((t) => !ALL_TOOLS.includes(t));
  if (unknown.length) {
    process.stderr.write(`unknown tool(s) ${unknown.join(', ')}; choose from ${ALL_TOOLS.join(', ')}\n`);
    return 2;
  }
  const log = createLogger({ level: process.env.CONVERGE_LOG_LEVEL ?? 'warn' });
  const say = (line: string) => process.stdout.write(line + '\n');
  const source = resolveSource(f.source);
  const target = resolveTarget(f.target);
  const res = await runBench({
    scale: f.scale,
    source,
    target,
    jobs: Math.round(f.jobs),
    pairs: Math.round(f.pairs),
    tools,
    regenerate: !!f.regenerate,
    verify: f.verify,
    profile: !!f.profile,
    keepFiles: !!f.keepFiles,
    timeoutSeconds: f.timeout,
    log,
    say,
  });
  const { workDir, ...result } = res;
  say('');
  say(`machine: ${machineLine(result.machine)}`);
  say(formatTable(HEADERS, tableRows(result).map(cells)));
  for (const t of result.targets)
    say(`${t.met === null ? '?' : t.met ? '✓' : '✗'} ${t.what}: ${t.actual} (target ${t.target})`);
  for (const t of result.tools.filter((x) => x.problems.length)) say(problemLine(t));
  if (result.profiles) {
    for (const [stage, p] of Object.entries(result.profiles)) {
      say(`\nprofile ${stage} (${(p.totalMs / 1000).toFixed(1)} s sampled):`);
      say(
        formatTable(
          ['self %', 'self ms', 'function'],
          p.functions.map((x) => [x.selfPercent.toFixed(1), x.selfMs, x.name]),
        ),
      );
    }
  }
  const root = projectRoot();
  // Committed files carry no machine paths: the work folder and home become placeholders.
  const clean = scrub(result, [workDir, root, os.tmpdir(), os.homedir()]);
  const jsonFile = path.resolve(f.json ?? path.join(root, 'bench', 'results', `scale-${f.scale}.json`));
  await fsp.mkdir(path.dirname(jsonFile), { recursive: true });
  await fsp.writeFile(jsonFile, JSON.stringify(clean, null, 2) + '\n');
  say(`results: ${path.relative(process.cwd(), jsonFile)}`);
  if (f.docs) {
    const docFile = path.join(root, 'docs', 'benchmarks.md');
    const doc = await fsp.readFile(docFile, 'utf8').catch(() => '# Benchmarks\n');
    await fsp.writeFile(docFile, updateDocument(doc, clean));
    say(`updated: ${path.relative(process.cwd(), docFile)}`);
  }
  if (workDir) say(`work files kept in ${workDir}`);
  // Either converge path failing its load (counts or content) fails the bench.
  const ours = result.tools.filter((t) => t.id === 'converge' || t.id === FUSED_ID);
  return ours.some((t) => t.status === 'failed') ? 1 : 0;
}

function scrub(r: BenchResult, paths: Array<string | undefined>): BenchResult {
  let text = JSON.stringify(r);
  for (const p of paths.filter((x): x is string => !!x && x.length > 1).sort((a, b) => b.length - a.length))
    text = text.split(p).join('…');
  return JSON.parse(text) as BenchResult;
}

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(
      isConvergeError(e)
        ? `bench: ${e.code}: ${e.message}\n`
        : `bench failed (a bug): ${e instanceof Error ? e.stack : String(e)}\n`,
    );
    process.exitCode = 1;
  },
);

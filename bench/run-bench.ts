import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Logger } from 'pino';
import { ConnectionInfo, withDatabase } from '../src/core/connection-url';
import { loadPipeline, Pipeline, pipelinePath } from '../src/pipeline/load-pipeline';
import { projectRoot } from '../src/pipeline/project-root';
import { applyMigrations } from '../src/schema/apply-migrations';
import { openPg, quotePg } from '../src/target/postgres/connect';
import { digestTarget, judgeLoad, TargetDigest, truncateTarget } from './content-check';
import { ConvergeRun, CONVERGE_STAGES, FusedRun, runConverge, runConvergeFused } from './converge-run';
import { CpuProfile, ProfileSummary, sourceMapLocator, summarizeProfile } from './cpu-profile';
import { BenchTable, BENCH_TABLES, rowsAtScale } from './dataset';
import { generateSource, sourceRowCounts } from './generate-source';
import { describeMachine } from './machine';
import { Measured } from './measure';
import { PGLOADER_INSTALL_HINT, runPgloader } from './pgloader-run';
import { runPhysicalLimit } from './physical-limit';
import { RunRecord, toolResults } from './paired';
import { BenchResult, judgeTargets, ToolStatus } from './report';
import {
  bareTables,
  createStatement,
  rebuildPlan,
  SchemaObject,
  schemaDifferences,
  schemaObjects,
  sequenceStatements,
} from './schema-objects';

/** converge = both converge modes; staged or fused picks one. */
export type ToolId = 'converge' | 'staged' | 'fused' | 'limit' | 'pgloader';
export const ALL_TOOLS: ToolId[] = ['converge', 'staged', 'fused', 'limit', 'pgloader'];

export interface BenchOptions {
  scale: number;
  /** Server URLs; the pipeline names the databases. */
  source: ConnectionInfo;
  target: ConnectionInfo;
  /** converge export workers, tables the physical limit loads at once, generator connections. */
  jobs: number;
  /** Rounds of paired runs: every tool once per round (A B A B …). */
  pairs: number;
  tools: ToolId[];
  regenerate: boolean;
  verify: boolean;
  profile: boolean;
  keepFiles: boolean;
  timeoutSeconds: number;
  log: Logger;
  say: (line: string) => void;
}

/** Builds (or reuses) the dataset, runs every tool on it `pairs` times into the same empty target, checks each load. */
export async function runBench(o: BenchOptions): Promise<BenchResult & { workDir?: string }> {
  const startedAt = new Date().toISOString();
  const pipeline = await loadPipeline(path.join(projectRoot(), 'fixtures', 'pipelines', 'bench', 'pipeline.yaml'));
  const source = withDatabase(o.source, pipeline.source.database);
  const target = withDatabase(o.target, pipeline.target.database);
  const machine = await describeMachine(o.source, o.target);
  const rows = rowsAtScale(o.scale);
  const totalRows = BENCH_TABLES.reduce((n, t) => n + rows[t], 0);
  const pairs = Math.max(1, Math.round(o.pairs));

  let generatedSeconds: number | undefined;
  const have = o.regenerate ? undefined : await sourceRowCounts(o.source, pipeline.source.database);
  if (have && BENCH_TABLES.every((t) => have[t] === rows[t]))
    o.say(`source ${pipeline.source.database}: already holds scale ${o.scale} (${totalRows} rows), reused`);
  else {
    o.say(`source ${pipeline.source.database}: generating scale ${o.scale} (${totalRows} rows)…`);
    generatedSeconds = await generateSource({ server: o.source, pipeline, rows, jobs: o.jobs, log: o.log });
    o.say(`  generated in ${generatedSeconds.toFixed(1)} s`);
  }
  await recreateTarget(o.target, pipeline);
  // The end state every tool must reach: the schema's keys, indexes and validated foreign keys.
  const objects = await schemaObjects(target);
  const sequences = await sequenceStatements(target);
  o.say(`target ${pipeline.target.database}: schema applied (${objects.length} keys, indexes and foreign keys)`);

  const workDir = await fsp.mkdtemp(path.join(os.tmpdir(), 'converge-bench-'));
  const runs = new Map<string, { label: string; stageOf?: string; runs: RunRecord[]; status?: ToolStatus }>();
  const record = (id: string, label: string, run: RunRecord, stageOf?: string) => {
    const entry = runs.get(id) ?? { label, stageOf, runs: [] };
    entry.runs.push(run);
    runs.set(id, entry);
  };
  let reference: { name: string; digest: TargetDigest } | undefined;
  let csvBytes: number | undefined;
  let profiles: Record<string, ProfileSummary> | undefined;
  let fusedVerify: { load: Measured; verify: Measured } | undefined;
  let pgloaderMissing = false;
  /** Rows, content against the first good load, and the schema objects every tool must leave. */
  const check = async (name: string): Promise<{ problems: string[]; digest: TargetDigest }> => {
    const digest = await digestTarget(target);
    const verdict = judgeLoad(digest, rows, reference);
    const schema = schemaDifferences(objects, await schemaObjects(target));
    return { problems: [...verdict.problems, ...schema.map((d) => `schema: ${d}`)], digest };
  };
  const load = () => os.loadavg()[0];
  const staged = o.tools.includes('converge') || o.tools.includes('staged');
  const fused = o.tools.includes('converge') || o.tools.includes('fused');
  try {
    for (let round = 1; round <= pairs; round++) {
      const tag = pairs > 1 ? ` [round ${round}/${pairs}]` : '';
      // The proof runs once (untimed): later rounds load the same data the same way.
      const verify = o.verify && round === 1;
      if (staged) {
        o.say(`converge: export, transform, import (one process each)…${tag}`);
        await truncateTarget(target);
        const loadAverage = load();
        const run = await runConverge({
          pipelineFile: pipeline.file,
          source,
          target,
          workDir: path.join(workDir, 'converge'),
          logDir: workDir,
          jobs: o.jobs,
          verify,
          timeoutSeconds: o.timeoutSeconds,
        });
        csvBytes ??= run.exportBytes;
        const problems = convergeProblems(run);
        const { problems: found, digest } = await check('converge');
        problems.push(...found);
        record('converge', 'converge staged end to end', timed(round, run.seconds, run.peakRss, loadAverage, problems));
        for (const s of CONVERGE_STAGES) {
          const m = run.stages[s];
          record(
            `converge-${s}`,
            s,
            timed(round, m.seconds, m.peakRss, loadAverage, m.exitCode === 0 ? [] : [exitProblem(m)]),
            'converge',
          );
        }
        if (!problems.length) reference ??= { name: 'converge', digest };
        o.say(
          `  ${problems.length ? `FAILED: ${problems.join('; ')}` : `${run.seconds.toFixed(1)} s${verify ? ', verified' : ''}`}`,
        );
      }
      if (fused) {
        o.say(`converge migrate: one process, ${o.jobs} tables at a time…${tag}`);
        await truncateTarget(target);
        const loadAverage = load();
        const run = await runConvergeFused({
          pipelineFile: pipeline.file,
          source,
          target,
          workDir: path.join(workDir, 'converge-fused'),
          logDir: workDir,
          jobs: o.jobs,
          verify,
          timeoutSeconds: o.timeoutSeconds,
        });
        const problems = fusedProblems(run);
        const { problems: found, digest } = await check('converge-fused');
        problems.push(...found);
        record(
          FUSED_ID,
          'converge migrate',
          timed(round, run.migrate.seconds, run.migrate.peakRss, loadAverage, problems),
        );
        if (run.verify) {
          fusedVerify = { load: run.migrate, verify: run.verify };
          record(
            `${FUSED_ID}-verify`,
            'verify (migrate --verify-only, untimed round 1 only)',
            timed(
              round,
              run.verify.seconds,
              run.verify.peakRss,
              load(),
              run.verify.exitCode === 0 ? [] : [exitProblem(run.verify)],
            ),
            FUSED_ID,
          );
        }
        if (!problems.length) reference ??= { name: 'converge migrate', digest };
        o.say(
          `  ${problems.length ? `FAILED: ${problems.join('; ')}` : `${run.migrate.seconds.toFixed(1)} s${run.verify ? ', verified' : ''}`}`,
        );
      }
      if (o.tools.includes('limit')) {
        o.say(
          `physical limit: mariadb --quick --batch | psql \\copy into bare tables, ${o.jobs} at a time, then keys, indexes, foreign keys…${tag}`,
        );
        await truncateTarget(target);
        await bareTables(target, objects);
        const loadAverage = load();
        const m = await runPhysicalLimit({
          source,
          target,
          jobs: o.jobs,
          dir: workDir,
          rebuild: rebuildPlan(objects),
          sequences,
          timeoutSeconds: o.timeoutSeconds,
        });
        const problems = m.exitCode === 0 ? [] : [exitProblem(m)];
        const { problems: found, digest } = await check('limit');
        problems.push(...found);
        record(
          'limit',
          'physical limit (mariadb | psql \\copy, bare tables, then keys)',
          timed(round, m.seconds, m.peakRss, loadAverage, problems),
        );
        if (!problems.length) reference ??= { name: 'the physical limit', digest };
        // A failed limit may have left bare tables: the next tool needs the schema back.
        if (problems.length) await restoreSchema(target, objects);
        o.say(
          `  ${problems.length ? `FAILED: ${problems.join('; ')}` : `${m.seconds.toFixed(1)} s (keys, indexes and foreign keys ${m.buildSeconds.toFixed(1)} s of work)`}`,
        );
      }
      if (o.tools.includes('pgloader')) {
        if (!machine.pgloader) {
          pgloaderMissing = true;
          if (round === 1) o.say(`pgloader: not installed (${PGLOADER_INSTALL_HINT})`);
        } else {
          o.say(`pgloader: data only into the same target…${tag}`);
          await truncateTarget(target);
          const loadAverage = load();
          const m = await runPgloader({ source, target, dir: workDir, timeoutSeconds: o.timeoutSeconds });
          const problems = m.exitCode === 0 ? [] : [exitProblem(m)];
          const { problems: found } = await check('pgloader');
          problems.push(...found);
          record('pgloader', 'pgloader', timed(round, m.seconds, m.peakRss, loadAverage, problems));
          if (problems.length) await restoreSchema(target, objects);
          o.say(`  ${problems.length ? `FAILED: ${problems.join('; ')}` : `${m.seconds.toFixed(1)} s`}`);
        }
      }
    }
    if (o.profile && staged) {
      o.say('converge again under --cpu-prof (not timed)…');
      await truncateTarget(target);
      const profDir = path.join(workDir, 'profiles');
      const run = await runConverge({
        pipelineFile: pipeline.file,
        source,
        target,
        workDir: path.join(workDir, 'converge-profiled'),
        logDir: workDir,
        jobs: o.jobs,
        verify: false,
        cpuProfileDir: profDir,
        timeoutSeconds: o.timeoutSeconds,
        label: 'profile',
      });
      profiles = run.failedStage ? undefined : await summarizeProfiles(profDir, CONVERGE_STAGES);
    }
    if (o.profile && fused) {
      o.say('converge migrate again under --cpu-prof (not timed)…');
      await truncateTarget(target);
      const profDir = path.join(workDir, 'profiles-fused');
      const run = await runConvergeFused({
        pipelineFile: pipeline.file,
        source,
        target,
        workDir: path.join(workDir, 'fused-profiled'),
        logDir: workDir,
        jobs: o.jobs,
        verify: false,
        cpuProfileDir: profDir,
        timeoutSeconds: o.timeoutSeconds,
        label: 'profile-fused',
      });
      if (run.migrate.exitCode === 0) profiles = { ...profiles, ...(await summarizeProfiles(profDir, ['migrate'])) };
    }
  } finally {
    if (!o.keepFiles) await fsp.rm(workDir, { recursive: true, force: true });
  }
  const tools = toolResults(runs);
  if (pgloaderMissing)
    tools.push({
      id: 'pgloader',
      label: 'pgloader',
      status: 'not installed',
      problems: [`not on PATH; install: ${PGLOADER_INSTALL_HINT}`],
    });
  const partial = {
    format: 'converge-bench/1' as const,
    scale: o.scale,
    rounds: pairs,
    startedAt,
    machine,
    dataset: { rows, totalRows, csvBytes, generatedSeconds },
    tools,
    profiles,
  };
  return {
    ...partial,
    targets: [...judgeTargets(partial), ...(fusedVerify ? verifyTargets(fusedVerify, totalRows) : [])],
    workDir: o.keepFiles ? workDir : undefined,
  };
}

/** One run's record: no time when it failed. */
function timed(
  round: number,
  seconds: number,
  peakRssBytes: number | undefined,
  loadAverage: number,
  problems: string[],
): RunRecord {
  return { round, seconds: problems.length ? undefined : seconds, peakRssBytes, loadAverage, problems };
}

async function restoreSchema(target: ConnectionInfo, objects: SchemaObject[]): Promise<void> {
  await truncateTarget(target);
  const now = await schemaObjects(target);
  const have = new Set(now.map((x) => `${x.table}.${x.name}`));
  const order = (x: SchemaObject) => (x.kind === 'foreign key' ? 1 : 0);
  const missing = objects.filter((x) => !have.has(`${x.table}.${x.name}`)).sort((a, b) => order(a) - order(b));
  const pg = await openPg(target, { applicationName: 'converge bench schema' });
  try {
    for (const x of missing) await pg.query(createStatement(x));
  } finally {
    await pg.end().catch(() => undefined);
  }
}

function exitProblem(m: Measured): string {
  const last =
    m.tail
      .split('\n')
      .filter((l) => l.trim())
      .pop() ?? '';
  return m.timedOut ? 'timed out' : `exit code ${m.exitCode}${last ? `: ${last.slice(0, 200)}` : ''}`;
}

export const FUSED_ID = 'converge-fused';

/** verify is timed apart from the load it proves: its time against the load's, and the peak of the two processes. */
export function verifyTargets(m: { load: Measured; verify: Measured }, rows: number): BenchResult['targets'] {
  const ok = m.load.exitCode === 0 && m.verify.exitCode === 0;
  const ratio = ok ? m.verify.seconds / m.load.seconds : undefined;
  const peak = Math.max(m.load.peakRss ?? 0, m.verify.peakRss ?? 0);
  return [
    {
      what: `converge verify / migrate load (time; verify ${ok ? Math.round(rows / m.verify.seconds).toLocaleString('en-US') : '–'} rows/s)`,
      target: '≤ 0.50',
      actual: ratio === undefined ? '–' : ratio.toFixed(2),
      met: ratio === undefined ? null : ratio <= 0.5,
    },
    {
      what: 'converge migrate + verify peak RSS',
      target: '≤ 256 MB',
      actual: peak ? `${Math.round(peak / 2 ** 20)} MB` : '–',
      met: peak ? peak <= 256 * 2 ** 20 : null,
    },
  ];
}

function fusedProblems(run: FusedRun): string[] {
  const out: string[] = [];
  if (run.migrate.exitCode !== 0) out.push(`migrate ${exitProblem(run.migrate)}`);
  if (run.verify && run.verify.exitCode !== 0) out.push(`converge migrate --verify-only ${exitProblem(run.verify)}`);
  return out;
}

function convergeProblems(run: ConvergeRun): string[] {
  const out: string[] = [];
  if (run.failedStage) out.push(`${run.failedStage} ${exitProblem(run.stages[run.failedStage])}`);
  if (run.verify && run.verify.exitCode !== 0) out.push(`converge verify ${exitProblem(run.verify)}`);
  return out;
}

export async function recreateTarget(server: ConnectionInfo, pipeline: Pipeline): Promise<void> {
  const db = pipeline.target.database;
  const admin = await openPg(withDatabase(server, 'postgres'), { applicationName: 'converge bench' });
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${quotePg(db)} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${quotePg(db)} ENCODING 'UTF8' TEMPLATE template0`);
  } finally {
    await admin.end().catch(() => undefined);
  }
  await applyMigrations({
    dialect: 'postgres',
    connection: withDatabase(server, db),
    dir: pipelinePath(pipeline, pipeline.target.migrations!),
    tracking: pipeline.target.tracking!,
  });
}

/** One summary per stage, from the largest profile its process wrote. */
async function summarizeProfiles(dir: string, stages: readonly string[]): Promise<Record<string, ProfileSummary>> {
  const out: Record<string, ProfileSummary> = {};
  const locate = sourceMapLocator();
  for (const stage of stages) {
    const files = await fsp.readdir(path.join(dir, stage)).catch(() => [] as string[]);
    let best: { size: number; file: string } | undefined;
    for (const f of files.filter((n) => n.endsWith('.cpuprofile'))) {
      const size = (await fsp.stat(path.join(dir, stage, f))).size;
      if (!best || size > best.size) best = { size, file: path.join(dir, stage, f) };
    }
    if (best)
      out[stage] = summarizeProfile(JSON.parse(await fsp.readFile(best.file, 'utf8')) as CpuProfile, 12, locate);
  }
  return out;
}

export type { BenchTable };

import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { ConnectionInfo, toUrl } from '../src/core/connection-url';
import { projectRoot } from '../src/pipeline/project-root';
import { Measured, runMeasured } from './measure';

export const CONVERGE_STAGES = ['export', 'transform', 'import'] as const;
export type ConvergeStage = (typeof CONVERGE_STAGES)[number];

export interface ConvergeRun {
  stages: Record<ConvergeStage, Measured>;
  /** Sum of the stages (they run one after another), or undefined when one failed. */
  seconds: number;
  peakRss?: number;
  exitCode: number;
  failedStage?: ConvergeStage;
  /** Bytes of CSV the export wrote (the dataset's size in every MB/s column). */
  exportBytes?: number;
  exportRows?: number;
  /** `converge verify` after the load (not timed): counts and checksums against the live source. */
  verify?: Measured;
}

/**
 * converge as an operator runs it: the built CLI, one process per stage, so each stage's time
 * and peak RSS are its own. Connection URLs travel in the environment, not on command lines.
 */
export async function runConverge(o: ConvergeRunOptions): Promise<ConvergeRun> {
  await fsp.rm(o.workDir, { recursive: true, force: true });
  const root = projectRoot();
  const env = cliEnv(o);
  const stage = cliStage(o, env, root, o.label ?? 'converge');
  const stages: Partial<Record<ConvergeStage, Measured>> = {};
  let failedStage: ConvergeStage | undefined;
  for (const s of CONVERGE_STAGES) {
    const m = await stage(s, s === 'export' ? ['--jobs', String(o.jobs)] : [], s);
    stages[s] = m;
    if (m.exitCode !== 0) {
      failedStage = s;
      break;
    }
  }
  for (const s of CONVERGE_STAGES) stages[s] ??= { seconds: 0, exitCode: -1, tail: 'not run' };
  const done = stages as Record<ConvergeStage, Measured>;
  const manifest = (await fsp
    .readFile(path.join(o.workDir, 'export', 'manifest.json'), 'utf8')
    .then(JSON.parse)
    .catch(() => undefined)) as { tables: Record<string, { rows: number; bytes: number }> } | undefined;
  const tables = manifest ? Object.values(manifest.tables) : [];
  return {
    stages: done,
    seconds: CONVERGE_STAGES.reduce((n, s) => n + done[s].seconds, 0),
    peakRss: Math.max(0, ...CONVERGE_STAGES.map((s) => done[s].peakRss ?? 0)) || undefined,
    exitCode: failedStage ? done[failedStage].exitCode : 0,
    failedStage,
    exportBytes: manifest ? tables.reduce((n, t) => n + t.bytes, 0) : undefined,
    exportRows: manifest ? tables.reduce((n, t) => n + t.rows, 0) : undefined,
    verify: o.verify && !failedStage ? await stage('verify') : undefined,
  };
}

export interface ConvergeRunOptions {
  pipelineFile: string;
  source: ConnectionInfo;
  target: ConnectionInfo;
  workDir: string;
  logDir: string;
  jobs: number;
  verify: boolean;
  /** Write a V8 CPU profile of every stage (of the migrate process) into this folder. */
  cpuProfileDir?: string;
  timeoutSeconds?: number;
  label?: string;
}

export interface FusedRun {
  /** The one `converge migrate --no-verify` process: export, transform and import in one pass. */
  migrate: Measured;
  /** `converge migrate --verify-only` afterwards (not timed): the same proof as converge verify. */
  verify?: Measured;
}

/**
 * converge migrate (fused) as an operator runs it: one process streams every table from the
 * snapshot through the mapping into COPY, `jobs` tables at once. Timed without its proof, as the
 * staged stages are; the proof then runs on its manifest, untimed.
 */
export async function runConvergeFused(o: ConvergeRunOptions): Promise<FusedRun> {
  await fsp.rm(o.workDir, { recursive: true, force: true });
  const root = projectRoot();
  const stage = cliStage(o, cliEnv(o), root, o.label ?? 'converge-fused');
  const migrate = await stage('migrate', ['--jobs', String(o.jobs), '--no-verify'], 'migrate');
  const verify = o.verify && migrate.exitCode === 0 ? await stage('migrate', ['--verify-only']) : undefined;
  return { migrate, verify };
}

function cliEnv(o: ConvergeRunOptions): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    CONVERGE_SOURCE_URL: toUrl(o.source),
    CONVERGE_TARGET_URL: toUrl(o.target),
    CONVERGE_WORK_DIR: o.workDir,
    CONVERGE_LOG_LEVEL: 'info',
    CONVERGE_LOG_FORMAT: 'json',
  };
}

/** One CLI command of the built converge in `root` (another checkout's build, to pair two builds), measured. */
export function convergeCommand(o: ConvergeRunOptions, root: string, label: string) {
  return cliStage(o, cliEnv(o), root, label);
}

/** Runs one CLI command measured; `profile` names the folder of its CPU profile (when profiling). */
function cliStage(o: ConvergeRunOptions, env: NodeJS.ProcessEnv, root: string, label: string) {
  return async (name: string, extra: string[] = [], profile?: string): Promise<Measured> => {
    const node = [process.execPath];
    if (profile && o.cpuProfileDir) node.push('--cpu-prof', '--cpu-prof-dir', path.join(o.cpuProfileDir, profile));
    return runMeasured({
      stages: [[...node, path.join(root, 'bin', 'converge.js'), name, '--pipeline', o.pipelineFile, ...extra]],
      env,
      cwd: root,
      dir: o.logDir,
      label: `${label}-${name}${extra.includes('--verify-only') ? '-verify' : ''}`,
      log: path.join(o.logDir, `${label}.log`),
      timeoutSeconds: o.timeoutSeconds,
    });
  };
}

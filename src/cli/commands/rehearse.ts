import { Command } from 'commander';
import path from 'node:path';
import { withDatabase } from '../../core/connection-url';
import { ConvergeError } from '../../core/errors';
import { ExitCode } from '../../core/exit-codes';
import { createLogger } from '../../core/logger';
import { resolveJobs, resolveSource, resolveTarget, resolveWorkDir } from '../../core/settings';
import { loadPipeline } from '../../pipeline/load-pipeline';
import { projectDir } from '../../pipeline/project-dir';
import { formatDuration, parseSize } from '../../rehearse/predict-downtime';
import { CUTOVER_STAGES } from '../../rehearse/rehearsal-result';
import { PipelineRehearsal, rehearsePipeline } from '../../rehearse/run-rehearsal';
import { writeRehearsalReport } from '../../report/write-report';
import { formatBytes } from '../../run/run-summary';
import { formatTable } from '../format-table';
import { examplesText, JOBS_HELP, SOURCE_HELP, TARGET_HELP, withConnectionFlags } from '../context';
import type { RegisterCommand } from './index';

interface Flags {
  pipeline: string[];
  project?: string;
  source?: string;
  target?: string;
  scale?: string[];
  productionSize?: string;
  reuseSource?: boolean;
  databasePrefix: string;
  jobs?: string;
  keepFiles?: boolean;
  workDir?: string;
  reportDir?: string;
  json?: boolean;
  logLevel?: string;
}

/** "--scale 5000" for every pipeline, or "--scale kratos=100000" per pipeline. */
export function scaleFor(specs: string[] | undefined, pipeline: string): number | undefined {
  let out: number | undefined;
  for (const s of specs ?? []) {
    const [name, value] = s.includes('=') ? s.split('=', 2) : [undefined, s];
    if (name !== undefined && name !== pipeline) continue;
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1)
      throw new ConvergeError('USAGE', `--scale ${s}: expected a positive integer or pipeline=integer`, {
        key: 'scale',
      });
    out = n;
  }
  return out;
}

const PHASES = ['reset', 'source-schema', 'seed', 'schema-apply', 'load', 'verify'];

/**
 * `converge rehearse`: the cut-over on scratch databases, timed, predicted and reported. It runs
 * the runbook's cut-over commands through the same calls as the CLI: `converge schema apply`
 * (applyTargetSchema) and `converge migrate` with verification (runCutoverMigrate → runMigrate).
 */
export const register: RegisterCommand = (program: Command, setExit) => {
  withConnectionFlags(program.command('rehearse'))
    .description(
      "the cut-over on scratch databases: reset them, seed the source, then run the cut-over runbook's commands, `converge schema apply` and `converge migrate` (verify included), through the same code; time every phase and table; write report.md and report.html",
    )
    .addHelpText(
      'after',
      `
Correspondence with the cut-over (runbooks/cutover.md):
  converge rehearse --pipeline P --jobs N [--keep-files]
times, after the scratch set-up (phases reset, source-schema, seed; no part of a cut-over),
the same code and options as the runbook's cut-over commands:
  phase schema-apply    converge schema apply --pipeline P
  phases load, verify   converge migrate --pipeline P --jobs N [--keep-files]
                        (the command's own runMigrate call; load and verify are its timings)
Give it the --jobs and --keep-files of the cut-over command. --production-size is the MySQL
data size (information_schema DATA_LENGTH of the migrated tables); the prediction extrapolates
migrate's load and verify linearly from the rehearsal's source data size.`,
    )
    .addHelpText(
      'after',
      examplesText(
        'converge rehearse --pipeline shop --jobs 4 --production-size 40GB',
        'converge rehearse --pipeline kratos alkemio --scale kratos=100000 --reuse-source',
      ),
    )
    .requiredOption('-p, --pipeline <name...>', 'pipelines to rehearse, in order (repeat the flag or list them)')
    .option('--project <dir>', 'the project folder holding pipelines/ (or CONVERGE_PROJECT; default: .)')
    .option('--source <url>', `${SOURCE_HELP}; the database part is ignored`)
    .option('--target <url>', `${TARGET_HELP}; the database part is ignored`)
    .option(
      '--scale <n...>',
      "seed size: one number for every pipeline or pipeline=n (default: the pipeline's demoScale)",
    )
    .option(
      '--production-size <size>',
      "predict the cut-over downtime for this much MySQL data (DATA_LENGTH), e.g. 10GB (linear extrapolation of migrate's load and verify)",
    )
    .option(
      '--reuse-source',
      'keep a source seeded by an earlier rehearsal instead of seeding again (the target is always reset)',
    )
    .option(
      '--database-prefix <prefix>',
      'scratch databases are <prefix><pipeline> on both servers',
      'converge_rehearsal_',
    )
    .option(
      '-j, --jobs <n>',
      `converge migrate --jobs: tables moved at once (use the cut-over command's value) ${JOBS_HELP}`,
    )
    .option(
      '--keep-files',
      'converge migrate --keep-files: also write the transformed CSVs, as the cut-over command does with it',
    )
    .option(
      '--work-dir <dir>',
      "migrate's manifests and kept files go to <work-dir>/<pipeline> (or CONVERGE_WORK_DIR; default converge-work/rehearsal)",
    )
    .option('--report-dir <dir>', 'where report.md and report.html go (default <work-dir>/report)')
    .option('--json', 'print the rehearsal results as JSON')
    .option('--log-level <level>', 'log level', 'warn')
    .action(async (flags: Flags) => {
      const log = createLogger({ level: flags.logLevel });
      const jobs = resolveJobs(flags);
      const sourceServer = withDatabase(resolveSource(flags), undefined);
      const targetServer = withDatabase(resolveTarget(flags), undefined);
      // The rehearsal's pipelines each get a folder under <work-dir>/rehearsal by default.
      const workRoot = resolveWorkDir(flags, 'rehearsal');
      const productionBytes = flags.productionSize ? parseSize(flags.productionSize) : undefined;
      const names = flags.pipeline.flatMap((n) => n.split(',')).filter(Boolean);
      const pipelines = await Promise.all(names.map((n) => loadPipeline(n, projectDir(flags.project))));
      const done: PipelineRehearsal[] = [];
      for (const pipeline of pipelines) {
        done.push(
          await rehearsePipeline({
            pipeline,
            sourceServer,
            targetServer,
            database: `${flags.databasePrefix}${pipeline.name}`,
            scale: scaleFor(flags.scale, pipeline.name),
            reuseSource: flags.reuseSource,
            workDir: path.join(workRoot, pipeline.name),
            jobs,
            keepFiles: !!flags.keepFiles,
            productionBytes,
            log,
          }),
        );
      }
      const files = await writeRehearsalReport(path.resolve(flags.reportDir ?? path.join(workRoot, 'report')), {
        createdAt: new Date().toISOString(),
        productionBytes,
        pipelines: done,
      });
      if (flags.json) process.stdout.write(JSON.stringify({ report: files, rehearsals: done }, null, 2) + '\n');
      else {
        process.stdout.write(
          formatTable(
            ['pipeline', 'run', 'rows', 'source data', ...PHASES.map((p) => `${p} s`), 'verified', 'vs previous'],
            done.map(({ result: r, comparison: c }) => {
              const ph = (name: string) => r.phases.find((p) => p.phase === name)?.seconds.toFixed(2) ?? '-';
              const cut = c?.phases
                .filter((d) => (CUTOVER_STAGES as readonly string[]).includes(d.name))
                .reduce((n, d) => n + d.change, 0);
              return [
                r.pipeline,
                r.runId,
                r.rows,
                formatBytes(r.bytes),
                ...PHASES.map(ph),
                r.verified ? 'yes' : 'NO',
                cut === undefined ? 'first' : `${cut >= 0 ? '+' : ''}${cut.toFixed(2)} s`,
              ];
            }),
          ),
        );
        for (const { result: r } of done) {
          if (r.prediction)
            process.stdout.write(
              `${r.pipeline}: predicted cut-over downtime for ${formatBytes(r.prediction.productionBytes)}: ${formatDuration(r.prediction.totalSeconds)} (linear extrapolation of this rehearsal's converge migrate load and verify)\n`,
            );
        }
        process.stdout.write(`report: ${files.markdown}\n        ${files.html}\n`);
      }
      setExit(done.every((d) => d.result.verified) ? ExitCode.Ok : ExitCode.VerifyFailed);
    });
};

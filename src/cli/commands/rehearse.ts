import { Command } from 'commander';
import path from 'node:path';
import type { ConnectionInfo } from '../../core/connection-url';
import { ConvergeError } from '../../core/errors';
import { ExitCode } from '../../core/exit-codes';
import { createLogger } from '../../core/logger';
import { resolveJobs, resolveSource, resolveTarget, resolveWorkDir } from '../../core/settings';
import { loadPipeline } from '../../pipeline/load-pipeline';
import { projectDir } from '../../pipeline/project-dir';
import { formatDuration, parseCount, parseSize } from '../../rehearse/size-units';
import { rehearsePipeline, targetAddress } from '../../rehearse/run-rehearsal';
import { writeRehearsalReport } from '../../report/write-report';
import { formatBytes } from '../../run/run-summary';
import { formatTable } from '../format-table';
import { proofText } from '../../report/online-blocks';
import { examplesText, JOBS_HELP, withConnectionFlags } from '../context';
import type { RegisterCommand } from './index';

interface Flags {
  pipeline?: string;
  project?: string;
  source?: string;
  target?: string;
  resetTarget?: string;
  seed?: string;
  resetSource?: string;
  sampleFraction?: string;
  productionSize?: string;
  productionRows?: string;
  jobs?: string;
  keepFiles?: boolean;
  online?: boolean;
  workDir?: string;
  reportDir?: string;
  json?: boolean;
  logLevel?: string;
}

/** The cut-over's own connection (environment or .env), when one is configured: never a rehearsal's. */
function configured(resolve: () => ConnectionInfo): string | undefined {
  try {
    return targetAddress(resolve());
  } catch {
    // Nothing configured (or not a URL): there is no cut-over connection to protect.
    return undefined;
  }
}

/**
 * `converge rehearse`: the cut-over composition against the operator's own staging copy, timed,
 * predicted and reported. It runs the runbook's cut-over commands through the same calls as the
 * CLI: `converge schema apply` (applyTargetSchema, when the pipeline has migrations) and
 * `converge migrate` with verification (runCutoverMigrate → runMigrate).
 */
export const register: RegisterCommand = (program: Command, setExit) => {
  withConnectionFlags(program.command('rehearse'))
    .description(
      "the cut-over rehearsed on a staging copy: reset the scratch target, then run the cut-over runbook's commands, `converge schema apply` and `converge migrate` (verify included), through the same code; time every phase and table; predict the write downtime; with --online, also run the online cut-over (migrate --follow, follow checkpoint, cutover) and measure its write downtime; write report.md and report.html",
    )
    .addHelpText(
      'after',
      `
Correspondence with the cut-over (runbooks/cutover.md):
  converge rehearse --pipeline P --source URL --target URL --reset-target DB --jobs N [--keep-files]
runs, after resetting the scratch target (phase reset; no part of a cut-over), the same code
and options as the runbook's cut-over commands:
  phase schema-apply    converge schema apply --pipeline P   (only when the pipeline has target.migrations)
  phases load, verify   converge migrate --pipeline P --jobs N [--keep-files]
                        (the command's own runMigrate call; load and verify are its timings)
Give it the --jobs and --keep-files of the cut-over command. --source and --target must be
given on the command line (never taken from CONVERGE_*_URL, which name the cut-over's own
servers): the source is a copy of the production data, read only; the target a scratch
database the rehearsal empties before every run, named again with --reset-target. It refuses
a target whose run history holds a completed cut-over or a load no rehearsal made.
--seed SCALE builds the source with the pipeline's seeder instead (it drops and re-creates the
source database: confirm with --reset-source DB) and measures two sizes, a quarter and SCALE,
after a warm-up run at scale 1 (--sample-fraction 1: SCALE alone).
--production-size (MySQL DATA_LENGTH, e.g. 10GB) or --production-rows (e.g. 5M) predicts the
write downtime (migrate's load and verify) with a fixed + per-row model per phase and a range.
--online then runs the online cut-over on the same data, after another reset (refused before
anything runs when the source's binary log is not ROW with FULL row images):
  phase load            converge migrate --pipeline P --jobs N [--keep-files] --follow
  phase follow-catch-up   its follower, until it has applied what the source logged during the load
  phase checkpoint      converge follow checkpoint --pipeline P [--keep-files]
  phase cutover         converge cutover --pipeline P [--keep-files]   (the copy is quiet: --source-frozen)
and reports the switch's write downtime (freeze → verified), measured, beside the offline one.`,
    )
    .addHelpText(
      'after',
      examplesText(
        'converge rehearse --pipeline shop --source mysql://ro@staging/shop --target postgres://postgres@scratch/shop_rh --reset-target shop_rh --jobs 4 --production-size 40GB',
        'converge rehearse --pipeline shop --source mysql://ro@staging/shop --target postgres://postgres@scratch/shop_rh --reset-target shop_rh --jobs 4 --online',
        'converge rehearse --pipeline kratos --source mysql://root@127.0.0.1/kratos_rh --target postgres://postgres@127.0.0.1/kratos_rh --reset-target kratos_rh --seed 2000 --reset-source kratos_rh',
      ),
    )
    .option(
      '-p, --pipeline <name>',
      "pipeline name (<project>/pipelines/<name>/pipeline.yaml) or path to a pipeline.yaml; default: the project's only one",
    )
    .option('--project <dir>', 'the project folder holding pipelines/ and mappings/ (or CONVERGE_PROJECT; default: .)')
    .option('--source <url>', 'the MySQL copy of the production data, mysql://user:password@host:3306/database')
    .option('--target <url>', 'the scratch Postgres database, postgres://user:password@host:5432/database')
    .option('--reset-target <database>', "the target's database name again: it is reset before every run")
    .option('--seed <scale>', "seed the source with the pipeline's seeder at this scale (and a quarter of it)")
    .option('--reset-source <database>', "with --seed: the source's database name again (it is dropped and re-created)")
    .option(
      '--sample-fraction <share>',
      'with --seed: the first, smaller sample as a share of the scale (default 0.25); 1 measures the scale alone',
    )
    .option('--production-size <size>', 'predict the write downtime for this much MySQL data (DATA_LENGTH), e.g. 10GB')
    .option('--production-rows <rows>', 'predict the write downtime for this many source rows, e.g. 5M')
    .option(
      '-j, --jobs <n>',
      `converge migrate --jobs: tables moved at once (use the cut-over command's value) ${JOBS_HELP}`,
    )
    .option(
      '--keep-files',
      'converge migrate --keep-files: also write the transformed CSVs, as the cut-over command does with it',
    )
    .option(
      '--online',
      'also rehearse the online cut-over (migrate --follow, follow checkpoint, cutover) on the same data and measure its write downtime',
    )
    .option(
      '--work-dir <dir>',
      "migrate's manifests and kept files (or CONVERGE_WORK_DIR; default converge-work/rehearsal/<pipeline>)",
    )
    .option('--report-dir <dir>', 'where report.md and report.html go (default <work-dir>/report)')
    .option('--json', 'print the rehearsal result as JSON')
    .option('--log-level <level>', 'log level', 'warn')
    .action(async (flags: Flags) => {
      const log = createLogger({ level: flags.logLevel });
      const jobs = resolveJobs(flags);
      for (const side of ['source', 'target'] as const)
        if (!flags[side])
          throw new ConvergeError(
            'USAGE',
            `converge rehearse needs --${side} on its command line (a ${side === 'source' ? 'copy of the production data' : 'scratch database'}); CONVERGE_${side.toUpperCase()}_URL names the cut-over's own and is never used by a rehearsal`,
            { key: `--${side}` },
          );
      const source = resolveSource(flags);
      const target = resolveTarget(flags);
      const pipeline = await loadPipeline(flags.pipeline, projectDir(flags.project));
      // Each pipeline's rehearsal gets its own folder under <work-dir> (default converge-work/rehearsal).
      const workDir = path.join(resolveWorkDir(flags, 'rehearsal'), pipeline.name);
      if (flags.productionSize && flags.productionRows)
        throw new ConvergeError('USAGE', 'give --production-size or --production-rows, not both', {
          key: '--production-rows',
        });
      const production = flags.productionSize
        ? { bytes: parseSize(flags.productionSize) }
        : flags.productionRows
          ? { rows: parseCount(flags.productionRows) }
          : undefined;
      const scale = flags.seed === undefined ? undefined : Number(flags.seed);
      const fraction = flags.sampleFraction === undefined ? undefined : Number(flags.sampleFraction);
      if (fraction !== undefined && !(fraction > 0 && fraction <= 1))
        throw new ConvergeError(
          'USAGE',
          `--sample-fraction takes a share above 0 and at most 1, not "${flags.sampleFraction}"`,
          {
            key: '--sample-fraction',
          },
        );
      if (flags.seed !== undefined) {
        const cutoverSource = configured(() => resolveSource({}));
        if (cutoverSource && cutoverSource === targetAddress(source))
          throw new ConvergeError(
            'USAGE',
            `--seed would re-create ${targetAddress(source)}, the cut-over's source (CONVERGE_SOURCE_URL); seed a scratch database`,
            { key: '--source' },
          );
      }
      const done = await rehearsePipeline({
        pipeline,
        source,
        target,
        resetTarget: flags.resetTarget,
        cutoverTarget: configured(() => resolveTarget({})),
        ...(scale !== undefined ? { seed: { scale, resetSource: flags.resetSource, fraction } } : {}),
        workDir,
        jobs,
        keepFiles: !!flags.keepFiles,
        online: !!flags.online,
        production,
        log,
      });
      const files = await writeRehearsalReport(path.resolve(flags.reportDir ?? path.join(workDir, 'report')), {
        createdAt: new Date().toISOString(),
        pipelines: [done],
      });
      const r = done.result;
      if (flags.json) process.stdout.write(JSON.stringify({ report: files, rehearsal: done }, null, 2) + '\n');
      else {
        process.stdout.write(
          formatTable(
            ['sample', 'run', 'rows', 'source data', 'load s', 'verify s', 'write downtime'],
            r.samples.map((s, i) => [
              `${i + 1}${s.scale !== undefined ? ` (scale ${s.scale})` : ''}`,
              s.runId,
              s.rows,
              formatBytes(s.bytes),
              s.seconds.load.toFixed(2),
              s.seconds.verify.toFixed(2),
              formatDuration(s.seconds.load + s.seconds.verify),
            ]),
          ),
        );
        const c = done.comparison;
        process.stdout.write(
          `${r.pipeline}: verified ${r.verified ? 'yes' : 'NO'}; write downtime of this rehearsal ${formatDuration(r.writeDowntimeSeconds)}${c ? ` (previous ${formatDuration(c.writeDowntime.before)})` : ' (first rehearsal on this target)'}\n`,
        );
        const f = r.forecast;
        if (f) {
          process.stdout.write(
            `${r.pipeline}: predicted write downtime for ${f.given.bytes ? formatBytes(f.given.bytes) : `${f.rows} rows`}: ${formatDuration(f.seconds)} (range ${formatDuration(f.low)} to ${formatDuration(f.high)})\n`,
          );
          for (const w of f.warnings) process.stdout.write(`warning: ${w}\n`);
        }
        const o = r.online;
        if (o)
          process.stdout.write(
            `${r.pipeline}: online run ${o.runId}: ${o.phases.map((p) => `${p.phase} ${p.seconds.toFixed(2)} s`).join(', ')}\n` +
              `${r.pipeline}: online write downtime (converge cutover, freeze → verified) ${formatDuration(o.writeDowntimeSeconds)}, measured, not predicted (it grows with the tables and the keys changed after the checkpoint, not with the rows); proof: ${proofText(o)}; verified ${o.verified ? 'yes' : 'NO'}\n`,
          );
        process.stdout.write(`report: ${files.markdown}\n        ${files.html}\n`);
      }
      setExit(r.verified ? ExitCode.Ok : ExitCode.VerifyFailed);
    });
};

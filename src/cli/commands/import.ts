import path from 'node:path';
import { Command } from 'commander';
import { commandContext, CommonFlags, JOBS_HELP, withCommonFlags, examplesText } from '../context';
import { resolveJobs } from '../../core/settings';
import { formatTable } from '../format-table';
import { withRun } from '../../pipeline/run-stages';
import type { RegisterCommand } from './index';
import { runImport } from '../../import/run-import';
import { runVerifyReport } from '../../verify/run-verify';
import { ConvergeError } from '../../core/errors';
import { expectationsFor, printVerdicts } from './verify';

type Flags = CommonFlags & {
  truncate?: boolean;
  verify?: boolean;
  jobs?: string;
  resume?: boolean;
  singleTransaction?: boolean;
  collectErrors?: string;
  perRowFkChecks?: boolean;
};
const out = (s: string) => process.stdout.write(s);

function count(flag: string, v: string | undefined, min: number): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min)
    throw new ConvergeError('USAGE', `${flag} takes a whole number >= ${min}, not "${v}"`, { key: flag });
  return n;
}

export const register: RegisterCommand = (program: Command) => {
  withCommonFlags(
    program.command('import').description('COPY the transformed CSVs into the target in foreign-key order'),
  )
    .option('--truncate', 'empty non-empty target tables first (otherwise they are refused)')
    .option('-j, --jobs <n>', `load up to n independent tables at once, each in its own transaction ${JOBS_HELP}`)
    .option('--resume', 'continue a failed or killed load: keep the tables it committed, load the rest')
    .option('--single-transaction', 'load everything in one transaction: all or nothing (one connection)')
    .option(
      '--collect-errors <n>',
      'rehearsals: write up to n rejected rows with their reasons to <work-dir>/rejects and keep going',
    )
    .option(
      '--per-row-fk-checks',
      "keep Postgres's per-row foreign-key checks (default: one set-based check per key and table, where the role may)",
    )
    .option('--verify', 'then prove the result: row counts, content checksums, orphans, sequences')
    .addHelpText(
      'after',
      examplesText(
        'converge import --target postgres://app:secret@pg:5432/shop --verify',
        'converge import --resume          # after a failure: keep the committed tables',
      ),
    )
    .action(async (flags: Flags) => {
      const jobs = resolveJobs(flags);
      const ctx = await commandContext(flags);
      const collectErrors = count('--collect-errors', flags.collectErrors, 0);
      if (flags.singleTransaction && flags.resume)
        throw new ConvergeError(
          'USAGE',
          '--resume continues per-table loads; a --single-transaction load that failed left nothing to continue',
          { key: '--resume' },
        );
      await withRun(
        {
          target: ctx.target,
          source: ctx.source,
          pipeline: ctx.pipeline.name,
          runDir: ctx.workDir,
          manifestDir: ctx.transformDir,
          log: ctx.log,
          finish: true,
          needsTarget: true,
        },
        async (rec) => {
          const res = await runImport({
            dir: ctx.transformDir,
            target: ctx.target,
            truncate: flags.truncate,
            jobs,
            resume: flags.resume,
            singleTransaction: flags.singleTransaction,
            collectErrors,
            perRowFkChecks: flags.perRowFkChecks,
            rejectDir: path.join(ctx.workDir, 'rejects'),
            replaceSeeded: ctx.pipeline.target.replaceSeeded,
            log: ctx.log,
            recorder: rec,
          });
          out(
            formatTable(
              ['table', 'rows', 'rejected', 'seconds', 'status'],
              res.tables.map((t) => [t.table, t.rows, t.rejected, t.seconds.toFixed(2), t.status]),
            ),
          );
          if (res.rejected) out(`${res.rejected} rows rejected: see ${res.rejectDir}\n`);
          if (flags.verify) {
            const report = await runVerifyReport({
              dir: ctx.transformDir,
              mappingDir: ctx.mappingDir,
              source: ctx.source,
              target: ctx.target,
              log: ctx.log,
              recorder: rec,
              expectationsFile: expectationsFor(ctx.pipeline.file),
            });
            printVerdicts(report.tables, report.schemas);
          }
        },
      );
    });
};

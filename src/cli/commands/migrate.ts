import { Command } from 'commander';
import { commandContext, CommonFlags, JOBS_HELP, withCommonFlags, examplesText } from '../context';
import { resolveJobs } from '../../core/settings';
import { formatTable } from '../format-table';
import { withRun } from '../../pipeline/run-stages';
import type { RegisterCommand } from './index';
import { isConvergeError } from '../../core/errors';
import { migrateManifestDir, MigrateTableResult } from '../../migrate/run-migrate';
import { runCutoverMigrate } from '../../cutover/cutover-migrate';
import { runVerifyReport, TableVerdict } from '../../verify/run-verify';
import type { SchemaVerdict } from '../../verify/schema-expectations';
import { expectationsFor, printVerdicts } from './verify';
import { stopSignal } from './follow';

type Flags = CommonFlags & {
  jobs?: string;
  keepFiles?: boolean;
  truncate?: boolean;
  verify?: boolean;
  verifyOnly?: boolean;
  perRowFkChecks?: boolean;
  follow?: boolean;
};
const out = (s: string) => process.stdout.write(s);

function printTables(tables: MigrateTableResult[]): void {
  out(
    formatTable(
      ['table', 'source', 'rows in', 'rows', 'seconds', 'path', 'FK checks', 'status'],
      tables.map((t) => [
        t.table,
        t.sourceTable,
        t.rowsIn,
        t.rows,
        t.seconds.toFixed(2),
        t.path ?? '',
        t.fkChecks ?? '',
        t.status,
      ]),
    ),
  );
}

export const register: RegisterCommand = (program: Command) => {
  withCommonFlags(
    program
      .command('migrate')
      .description('export, transform and import in one streaming pass from one snapshot, then verify'),
  )
    .option(
      '-j, --jobs <n>',
      `independent tables moved at once (one snapshot connection and one transaction each) ${JOBS_HELP}`,
    )
    .option(
      '--keep-files',
      'also write the transformed CSVs and their manifest to <work-dir>/transform (converge import / verify can reuse them)',
    )
    .option('--truncate', 'empty non-empty target tables first (otherwise they are refused)')
    .option(
      '--per-row-fk-checks',
      "keep Postgres's per-row foreign-key checks (default: one set-based check per key and table, where the role may)",
    )
    .option('--no-verify', 'skip the proof (row counts, checksums, orphans, sequences) after the load')
    .option('--verify-only', 'prove the last migrate of this work dir again, loading nothing')
    .option(
      '--follow',
      "after the load, keep applying the source's changes from the snapshot's binlog position until stopped (the proof runs at converge cutover)",
    )
    .addHelpText(
      'after',
      examplesText(
        'converge migrate --pipeline shop --jobs 4',
        'converge migrate --verify-only     # prove the last migrate again',
        'converge migrate --follow         # then converge cutover when the writers stop',
      ),
    )
    .action(async (flags: Flags) => {
      const jobs = resolveJobs(flags);
      const ctx = await commandContext(flags);
      const expectationsFile = expectationsFor(ctx.pipeline.file);
      if (flags.verifyOnly) {
        await withRun(
          {
            target: ctx.target,
            source: ctx.source,
            pipeline: ctx.pipeline.name,
            runDir: ctx.workDir,
            log: ctx.log,
            finish: true,
            needsTarget: true,
          },
          async (rec) => {
            const report = await runVerifyReport({
              dir: migrateManifestDir(ctx.workDir, !!flags.keepFiles),
              mappingDir: ctx.mappingDir,
              source: ctx.source,
              target: ctx.target,
              log: ctx.log,
              recorder: rec,
              expectationsFile,
            });
            printVerdicts(report.tables, report.schemas);
          },
        );
        return;
      }
      // The cut-over command: `converge rehearse` runs and times this same call (runCutoverMigrate);
      // with --follow it refuses what cannot be followed before anything loads.
      try {
        const res = await runCutoverMigrate({
          pipeline: ctx.pipeline,
          source: ctx.source,
          target: ctx.target,
          workDir: ctx.workDir,
          log: ctx.log,
          jobs,
          keepFiles: flags.keepFiles,
          truncate: flags.truncate,
          perRowFkChecks: flags.perRowFkChecks,
          verify: flags.verify !== false,
          expectationsFile,
          ...(flags.follow ? { follow: { tty: process.stderr.isTTY === true } } : {}),
        });
        printTables(res.tables);
        out(`loaded in ${res.seconds.load.toFixed(1)} s; manifest: ${res.manifestDir}/manifest.json\n`);
        if (res.verify) printVerdicts(res.verify.tables, res.verify.schemas);
        if (res.follow) {
          // Ctrl-C stops the load as always; once following, it stops the follower cleanly.
          const f = await res.follow(stopSignal());
          out(
            `follow stopped (${f.stoppedBy}) at ${f.position.file}:${f.position.position}: ${f.transactions} transactions, ${f.changes} changes applied\n`,
          );
        }
      } catch (e) {
        if (isConvergeError(e) && Array.isArray(e.context.tables))
          printTables(e.context.tables as MigrateTableResult[]);
        // The proof is what an operator reads: the verdicts before the error that lists what differs.
        if (isConvergeError(e) && e.code === 'VERIFY_FAILED' && Array.isArray(e.context.verdicts))
          printVerdicts(e.context.verdicts as TableVerdict[], (e.context.schemas as SchemaVerdict[] | undefined) ?? []);
        throw e;
      }
    });
};

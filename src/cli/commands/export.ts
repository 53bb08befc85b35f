import { Command } from 'commander';
import { commandContext, CommonFlags, JOBS_HELP, withCommonFlags, examplesText } from '../context';
import { resolveJobs } from '../../core/settings';
import { formatTable } from '../format-table';
import { withRun } from '../../pipeline/run-stages';
import type { RegisterCommand } from './index';
import { DEFAULT_CHUNK_BYTES, DEFAULT_CHUNK_ROWS, runExport } from '../../export/run-export';
import { ConvergeError } from '../../core/errors';
import { createExportProgress } from '../../progress/export-progress';

type Flags = CommonFlags & {
  jobs?: string;
  resume?: boolean;
  chunkRows?: string;
  chunkMb?: string;
  progress?: boolean;
};
const out = (s: string) => process.stdout.write(s);

function positive(name: string, v: string | undefined, dflt: number): number {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1)
    throw new ConvergeError('USAGE', `${name} must be a positive integer, got "${v}"`, { stage: 'config', key: name });
  return n;
}

export const register: RegisterCommand = (program: Command) => {
  withCommonFlags(
    program
      .command('export')
      .description('stream every source table to CSV files plus a manifest, from one consistent snapshot'),
  )
    .option('-j, --jobs <n>', `parallel export workers sharing one snapshot (tables and chunks) ${JOBS_HELP}`)
    .option(
      '--chunk-rows <n>',
      `split tables into primary-key ranges of at most this many rows (default ${DEFAULT_CHUNK_ROWS})`,
    )
    .option(
      '--chunk-mb <n>',
      `… and of at most this many MB, from the average row length (default ${DEFAULT_CHUNK_BYTES >> 20})`,
    )
    .option('--resume', "keep tables and chunks whose files match the previous manifest's sha256; redo the rest")
    .option('--no-progress', 'no live progress display on a terminal (log lines only)')
    .addHelpText(
      'after',
      examplesText(
        'converge export --pipeline shop --source mysql://app:secret@db:3306/shop --jobs 4',
        'converge export --resume          # after a failure: keep the finished tables and chunks',
      ),
    )
    .action(async (flags: Flags) => {
      const jobs = resolveJobs(flags);
      const chunkRows = positive('--chunk-rows', flags.chunkRows, DEFAULT_CHUNK_ROWS);
      const chunkBytes = positive('--chunk-mb', flags.chunkMb, DEFAULT_CHUNK_BYTES >> 20) << 20;
      const ctx = await commandContext(flags);
      const tty = flags.progress !== false && process.stderr.isTTY === true;
      // On a terminal the progress block is the display: only warnings are logged over it.
      const log = tty ? ctx.log.child({}, { level: 'warn' }) : ctx.log;
      const progress = createExportProgress({ stream: process.stderr, log: ctx.log, tty });
      try {
        const res = await withRun(
          {
            target: ctx.target,
            source: ctx.source,
            pipeline: ctx.pipeline.name,
            runDir: ctx.workDir,
            log: ctx.log,
            stage: 'export',
          },
          (rec, runId) =>
            runExport({
              source: ctx.source,
              outDir: ctx.exportDir,
              pipeline: ctx.pipeline.name,
              exclude: ctx.pipeline.source.exclude,
              jobs,
              chunkRows,
              chunkBytes,
              resume: flags.resume,
              runId,
              log,
              recorder: rec,
              onTableStart: (t, e) => progress.start(t, e),
              onProgress: (t, r, b, e) => progress.update(t, r, b, e),
              onTableDone: (t, r, b, s) => progress.done(t, r, b, s),
            }),
        );
        progress.stop();
        out(
          formatTable(
            ['table', 'rows', 'MB', 'chunks', 'seconds', 'status'],
            res.tables.map((t) => [
              t.table,
              t.rows,
              (t.bytes / 1e6).toFixed(2),
              t.chunks,
              t.seconds.toFixed(2),
              t.status,
            ]),
          ),
        );
        out(`manifest: ${ctx.exportDir}/manifest.json\n`);
      } finally {
        progress.stop();
      }
    });
};

import { Command } from 'commander';
import { commandContext, CommonFlags, withCommonFlags } from '../context';
import { formatTable } from '../format-table';
import { withRun } from '../../pipeline/run-stages';
import type { RegisterCommand } from './index';
import { runExport } from '../../export/run-export';

type Flags = CommonFlags & { jobs?: string; resume?: boolean };
const out = (s: string) => process.stdout.write(s);

export const register: RegisterCommand = (program: Command) => {
  withCommonFlags(program.command('export').description('stream every source table to CSV files plus a manifest, from one consistent snapshot'))
    .option('-j, --jobs <n>', 'parallel export workers sharing one snapshot', '1')
    .option('--resume', 'keep files whose sha256 matches the previous manifest; redo the rest')
    .action(async (flags: Flags) => {
      const ctx = await commandContext(flags);
      const res = await withRun({ target: ctx.target, source: ctx.source, pipeline: ctx.pipeline.name, runDir: ctx.workDir, log: ctx.log }, (rec, runId) =>
        runExport({ source: ctx.source, outDir: ctx.exportDir, pipeline: ctx.pipeline.name, exclude: ctx.pipeline.source.exclude, jobs: Number(flags.jobs ?? 1), resume: flags.resume, runId, log: ctx.log, recorder: rec }),
      );
      out(formatTable(['table', 'rows', 'MB', 'seconds', 'status'], res.tables.map((t) => [t.table, t.rows, (t.bytes / 1e6).toFixed(2), t.seconds.toFixed(2), t.status])));
      out(`manifest: ${ctx.exportDir}/manifest.json\n`);
    });

};

import { Command } from 'commander';
import { commandContext, CommonFlags, withCommonFlags } from '../context';
import { formatTable } from '../format-table';
import { withRun } from '../../pipeline/run-stages';
import type { RegisterCommand } from './index';
import { runImport } from '../../import/run-import';
import { runVerify } from '../../verify/run-verify';
import { printVerdicts } from './verify';

type Flags = CommonFlags & { truncate?: boolean; verify?: boolean };
const out = (s: string) => process.stdout.write(s);

export const register: RegisterCommand = (program: Command) => {
  withCommonFlags(program.command('import').description('COPY the transformed CSVs into the target in foreign-key order'))
    .option('--truncate', 'empty non-empty target tables first (otherwise they are refused)')
    .option('--verify', 'then prove the result: row counts and content checksums against the source')
    .action(async (flags: Flags) => {
      const ctx = await commandContext(flags);
      await withRun({ target: ctx.target, source: ctx.source, pipeline: ctx.pipeline.name, runDir: ctx.workDir, manifestDir: ctx.transformDir, log: ctx.log, finish: true }, async (rec) => {
        const res = await runImport({ dir: ctx.transformDir, target: ctx.target, truncate: flags.truncate, log: ctx.log, recorder: rec });
        out(formatTable(['table', 'rows', 'seconds', 'status'], res.tables.map((t) => [t.table, t.rows, t.seconds.toFixed(2), t.status])));
        if (flags.verify) printVerdicts(await runVerify({ dir: ctx.transformDir, mappingDir: ctx.mappingDir, source: ctx.source, target: ctx.target, log: ctx.log, recorder: rec }));
      });
    });

};

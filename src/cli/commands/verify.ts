import { Command } from 'commander';
import { commandContext, CommonFlags, withCommonFlags } from '../context';
import { formatTable } from '../format-table';
import { withRun } from '../../pipeline/run-stages';
import type { RegisterCommand } from './index';
import { runVerify, TableVerdict } from '../../verify/run-verify';
import { ExitCode } from '../../core/exit-codes';

type Flags = CommonFlags;
const out = (s: string) => process.stdout.write(s);

export const register: RegisterCommand = (program: Command, setExit) => {
  withCommonFlags(program.command('verify').description('prove a load: row counts and content checksums, source against target'))
    .action(async (flags: Flags) => {
      const ctx = await commandContext(flags);
      await withRun({ target: ctx.target, source: ctx.source, pipeline: ctx.pipeline.name, runDir: ctx.workDir, manifestDir: ctx.transformDir, log: ctx.log }, async (rec) => {
        printVerdicts(await runVerify({ dir: ctx.transformDir, mappingDir: ctx.mappingDir, source: ctx.source, target: ctx.target, log: ctx.log, recorder: rec }));
      });
      setExit(ExitCode.Ok);
    });
};

export function printVerdicts(v: TableVerdict[]): void {
  out(formatTable(['table', 'source rows', 'target rows', 'checksum', 'verified'], v.map((t) => [t.table, t.sourceRows, t.targetRows, t.targetChecksum, t.ok ? 'yes' : 'NO'])));
}

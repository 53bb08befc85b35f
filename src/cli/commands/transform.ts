import { Command } from 'commander';
import { commandContext, CommonFlags, examplesText, withCommonFlags } from '../context';
import { formatTable } from '../format-table';
import { withRun } from '../../pipeline/run-stages';
import type { RegisterCommand } from './index';
import { runTransform } from '../../transform/run-transform';

type Flags = CommonFlags;
const out = (s: string) => process.stdout.write(s);

export const register: RegisterCommand = (program: Command) => {
  withCommonFlags(
    program.command('transform').description('rewrite exported CSVs per the mapping into load-ready CSVs'),
  )
    .addHelpText(
      'after',
      examplesText('converge transform --pipeline shop', 'converge transform --work-dir /data/converge/shop'),
    )
    .action(async (flags: Flags) => {
      const ctx = await commandContext(flags);
      const res = await withRun(
        {
          target: ctx.target,
          pipeline: ctx.pipeline.name,
          runDir: ctx.workDir,
          manifestDir: ctx.exportDir,
          log: ctx.log,
          stage: 'transform',
          // transform reads the target's catalog (the mapping's static checks): a target the run
          // history found unreachable fails it at once rather than being waited for again.
          needsTarget: true,
        },
        (rec) =>
          runTransform({
            exportDir: ctx.exportDir,
            outDir: ctx.transformDir,
            mappingDir: ctx.mappingDir,
            target: ctx.target,
            targetSchema: ctx.pipeline.target.schema,
            log: ctx.log,
            recorder: rec,
          }),
      );
      out(
        formatTable(
          ['table', 'target', 'rows in', 'rows out', 'changes', 'seconds'],
          res.tables.map((t) => [t.table, t.target, t.rowsIn, t.rowsOut, t.changes, t.seconds.toFixed(2)]),
        ),
      );
    });
};

import { Command } from 'commander';
import { commandContext, CommonFlags, withCommonFlags } from '../context';
import { formatTable } from '../format-table';
import { runExport } from '../../export/run-export';
import { runTransform } from '../../transform/run-transform';
import { runImport } from '../../import/run-import';
import { runVerify, TableVerdict } from '../../verify/run-verify';
import { withRun } from '../../pipeline/run-stages';
import { ExitCode } from '../../core/exit-codes';
import type { RegisterCommand } from './index';

type Flags = CommonFlags & { jobs?: string; resume?: boolean; truncate?: boolean; verify?: boolean; json?: boolean };

const out = (s: string) => process.stdout.write(s);

export const registerStages: RegisterCommand = (program: Command, setExit) => {
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

  withCommonFlags(program.command('transform').description('rewrite exported CSVs per the mapping into load-ready CSVs'))
    .action(async (flags: Flags) => {
      const ctx = await commandContext(flags);
      const res = await withRun({ target: ctx.target, pipeline: ctx.pipeline.name, runDir: ctx.workDir, manifestDir: ctx.exportDir, log: ctx.log }, (rec) =>
        runTransform({ exportDir: ctx.exportDir, outDir: ctx.transformDir, mappingDir: ctx.mappingDir, target: ctx.target, targetSchema: ctx.pipeline.target.schema, log: ctx.log, recorder: rec }),
      );
      out(formatTable(['table', 'target', 'rows in', 'rows out', 'changes', 'seconds'], res.tables.map((t) => [t.table, t.target, t.rowsIn, t.rowsOut, t.changes, t.seconds.toFixed(2)])));
    });

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

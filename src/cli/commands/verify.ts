import path from 'node:path';
import { existsSync } from 'node:fs';
import { Command } from 'commander';
import { commandContext, CommonFlags, withCommonFlags, examplesText } from '../context';
import { formatTable } from '../format-table';
import { withRun } from '../../pipeline/run-stages';
import type { RegisterCommand } from './index';
import { runVerifyReport, TableVerdict } from '../../verify/run-verify';
import type { SchemaVerdict } from '../../verify/schema-expectations';
import { isConvergeError } from '../../core/errors';
import { ExitCode } from '../../core/exit-codes';
import { printChecklist } from './checklist';

type Flags = CommonFlags & { expectations?: string; checklist?: boolean };
const out = (s: string) => process.stdout.write(s);

export const register: RegisterCommand = (program: Command, setExit) => {
  withCommonFlags(
    program
      .command('verify')
      .description(
        'prove a load: row counts, content checksums (with drill-down), orphans, sequences, triggers, schema expectations',
      ),
  )
    .option(
      '--expectations <file>',
      'schema expectations (default: expectations.yaml beside the pipeline.yaml, when present)',
    )
    .option(
      '--checklist',
      "also run the automatable items of the pipeline's verification checklist (runbooks/checklists)",
    )
    .addHelpText(
      'after',
      examplesText('converge verify --pipeline shop', 'converge verify --checklist --expectations expectations.yaml'),
    )
    .action(async (flags: Flags) => {
      const ctx = await commandContext(flags);
      await withRun(
        {
          target: ctx.target,
          source: ctx.source,
          pipeline: ctx.pipeline.name,
          runDir: ctx.workDir,
          manifestDir: ctx.transformDir,
          log: ctx.log,
          needsTarget: true,
          attach: true,
        },
        async (rec) => {
          try {
            const report = await runVerifyReport({
              dir: ctx.transformDir,
              mappingDir: ctx.mappingDir,
              source: ctx.source,
              target: ctx.target,
              log: ctx.log,
              recorder: rec,
              expectationsFile: expectationsFor(ctx.pipeline.file, flags.expectations),
            });
            printVerdicts(report.tables, report.schemas);
          } catch (e) {
            // The table is the proof an operator reads: print it before the error, which lists what differs.
            if (isConvergeError(e) && e.code === 'VERIFY_FAILED' && Array.isArray(e.context.verdicts))
              printVerdicts(
                e.context.verdicts as TableVerdict[],
                (e.context.schemas as SchemaVerdict[] | undefined) ?? [],
              );
            throw e;
          }
        },
      );
      setExit(flags.checklist ? await printChecklist(ctx) : ExitCode.Ok);
    });
};

export function expectationsFor(pipelineFile: string, flag?: string): string | undefined {
  if (flag) return path.resolve(flag);
  const beside = path.join(path.dirname(pipelineFile), 'expectations.yaml');
  return existsSync(beside) ? beside : undefined;
}

export function printVerdicts(v: TableVerdict[], schemas: SchemaVerdict[] = []): void {
  out(
    formatTable(
      ['table', 'source rows', 'target rows', 'checksum', 'verified'],
      v.map((t) => [
        t.table,
        t.sourceRows,
        t.targetRows,
        t.targetChecksum,
        (t.ok ? 'yes' : 'NO') + (t.notVerified?.length ? ` (${t.notVerified.length} columns not verified)` : ''),
      ]),
    ),
  );
  const partial = v.filter((t) => t.notVerified?.length);
  if (partial.length)
    out(
      'not verified (converge has no canonical form for these types: their values were not compared, only NULL against not NULL):\n' +
        partial
          .map(
            (t) =>
              `  ${t.table}: ${t.notVerified.map((c) => `${c.column} not verified (type ${c.type})`).join(', ')}\n`,
          )
          .join(''),
    );
  const streamed = v.filter((t) => t.paths?.stream.length);
  if (streamed.length)
    out(
      'compared on the stream (read through the mapping and hashed by converge; every other column was hashed in SQL by both databases):\n' +
        streamed
          .map((t) =>
            t.paths!.mode === 'whole'
              ? `  ${t.table}: every column, row by row (${t.paths!.reason})\n`
              : `  ${t.table}: ${t.paths!.stream.join(', ')}\n`,
          )
          .join(''),
    );
  if (schemas.length)
    out(
      formatTable(
        ['schema', 'expectations'],
        schemas.map((s) => [s.schema, s.ok ? 'met' : s.problems.join('; ')]),
      ),
    );
}

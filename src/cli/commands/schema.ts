import { Command } from 'commander';
import path from 'node:path';
import { commandContext, CommonFlags, examplesText, withCommonFlags } from '../context';
import { formatTable } from '../format-table';
import { applyMigrations } from '../../schema/apply-migrations';
import { applyTargetSchema, targetMigrationsDir } from '../../pipeline/apply-target-schema';
import { lintPipeline, formatFindings } from '../../schema/lint';
import { pipelinePath, loadPipeline } from '../../pipeline/load-pipeline';
import { ExitCode } from '../../core/exit-codes';
import { ConvergeError } from '../../core/errors';
import type { RegisterCommand } from './index';

type Flags = CommonFlags & { side?: string };

export const register: RegisterCommand = (program: Command, setExit) => {
  const schema = program
    .command('schema')
    .description('the target schema, owned by the application: apply its migrations, lint them');

  withCommonFlags(
    schema
      .command('apply')
      .description(
        "apply the pipeline's own migrations (target Postgres by default); running it twice changes nothing",
      ),
  )
    .option('--side <side>', 'target (Postgres) or source (the MySQL fixture schema, for demos and tests)', 'target')
    .addHelpText(
      'after',
      examplesText('converge schema apply --pipeline shop', 'converge schema apply --pipeline shop --side source'),
    )
    .action(async (flags: Flags) => {
      const ctx = await commandContext(flags);
      const p = ctx.pipeline;
      const onSource = flags.side === 'source';
      if (onSource && (!p.source.migrations || !p.source.tracking))
        throw new ConvergeError('USAGE', `pipeline ${p.name} has no source migrations`);
      const results = onSource
        ? await applyMigrations({
            dialect: 'mysql',
            connection: ctx.source,
            dir: pipelinePath(p, p.source.migrations!),
            tracking: p.source.tracking!,
          })
        : await applyTargetSchema(p, ctx.target);
      process.stdout.write(
        formatTable(
          ['version', 'name', 'status'],
          results.map((r) => [r.version, r.name, r.status]),
        ),
      );
    });

  schema
    .command('lint')
    .description("parse the pipeline's Postgres migrations with Postgres's own parser and report other dialects' DDL")
    .requiredOption('-p, --pipeline <name>', 'pipeline name')
    .addHelpText('after', examplesText('converge schema lint --pipeline shop'))
    .action(async (flags: { pipeline: string }) => {
      const p = await loadPipeline(flags.pipeline);
      const dir = targetMigrationsDir(p);
      const res = await lintPipeline(path.dirname(path.dirname(dir)), path.basename(path.dirname(dir)));
      if (res.findings.length) {
        process.stdout.write(formatFindings(res.findings) + '\n');
        setExit(ExitCode.BadConfig);
      } else process.stdout.write(`${res.files.length} migration files checked, no problems\n`);
    });
};

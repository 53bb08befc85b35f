import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { commandContext, CommonFlags, examplesText, withCommonFlags } from '../context';
import { ExitCode } from '../../core/exit-codes';
import { ConvergeError } from '../../core/errors';
import { ioError } from '../../core/private-files';
import { projectRoot } from '../../pipeline/project-root';
import type { Pipeline } from '../../pipeline/load-pipeline';
import { mappingJsonSchemaText } from '../../mapping/mapping-json-schema';
import { runMapCheck } from '../../map-check/run-map-check';
import { describeProblem } from '../../mapping/check/mapping-problem';
import { describeProbe } from '../../map-check/describe-probe';
import { runMapInit } from '../../mapping/init/run-map-init';
import { trackingReason } from '../../mapping/check/tracking-tables';
import type { RegisterCommand } from './index';

type CheckFlags = CommonFlags & {
  probe?: boolean;
  sample?: string;
  mapping?: string;
  json?: boolean;
  follow?: boolean;
};
type InitFlags = CommonFlags & { out?: string; force?: boolean; probe?: boolean };
const out = (s: string) => process.stdout.write(s);

export const register: RegisterCommand = (program: Command, setExit) => {
  const map = program
    .command('map')
    .description('the mapping: draft one from both catalogs, prove one before any data moves');

  withCommonFlags(
    map
      .command('check')
      .description(
        'check the mapping against the source and target catalogs; list every problem; exit 3 when any is an error',
      ),
  )
    .option(
      '--probe',
      'also stream the source data through the mapping, as transform and migrate run it: every value it would reject or change, and every value the target would refuse (full table scans, one snapshot)',
    )
    .option('--sample <rows>', 'with --probe: read only the first <rows> rows of each table (in key order)')
    .option('--mapping <path>', "a mapping folder or file other than the pipeline's")
    .option('--json', 'print the problems as JSON')
    .option(
      '--follow',
      'the pipeline will be loaded with migrate --follow: also list what following the binary log refuses (unique keep-first / fail, a table without a key)',
    )
    .addHelpText(
      'after',
      examplesText(
        'converge map check --pipeline shop',
        'converge map check --probe --sample 10000',
        'converge map check --mapping shop.draft.yaml --json',
      ),
    )
    .action(async (flags: CheckFlags) => {
      const ctx = await commandContext(flags);
      const sample = flags.sample === undefined ? undefined : Number(flags.sample);
      if (sample !== undefined && (!Number.isInteger(sample) || sample < 1))
        throw new ConvergeError('USAGE', `--sample takes a number of rows (1 or more), not ${flags.sample}`, {});
      if (sample !== undefined && !flags.probe) throw new ConvergeError('USAGE', '--sample needs --probe', {});
      const res = await runMapCheck({
        mappingDir: flags.mapping ? path.resolve(flags.mapping) : ctx.mappingDir,
        source: ctx.source,
        target: ctx.target,
        targetSchema: ctx.pipeline.target.schema,
        excluded: ctx.pipeline.source.exclude,
        replaceSeeded: ctx.pipeline.target.replaceSeeded,
        probe: flags.probe,
        tracking: declaredTracking(ctx.pipeline),
        sample,
        follow: flags.follow,
      });
      if (flags.json) out(JSON.stringify(res, null, 2) + '\n');
      else {
        for (const p of res.problems) out(describeProblem(p) + '\n');
        if (res.probe) for (const line of describeProbe(res.probe)) out(line + '\n');
        out(`${res.errors} error(s), ${res.warnings} warning(s)${flags.probe ? ' (probed the source data)' : ''}\n`);
      }
      if (res.errors > 0) setExit(ExitCode.BadConfig);
    });

  withCommonFlags(
    map
      .command('init')
      .description('write a draft mapping from the source and target catalogs, with a TODO wherever it cannot decide'),
  )
    .option(
      '-o, --out <file>',
      'where to write the draft (default: <pipeline>.draft.yaml beside the mapping folder, never inside it)',
    )
    .option('--force', 'overwrite an existing file')
    .option(
      '--probe',
      "also read the source data: settle NULLs, lengths and enum values, flag '' uuids and NUL in text (full table scans)",
    )
    .addHelpText(
      'after',
      examplesText('converge map init --probe', 'converge map init --pipeline shop --out drafts/shop.yaml'),
    )
    .action(async (flags: InitFlags) => {
      const ctx = await commandContext(flags);
      // Beside the live mapping, not in it: every *.yaml of that folder is loaded, so a draft there
      // would map each table twice and stop every command until it is moved.
      const file = path.resolve(
        flags.out ?? path.join(path.dirname(ctx.mappingDir), `${ctx.pipeline.name}.draft.yaml`),
      );
      const exists = await fsp.stat(file).then(
        () => true,
        (e: NodeJS.ErrnoException) => {
          if (e?.code === 'ENOENT') return false;
          throw ioError(e, `cannot check ${file}`, file);
        },
      );
      if (!flags.force && exists) {
        throw new ConvergeError('USAGE', `${file} exists; pass --force to overwrite it, or --out another file`, {
          file,
        });
      }
      const res = await runMapInit({
        source: ctx.source,
        target: ctx.target,
        targetSchema: ctx.pipeline.target.schema,
        excluded: ctx.pipeline.source.exclude,
        keep: ctx.pipeline.target.keep,
        replaceSeeded: ctx.pipeline.target.replaceSeeded,
        file,
        title: `Pipeline ${ctx.pipeline.name}: MySQL → Postgres schema ${ctx.pipeline.target.schema}`,
        schemaRef: schemaRefFor(file),
        probe: flags.probe,
        tracking: declaredTracking(ctx.pipeline),
      });
      out(`wrote ${file}: ${res.tables} table(s), ${res.todos.length} TODO(s)\n`);
      for (const t of res.tracking) out(`  left out (${t.side}): ${trackingReason(t.table, t.tool)}\n`);
      // Exactly the TODOs written, each at its file:line, so an editor jumps to it.
      for (const t of res.todos)
        out(`  ${file}:${t.line} TODO(${t.kind}) ${t.table}${t.column ? `.${t.column}` : ''}: ${t.reason}\n`);
      if (res.todos.length) out(`TODOs by kind: ${todoSummary(res.todos)} (docs/mapping.md says what each asks)\n`);
    });

  map
    .command('schema')
    .description('print the JSON Schema of mapping files (generated from the validator)')
    .option('--write', 'write it to docs/mapping.schema.json instead')
    .addHelpText('after', examplesText('converge map schema > mapping.schema.json'))
    .action(async (flags: { write?: boolean }) => {
      if (!flags.write) return void out(mappingJsonSchemaText());
      const file = path.join(projectRoot(), 'docs', 'mapping.schema.json');
      await fsp.writeFile(file, mappingJsonSchemaText());
      out(`wrote ${file}\n`);
    });
};

/** `$schema:` for a draft inside this project (relative, so it works on any machine); none elsewhere. */
function schemaRefFor(file: string): string | undefined {
  const root = projectRoot();
  if (path.relative(root, file).startsWith('..')) return undefined;
  return path
    .relative(path.dirname(file), path.join(root, 'docs', 'mapping.schema.json'))
    .split(path.sep)
    .join('/');
}

/** The tracking tables the pipeline names on either side (recognised besides the known tools'). */
function declaredTracking(p: Pipeline): string[] {
  return [p.source.tracking?.table, p.target.tracking?.table].filter((t): t is string => !!t);
}

/** "null-into-not-null 3, narrowing 1", most frequent first. */
function todoSummary(todos: Array<{ kind: string }>): string {
  const n = new Map<string, number>();
  for (const t of todos) n.set(t.kind, (n.get(t.kind) ?? 0) + 1);
  return [...n]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([k, c]) => `${k} ${c}`)
    .join(', ');
}

import { Command } from 'commander';
import path from 'node:path';
import { ExitCode } from '../../core/exit-codes';
import { ensureRunSchema } from '../../run/run-recorder';
import { findRun, listRuns, readRunEvents, withHistory } from '../../target/postgres/run-history';
import { describeCutover, formatBytes, runState, summarizeRun, RunSummary } from '../../run/run-summary';
import { EVENTS_FILE, replayEventsFile } from '../../run/replay-events';
import { writeRunReport } from '../../report/write-report';
import { ConnectionInfo, withDatabase } from '../../core/connection-url';
import { ConvergeError, isConvergeError } from '../../core/errors';
import { projectDir } from '../../pipeline/project-dir';
import { resolveTarget, resolveWorkDir } from '../../core/settings';
import { loadPipeline } from '../../pipeline/load-pipeline';
import { CommonFlags, examplesText, TARGET_HELP, WORK_DIR_HELP, withConnectionFlags } from '../context';
import { formatTable } from '../format-table';
import type { RegisterCommand } from './index';

type Flags = CommonFlags & { json?: boolean; limit?: string; report?: string };
const out = (s: string) => process.stdout.write(s);
const secs = (n: number | null) => (n === null ? '' : n.toFixed(2));

/** `converge runs list|show|replay`: the run history kept in the target's converge schema. */
export const register: RegisterCommand = (program: Command, setExit) => {
  const runs = program.command('runs').description("the run history in the target's converge schema");
  withHistoryFlags(runs.command('list').description('recent runs, newest first'))
    .option('--limit <n>', 'how many runs', '20')
    .option('--json', 'print as JSON')
    .addHelpText(
      'after',
      examplesText(
        'converge runs list --pipeline shop',
        'converge runs list --target postgres://app:secret@pg:5432/shop --limit 5 --json',
      ),
    )
    .action(async (flags: Flags) => {
      const ctx = await historyContext(flags);
      const list = await withHistory(ctx.target, (c) =>
        listRuns(c, { pipeline: ctx.pipeline, limit: Number(flags.limit ?? 20) }),
      );
      const shown = list.map((r) => ({ ...r, state: runState(r.status, r.lastStage) }));
      if (flags.json) out(JSON.stringify(shown, null, 2) + '\n');
      else if (list.length === 0) out('no runs recorded on this target\n');
      else
        out(
          formatTable(
            ['run', 'pipeline', 'status', 'started', 'seconds', 'tables', 'rows', 'bytes', 'error'],
            shown.map((r) => [
              r.id,
              r.pipeline,
              r.state,
              r.startedAt.replace('T', ' ').slice(0, 19),
              secs(r.seconds),
              r.tables,
              r.rows,
              formatBytes(r.bytes),
              (r.error ?? '').slice(0, 60),
            ]),
          ),
        );
      setExit(ExitCode.Ok);
    });
  withHistoryFlags(
    runs
      .command('show')
      .argument('<run>', 'run id, or a prefix of it')
      .description('one run: per stage and table timings, rows, bytes, outcome and errors'),
  )
    .option('--json', 'print as JSON')
    .option(
      '--report <dir>',
      "also write the run's report.md and report.html (stages, tables, the online cut-over's write downtime) into <dir>",
    )
    .addHelpText('after', examplesText('converge runs show 5f0c8c3e', 'converge runs show 5f0c8c3e --json'))
    .action(async (id: string, flags: Flags) => {
      const ctx = await historyContext(flags);
      const summary = await withHistory(ctx.target, async (c) => {
        const run = await findRun(c, id);
        return summarizeRun(run, await readRunEvents(c, run.id));
      });
      out(flags.json ? JSON.stringify(summary, null, 2) + '\n' : formatSummary(summary));
      if (flags.report) {
        const files = await writeRunReport(path.resolve(flags.report), summary);
        if (!flags.json) out(`report: ${files.markdown}\n        ${files.html}\n`);
      }
      setExit(ExitCode.Ok);
    });
  withHistoryFlags(
    runs
      .command('replay')
      .description(
        `load ${EVENTS_FILE} (written while the target was unreachable) from the work directory into the run history`,
      ),
  )
    .addHelpText('after', examplesText('converge runs replay --pipeline shop'))
    .action(async (flags: Flags) => {
      const ctx = await historyContext(flags);
      await ensureRunSchema(ctx.target);
      const r = await withHistory(ctx.target, (c) => replayEventsFile(c, path.join(ctx.workDir, EVENTS_FILE)));
      out(
        r
          ? `replayed ${r.events} events of ${r.runs.length} run(s)${r.duplicates ? ` (${r.duplicates} already recorded)` : ''}; file moved to ${r.movedTo}\n`
          : `nothing to replay: no ${EVENTS_FILE} in ${ctx.workDir}\n`,
      );
      setExit(ExitCode.Ok);
    });
};

/**
 * The target whose converge schema holds the history, and the work directory; no source needed.
 * A target URL that names no database (the default names none) takes the pipeline's: --pipeline,
 * else the project's only one.
 */
export async function historyContext(
  flags: CommonFlags,
): Promise<{ target: ConnectionInfo; workDir: string; pipeline?: string }> {
  const tgt = resolveTarget(flags);
  const pipeline =
    flags.pipeline || !tgt.database
      ? await loadPipeline(flags.pipeline, projectDir(flags.project)).catch((e: unknown) => {
          if (flags.pipeline || !isConvergeError(e)) throw e;
          throw new ConvergeError(
            e.code,
            `the target URL names no database (add it: postgres://…/DATABASE), and ${e.message}`,
            e.context,
          );
        })
      : undefined;
  const target = tgt.database ? tgt : withDatabase(tgt, pipeline!.target.database);
  const workDir = resolveWorkDir(flags, pipeline?.name ?? '');
  // Only an explicit --pipeline narrows `runs list`; one found in the project only names the database.
  return { target, workDir, pipeline: flags.pipeline ? pipeline?.name : undefined };
}

/** --pipeline, --target, --work-dir: what the history commands read. */
export function withHistoryFlags<T extends { option(flags: string, desc: string): T }>(cmd: T): T {
  return withConnectionFlags(cmd)
    .option(
      '-p, --pipeline <name>',
      'pipeline (its target database when the URL names none; runs list shows only its runs)',
    )
    .option('--project <dir>', 'the project folder holding pipelines/ (or CONVERGE_PROJECT; default: .)')
    .option('--target <url>', TARGET_HELP)
    .option('--work-dir <dir>', WORK_DIR_HELP);
}

export function formatSummary(s: RunSummary): string {
  const r = s.run;
  const lines = [
    `run ${r.id}  pipeline ${r.pipeline}  status ${s.state}`,
    `started ${r.startedAt}${r.endedAt ? `, ended ${r.endedAt}` : ''}${s.seconds !== null ? ` (${s.seconds.toFixed(1)} s)` : ''}`,
    `source ${(r.source.descriptor as string) ?? '-'}  target ${(r.target.descriptor as string) ?? '-'}`,
    ...(s.cutover ? [describeCutover(s.cutover)] : []),
    '',
    formatTable(
      ['stage', 'seconds', 'tables', 'rows', 'bytes', 'outcome'],
      s.stages.map((x) => [x.stage, secs(x.seconds), x.tables, x.rows, formatBytes(x.bytes), x.outcome]),
    ),
    formatTable(
      ['stage', 'table', 'rows', 'bytes', 'seconds', 'outcome'],
      s.tables.map((t) => [t.stage, t.table, t.rows ?? '', formatBytes(t.bytes), secs(t.seconds), t.outcome]),
    ),
  ];
  if (s.errors.length)
    lines.push(
      'errors:',
      ...s.errors.map(
        (e) => `  ${e.at} ${[e.stage, e.table].filter(Boolean).join(' ')}: ${e.code ? `${e.code}: ` : ''}${e.message}`,
      ),
      '',
    );
  return lines.join('\n');
}

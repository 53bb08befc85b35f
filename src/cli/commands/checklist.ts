import { Command } from 'commander';
import { ConnectionInfo } from '../../core/connection-url';
import { ExitCode } from '../../core/exit-codes';
import { checklistPath, loadChecklist } from '../../checklist/load-checklist';
import { ChecklistOutcome, runChecklist } from '../../checklist/run-checklist';
import { commandContext, CommonFlags, withCommonFlags, examplesText } from '../context';
import { formatTable } from '../format-table';
import type { RegisterCommand } from './index';

type Flags = CommonFlags & { json?: boolean; file?: string };

/** `converge checklist`: the automatable items of runbooks/verification-checklist.md, pass or fail. */
export const register: RegisterCommand = (program: Command, setExit) => {
  withCommonFlags(
    program
      .command('checklist')
      .description(
        'run the automatable items of the verification checklist (runbooks/checklists/<pipeline>.yaml) and print pass/fail; manual items are listed',
      ),
  )
    .option('--file <checklist.yaml>', 'another checklist file')
    .option('--json', 'print as JSON')
    .addHelpText(
      'after',
      examplesText('converge checklist --pipeline shop', 'converge checklist --file my-checklist.yaml --json'),
    )
    .action(async (flags: Flags) => {
      const ctx = await commandContext(flags);
      setExit(await printChecklist(ctx, { file: flags.file, json: flags.json }));
    });
};

/** Runs and prints a pipeline's checklist; returns the exit code (also what `verify --checklist` calls). */
export async function printChecklist(
  ctx: { pipeline: { name: string; root: string }; source: ConnectionInfo; target: ConnectionInfo },
  opts: { file?: string; json?: boolean } = {},
): Promise<number> {
  const outcomes = await runChecklist(
    await loadChecklist(opts.file ?? checklistPath(ctx.pipeline.name, ctx.pipeline.root)),
    ctx.source,
    ctx.target,
  );
  process.stdout.write(opts.json ? JSON.stringify(outcomes, null, 2) + '\n' : formatChecklist(outcomes));
  return checklistExitCode(outcomes);
}

export function checklistExitCode(outcomes: ChecklistOutcome[]): number {
  return outcomes.some((o) => o.status === 'fail' || o.status === 'error') ? ExitCode.VerifyFailed : ExitCode.Ok;
}

export function formatChecklist(outcomes: ChecklistOutcome[]): string {
  const n = (s: ChecklistOutcome['status']) => outcomes.filter((o) => o.status === s).length;
  return (
    formatTable(
      ['section', 'item', 'result', 'detail'],
      outcomes.map((o) => [
        o.section,
        o.id,
        o.status.toUpperCase(),
        o.detail.length > 110 ? `${o.detail.slice(0, 107)}...` : o.detail,
      ]),
    ) +
    `${n('pass')} passed, ${n('fail')} failed, ${n('error')} errors, ${n('manual')} manual (see runbooks/verification-checklist.md)\n`
  );
}

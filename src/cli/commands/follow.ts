import { Command } from 'commander';
import { commandContext, CommonFlags, examplesText, followContext, withCommonFlags } from '../context';
import type { RegisterCommand } from './index';
import { runFollow } from '../../follow/run-follow';
import { followStatus } from '../../follow/follow-status';
import { formatTable } from '../format-table';
import { ConvergeError } from '../../core/errors';
import type { ConnectionInfo } from '../../core/connection-url';

const out = (s: string) => process.stdout.write(s);

/** Stops a follower cleanly on Ctrl-C or SIGTERM: the transaction being applied commits, or rolls back whole. */
export function stopSignal(): AbortSignal {
  const ac = new AbortController();
  const stop = () => ac.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return ac.signal;
}

export const register: RegisterCommand = (program: Command) => {
  withCommonFlags(
    program
      .command('follow [status]')
      .description(
        "apply the source's changes to the target from the position stored by migrate --follow (resumes after a stop or crash); `follow status`: where the target stands and how far behind",
      ),
  )
    .addHelpText('after', examplesText('converge follow --pipeline shop', 'converge follow status --pipeline shop'))
    .action(async (what: string | undefined, flags: CommonFlags) => {
      if (what !== undefined && what !== 'status')
        throw new ConvergeError('USAGE', `converge follow takes no argument but "status", not "${what}"`, {
          key: what,
        });
      const ctx = await commandContext(flags);
      if (what === 'status') return printStatus(ctx.pipeline.name, ctx.source, ctx.target);
      const res = await runFollow({
        ...followContext(ctx),
        signal: stopSignal(),
        tty: process.stderr.isTTY === true,
      });
      out(
        `follow stopped (${res.stoppedBy}) at ${res.position.file}:${res.position.position}: ${res.transactions} transactions, ${res.changes} changes applied\n`,
      );
    });
};

async function printStatus(pipeline: string, source: ConnectionInfo, target: ConnectionInfo): Promise<void> {
  const s = await followStatus({ pipeline, source, target });
  if (!s) {
    out(`no follow of pipeline ${pipeline} is recorded in the target\n`);
    return;
  }
  out(
    formatTable(
      [
        'pipeline',
        'status',
        'running',
        'applied up to',
        'source at',
        'caught up',
        'seconds behind',
        'transactions',
        'changes',
      ],
      [
        [
          s.state.pipeline,
          s.state.status,
          s.running ? 'yes' : 'no',
          `${s.state.position.file}:${s.state.position.position}`,
          `${s.source.file}:${s.source.position}`,
          s.caughtUp ? 'yes' : 'no',
          s.secondsBehind === null ? '?' : s.secondsBehind.toFixed(1),
          s.state.transactions,
          s.state.changes,
        ],
      ],
    ),
  );
  if (s.state.error) out(`last error: ${s.state.error}\n`);
}

import { Command } from 'commander';
import { commandContext, CommonFlags, examplesText, followContext, withCommonFlags } from '../context';
import type { RegisterCommand } from './index';
import { runFollow } from '../../follow/run-follow';
import { followStatus } from '../../follow/follow-status';
import { formatTable } from '../format-table';
import { ConvergeError } from '../../core/errors';
import type { ConnectionInfo } from '../../core/connection-url';
import { runCheckpoint } from '../../follow/follow-checkpoint';
import { migrateManifestDir } from '../../migrate/run-migrate';
import { expectationsFor, printVerdicts } from './verify';

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
      .command('follow [status|checkpoint]')
      .description(
        "apply the source's changes to the target from the position stored by migrate --follow (resumes after a stop or crash); `follow status`: where the target stands and how far behind; `follow checkpoint`: while the application writes, hold the follower at a source snapshot's position, verify the target against that snapshot, and let it go on (converge cutover then proves only the rows changed since)",
      ),
  )
    .addHelpText(
      'after',
      examplesText(
        'converge follow --pipeline shop',
        'converge follow status --pipeline shop',
        'converge follow checkpoint --pipeline shop',
      ),
    )
    .option(
      '--keep-files',
      'follow checkpoint: the migrate ran with --keep-files (its manifest is in <work-dir>/transform)',
    )
    .action(async (what: string | undefined, flags: CommonFlags & { keepFiles?: boolean }) => {
      if (what !== undefined && what !== 'status' && what !== 'checkpoint')
        throw new ConvergeError(
          'USAGE',
          `converge follow takes no argument but "status" or "checkpoint", not "${what}"`,
          {
            key: what,
          },
        );
      const ctx = await commandContext(flags);
      if (what === 'status') return printStatus(ctx.pipeline.name, ctx.source, ctx.target);
      if (what === 'checkpoint') {
        const cp = await runCheckpoint({
          ...followContext(ctx),
          manifestDir: migrateManifestDir(ctx.workDir, !!flags.keepFiles),
          expectationsFile: expectationsFor(ctx.pipeline.file),
        });
        printVerdicts(cp.verify.tables, cp.verify.schemas);
        out(
          `checkpoint verified at ${cp.position.file}:${cp.position.position}${cp.gtid ? ` (GTID ${cp.gtid})` : ''}: the follower held ${cp.heldSeconds.toFixed(1)} s${cp.followerRunning ? ' and goes on' : ' (no follower was running: start converge follow)'}; converge cutover now proves only the rows changed since\n`,
        );
        return;
      }
      const res = await runFollow({
        ...followContext(ctx),
        signal: stopSignal(),
        tty: process.stderr.isTTY === true,
      });
      out(
        `follow stopped (${res.stoppedBy}) at ${res.position.file}:${res.position.position}${res.gtid ? ` (GTID ${res.gtid})` : ''}: ${res.transactions} transactions, ${res.changes} changes applied\n`,
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
  // GTIDs name the same points on the source's replicas too (runbooks/cutover.md): printed whole,
  // as a position with several replication domains is too wide for the table.
  if (s.state.gtid !== null || s.sourceGtid !== null)
    out(`GTID applied up to: ${s.state.gtid ?? '?'}\nGTID source at: ${s.sourceGtid ?? '?'}\n`);
  if (s.state.error) out(`last error: ${s.state.error}\n`);
}

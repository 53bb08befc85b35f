import { Command } from 'commander';
import { ExitCode } from '../../core/exit-codes';
import { rollbackRun } from '../../rollback/rollback-run';
import { createLogger } from '../../core/logger';
import { CommonFlags, examplesText } from '../context';
import { historyContext, withHistoryFlags } from './runs';
import { formatTable } from '../format-table';
import type { RegisterCommand } from './index';

type Flags = CommonFlags & { force?: boolean; dryRun?: boolean; json?: boolean };

/** `converge rollback RUN`: empties the tables that run loaded, from its run history. */
export const register: RegisterCommand = (program: Command, setExit) => {
  withHistoryFlags(
    program
      .command('rollback')
      .argument('<run>', 'run id (or a prefix) from converge runs list')
      .description('remove what one run loaded: empties its tables in one transaction, children first'),
  )
    .option('--force', 'empty the tables even when they hold rows the run did not load')
    .option('--dry-run', 'check and print what would be emptied; change nothing')
    .option('--json', 'print as JSON')
    .option('--log-level <level>', 'pino log level (or CONVERGE_LOG_LEVEL)')
    .addHelpText('after', examplesText('converge rollback 5f0c8c3e --dry-run', 'converge rollback 5f0c8c3e --force'))
    .action(async (run: string, flags: Flags) => {
      const ctx = await historyContext(flags);
      const r = await rollbackRun({
        target: ctx.target,
        run,
        force: flags.force,
        dryRun: flags.dryRun,
        log: createLogger({ level: flags.logLevel }),
      });
      const emptied = r.tables.filter((t) => t.action === 'emptied').length;
      if (flags.json) process.stdout.write(JSON.stringify(r, null, 2) + '\n');
      else {
        process.stdout.write(
          formatTable(
            ['table', 'before load', 'loaded', 'followed', 'rows now', 'difference', 'action'],
            r.tables.map((t) => [
              t.table,
              t.preexisting,
              t.loadedRows,
              t.followedRows,
              t.currentRows,
              t.difference,
              t.action,
            ]),
          ),
        );
        process.stdout.write(
          r.status === 'dry-run'
            ? `dry run: ${emptied} tables would be emptied; nothing changed\n`
            : `run ${r.runId} rolled back: ${emptied} tables emptied, run marked rolled_back\n`,
        );
      }
      setExit(ExitCode.Ok);
    });
};

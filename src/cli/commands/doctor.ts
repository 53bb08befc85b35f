import { createLogger } from '../../core/logger';
import { resolveSource, resolveTarget } from '../../core/settings';
import { ExitCode } from '../../core/exit-codes';
import { checkSource } from '../../doctor/check-source';
import { checkTarget } from '../../doctor/check-target';
import { formatTable } from '../format-table';
import type { RegisterCommand } from './index';

/** `converge doctor`: health of both ends in one command; exit 0 only when both answer and nothing blocks. */
export const register: RegisterCommand = (program, setExit) => {
  program
    .command('doctor')
    .description('check both connections and the settings the migration depends on; each problem comes with its fix')
    .option('--source <url>', 'MySQL source (or CONVERGE_SOURCE_URL)')
    .option('--target <url>', 'Postgres target (or CONVERGE_TARGET_URL)')
    .option('--json', 'print as JSON')
    .action(async (flags: { source?: string; target?: string; json?: boolean }) => {
      createLogger();
      const [src, tgt] = await Promise.all([checkSource(resolveSource(flags.source)), checkTarget(resolveTarget(flags.target))]);
      const checks = [...src, ...tgt];
      if (flags.json) process.stdout.write(JSON.stringify(checks, null, 2) + '\n');
      else {
        process.stdout.write(formatTable(['end', 'check', 'ok', 'value'], checks.map((c) => [c.end, c.name, c.ok ? 'ok' : 'PROBLEM', c.value])));
        for (const c of checks.filter((x) => !x.ok && x.fix)) process.stdout.write(`fix (${c.end} ${c.name}): ${c.fix}\n`);
      }
      const connected = src[0]?.ok && tgt[0]?.ok;
      setExit(!connected ? ExitCode.Connection : checks.some((c) => !c.ok) ? ExitCode.TargetState : ExitCode.Ok);
    });
};

import { Command } from 'commander';
import { commandContext, CommonFlags, followContext, withCommonFlags, examplesText } from '../context';
import type { RegisterCommand } from './index';
import { ConvergeError } from '../../core/errors';
import { migrateManifestDir } from '../../migrate/run-migrate';
import { runCutover } from '../../follow/run-cutover';
import { expectationsFor, printVerdicts } from './verify';

type Flags = CommonFlags & { keepFiles?: boolean; sourceFrozen?: boolean; frozenAt?: string; settle?: string };
const out = (s: string) => process.stdout.write(s);

export const register: RegisterCommand = (program: Command) => {
  withCommonFlags(
    program
      .command('cutover')
      .description(
        'the online switch after migrate --follow: with the source frozen, apply the last changes, verify, and record the write downtime',
      ),
  )
    .option('--keep-files', 'the migrate ran with --keep-files (its manifest is in <work-dir>/transform)')
    .option('--source-frozen', "the application's writers are stopped, though the source is not read_only")
    .option('--frozen-at <iso-time>', 'when writes stopped, for the downtime (default: now)')
    .option('--settle <ms>', 'how long the binary log must stay still to count as frozen', '1000')
    .addHelpText(
      'after',
      examplesText(
        'converge cutover --pipeline shop',
        'converge cutover --source-frozen --frozen-at 2025-01-31T22:00:00Z',
      ),
    )
    .action(async (flags: Flags) => {
      const settleMs = Number(flags.settle ?? '1000');
      if (!Number.isInteger(settleMs) || settleMs < 0)
        throw new ConvergeError('USAGE', `--settle takes milliseconds, not "${flags.settle}"`, { key: '--settle' });
      const ctx = await commandContext(flags);
      const res = await runCutover({
        ...followContext(ctx),
        manifestDir: migrateManifestDir(ctx.workDir, !!flags.keepFiles),
        expectationsFile: expectationsFor(ctx.pipeline.file),
        sourceFrozen: flags.sourceFrozen,
        frozenAt: flags.frozenAt,
        settleMs,
      });
      printVerdicts(res.verify.tables, res.verify.schemas);
      out(
        res.proof.kind === 'checkpoint'
          ? `proof: every table's row count, and by key the rows of the ${res.proof.keys} keys the follow changed since the checkpoint at ${res.proof.checkpoint.position.file}:${res.proof.checkpoint.position.position} (verified ${res.proof.checkpoint.verifiedAt})\n`
          : `proof: full verify, every row of both sides (${res.proof.reason})\n`,
      );
      out(
        `cut over at ${res.position.file}:${res.position.position}${res.gtid ? ` (GTID ${res.gtid})` : ''}: write downtime ${res.downtimeSeconds.toFixed(1)} s (frozen ${res.frozenAt}, verified ${res.verifiedAt})\n`,
      );
    });
};

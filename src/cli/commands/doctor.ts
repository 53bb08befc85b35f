import { withDatabase } from '../../core/connection-url';
import { createLogger } from '../../core/logger';
import { resolveConnectionSettings, resolveSource, resolveTarget, resolveWorkDir } from '../../core/settings';
import { ExitCode } from '../../core/exit-codes';
import { messageOf } from '../../core/errors';
import { Check, checkSource } from '../../doctor/check-source';
import { checkTarget } from '../../doctor/check-target';
import { checkRunLog } from '../../doctor/check-run-log';
import { checkDisk, estimateExportBytes } from '../../doctor/check-disk';
import { loadPipeline, Pipeline } from '../../pipeline/load-pipeline';
import { formatTable } from '../format-table';
import { provenanceText, shownValue } from './env';
import { SOURCE_HELP, TARGET_HELP, WORK_DIR_HELP, withConnectionFlags, examplesText } from '../context';
import type { RegisterCommand } from './index';

interface Flags {
  [flag: string]: unknown;
  source?: string;
  target?: string;
  pipeline?: string;
  workDir?: string;
  json?: boolean;
}

/** `converge doctor`: health of both ends in one command; exit 0 only when both answer and nothing blocks. */
export const register: RegisterCommand = (program, setExit) => {
  withConnectionFlags(
    program
      .command('doctor')
      .description(
        'check both connections, disk, the run log and the settings the migration depends on; each problem comes with its fix',
      ),
  )
    .option('--source <url>', SOURCE_HELP)
    .option('--target <url>', TARGET_HELP)
    .option(
      '-p, --pipeline <name>',
      'pipeline: its databases when the URLs name none, its exclusions for the size estimate',
    )
    .option('--work-dir <dir>', `where the export will write: ${WORK_DIR_HELP}`)
    .option('--json', 'print as JSON')
    .addHelpText(
      'after',
      examplesText('converge doctor', 'converge doctor --pipeline shop --source mysql://app:secret@db:3306 --json'),
    )
    .action(async (flags: Flags) => {
      createLogger();
      const pipeline: Pipeline | undefined = flags.pipeline ? await loadPipeline(flags.pipeline) : undefined;
      const src = resolveSource(flags);
      const tgt = resolveTarget(flags);
      const source = src.database || !pipeline ? src : withDatabase(src, pipeline.source.database);
      const target = tgt.database || !pipeline ? tgt : withDatabase(tgt, pipeline.target.database);
      const [srcChecks, tgtChecks] = await Promise.all([
        checkSource(source),
        checkTarget(target, { schema: pipeline?.target.schema }),
      ]);
      const checks: Check[] = [...srcChecks, ...tgtChecks];
      if (tgtChecks[0]?.ok) checks.push(await checkRunLog(target));
      const workDir = resolveWorkDir(flags, pipeline?.name ?? '');
      let estimate: number | undefined;
      if (srcChecks[0]?.ok)
        // Best effort: doctor reports, it does not fail; without an estimate the disk check says so.
        estimate = await estimateExportBytes(source, pipeline?.source.exclude).catch(() => undefined);
      checks.push(await checkDisk(workDir, estimate));
      checks.push(...settingChecks(flags));
      if (flags.json) process.stdout.write(JSON.stringify(checks, null, 2) + '\n');
      else {
        process.stdout.write(formatChecks(checks));
      }
      const connected = srcChecks[0]?.ok && tgtChecks[0]?.ok;
      setExit(!connected ? ExitCode.Connection : checks.some((c) => !c.ok) ? ExitCode.TargetState : ExitCode.Ok);
    });
};

/** The settings in use, where each came from, passwords masked (as `converge env` prints them). */
function settingChecks(flags: Flags): Check[] {
  try {
    const settings = resolveConnectionSettings(flags);
    return settings.entries.map((e) => ({
      end: 'local',
      name: `setting ${e.name}${e.key.includes('@') ? ` (${e.key.split('@')[1]})` : ''}`,
      ok: true,
      value: `${shownValue(e, settings)} (${provenanceText(e)})`,
    }));
  } catch (e) {
    return [
      {
        end: 'local',
        name: 'settings',
        ok: false,
        value: messageOf(e),
        fix: 'converge env shows every setting and where it came from',
      },
    ];
  }
}

/**
 * The checks as a table, each failed one followed at once by its fix (an operator reads the
 * problem and what to do about it together, not a list of fixes after forty lines).
 */
export function formatChecks(checks: Check[]): string {
  const lines = formatTable(
    ['end', 'check', 'ok', 'value'],
    checks.map((c) => [c.end, c.name, c.ok ? 'ok' : 'PROBLEM', c.value]),
  ).split('\n');
  const out = lines.slice(0, 2);
  checks.forEach((c, i) => {
    out.push(lines[i + 2]);
    if (!c.ok && c.fix) out.push(`  fix (${c.end} ${c.name}): ${c.fix}`);
  });
  return `${out.join('\n')}\n`;
}

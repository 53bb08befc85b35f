import { ConvergeError } from '../core/errors';
import type { TargetBeforeReset } from '../target/postgres/scratch-databases';

/**
 * Whether a rehearsal may reset a target: the rules that keep it off a production database.
 * A rehearsal empties its target before every run, so it must be told which database it may
 * empty (the name repeated with --reset-target, not taken from a default or the environment),
 * and it refuses, whatever it was told, a target whose run history shows a real load: a
 * completed online switch, or a completed load that no rehearsal recorded itself in.
 */
export interface ResetPermission {
  /** The database the target URL names. */
  database: string;
  /** What --reset-target said; must be the same name. */
  confirmed?: string;
  /** The cut-over's own target (CONVERGE_TARGET_URL) when it is configured, as host:port/database. */
  cutoverTarget?: string;
  /** This rehearsal's target as host:port/database. */
  target: string;
}

export function refuseReset(state: TargetBeforeReset, p: ResetPermission): ConvergeError | undefined {
  if (p.confirmed !== p.database)
    return new ConvergeError(
      'USAGE',
      p.confirmed === undefined
        ? `converge rehearse resets its target before every run (drops its schemas, or empties the mapped tables); pass --reset-target ${p.database} to confirm that ${p.target} is a scratch copy, never the cut-over's target`
        : `--reset-target ${p.confirmed} does not name the target's database ${p.database}; nothing was reset`,
      { key: '--reset-target' },
    );
  if (p.cutoverTarget && p.cutoverTarget === p.target)
    return new ConvergeError(
      'USAGE',
      `the rehearsal's target ${p.target} is the cut-over's target (CONVERGE_TARGET_URL); rehearse on a scratch database of its own`,
      { key: '--target' },
    );
  const cutover = state.runs.find((r) => r.cutover && !r.rehearsal);
  if (cutover)
    return new ConvergeError(
      'TARGET_NOT_EMPTY',
      `${p.target} records a completed cut-over (run ${cutover.id} of pipeline ${cutover.pipeline}, switched at ${cutover.endedAt ?? 'an unknown time'}): it is a production target, and converge rehearse never resets one`,
      { key: '--target' },
    );
  const load = state.runs.find((r) => r.status === 'completed' && r.loaded && !r.rehearsal);
  if (load)
    return new ConvergeError(
      'TARGET_NOT_EMPTY',
      `${p.target} holds the completed load of run ${load.id} (pipeline ${load.pipeline}, ended ${load.endedAt ?? 'at an unknown time'}), which no rehearsal made: converge rehearse resets only its own scratch targets (converge runs show ${load.id} says what it was)`,
      { key: '--target' },
    );
  return undefined;
}

import { ConvergeError } from '../core/errors';
import type { PgSession } from '../target/postgres/connect';
import { FollowState, readFollowState } from '../target/postgres/follow/follow-state';

/**
 * The follow state of a pipeline that a command can act on (follow, checkpoint, cutover): one
 * migrate --follow recorded it, and no cut-over has switched it yet. Anything else is refused
 * with the command to run.
 */
export async function activeFollowState(control: PgSession, pipeline: string): Promise<FollowState> {
  const state = await readFollowState(control, pipeline);
  if (!state)
    throw new ConvergeError(
      'USAGE',
      `the target records no follow of pipeline ${pipeline}: start one with converge migrate --follow`,
      { stage: 'follow' },
    );
  if (state.status === 'switched')
    throw new ConvergeError('USAGE', `pipeline ${pipeline} was already switched over (converge cutover)`, {
      stage: 'follow',
    });
  return state;
}

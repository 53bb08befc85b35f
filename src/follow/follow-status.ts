import type { ConnectionInfo } from '../core/connection-url';
import { openMysql } from '../source/mysql/connect';
import { BinlogPosition, comparePositions, currentPosition } from '../source/mysql/binlog/binlog-check';
import { currentGtid } from '../source/mysql/binlog/gtid';
import { openPg } from '../target/postgres/connect';
import { FollowState, readFollowState, releaseFollowLock, tryFollowLock } from '../target/postgres/follow/follow-state';

export interface FollowStatus {
  state: FollowState;
  /** Whether a follower holds the pipeline's lock now. */
  running: boolean;
  source: BinlogPosition;
  /** MariaDB's GTID position at the source's end now (null: not known). */
  sourceGtid: string | null;
  caughtUp: boolean;
  /** 0 when caught up; else now minus the source commit time of the last applied transaction. */
  secondsBehind: number | null;
}

/** `converge follow status`: where the target stands in the source's binary log, and how far behind. */
export async function followStatus(o: {
  pipeline: string;
  source: ConnectionInfo;
  target: ConnectionInfo;
}): Promise<FollowStatus | undefined> {
  const control = await openPg(o.target, { applicationName: 'converge follow status' });
  const conn = await openMysql(o.source);
  try {
    const state = await readFollowState(control, o.pipeline);
    if (!state) return undefined;
    // Taking the lock for a moment tells whether a follower holds it; released at once.
    const free = await tryFollowLock(control, o.pipeline);
    if (free) await releaseFollowLock(control, o.pipeline);
    const source = await currentPosition(conn);
    const sourceGtid = await currentGtid(conn);
    const caughtUp = comparePositions(state.position, source) >= 0;
    const secondsBehind = caughtUp
      ? 0
      : state.sourceAt
        ? Math.max(0, (Date.now() - new Date(state.sourceAt).getTime()) / 1000)
        : null;
    return { state, running: !free, source, sourceGtid, caughtUp, secondsBehind };
  } finally {
    // Closing after use or after a failure: a close error would only hide the real outcome.
    await control.end().catch(() => undefined);
    await conn.end().catch(() => conn.destroy());
  }
}

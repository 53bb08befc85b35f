import type { ConnectionInfo } from '../core/connection-url';
import { ConvergeError } from '../core/errors';
import { BinlogPosition, comparePositions, currentPosition } from '../source/mysql/binlog/binlog-check';
import { openMysql } from '../source/mysql/connect';
import { openPg } from '../target/postgres/connect';
import { readFollowState } from '../target/postgres/follow/follow-state';

const POLL_MS = 200;

/** Where the source's binary log stands now: what the follower must apply up to to be caught up. */
export async function sourceHead(source: ConnectionInfo): Promise<BinlogPosition> {
  const conn = await openMysql(source);
  try {
    return await currentPosition(conn);
  } finally {
    // Closing after use or after a failure: a close error would only hide the real outcome.
    await conn.end().catch(() => conn.destroy());
  }
}

/**
 * Waits until the follower of `runId` follows and has applied everything up to `head` (the
 * source's position when the load ended): the follow's catch-up after the load. Ends early when
 * the follower has ended (`ended()`: its own error is the one to report) or time runs out.
 */
export async function waitForCatchUp(o: {
  pipeline: string;
  target: ConnectionInfo;
  runId: string;
  head: BinlogPosition;
  ended: () => boolean;
  timeoutMs?: number;
}): Promise<void> {
  const control = await openPg(o.target, { applicationName: 'converge rehearse' });
  try {
    const deadline = Date.now() + (o.timeoutMs ?? 600_000);
    for (;;) {
      const s = await readFollowState(control, o.pipeline);
      if (s && s.runId === o.runId && s.status === 'following' && comparePositions(s.position, o.head) >= 0) return;
      if (o.ended()) return;
      if (Date.now() > deadline)
        throw new ConvergeError(
          'TARGET_BUSY',
          `the follower did not catch up with the source's ${o.head.file}:${o.head.position} in time (it stands at ${s?.position.file}:${s?.position.position}, ${s?.status})`,
          { stage: 'follow' },
        );
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  } finally {
    // Closing after use or after a failure: a close error would only hide the real outcome.
    await control.end().catch(() => undefined);
  }
}

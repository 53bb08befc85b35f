import { activeFollowState } from './active-follow';
import { ConvergeError, isConvergeError, messageOf } from '../core/errors';
import { BinlogPosition, comparePositions } from '../source/mysql/binlog/binlog-check';
import { openCheckpointSnapshot } from '../source/mysql/binlog/checkpoint-snapshot';
import { openPg, PgSession } from '../target/postgres/connect';
import {
  beginCheckpoint,
  endCheckpoint,
  releaseCheckpointLock,
  releaseHold,
  requestHold,
  tryCheckpointLock,
} from '../target/postgres/follow/follow-checkpoints';
import { readFollowState, releaseFollowLock, tryFollowLock } from '../target/postgres/follow/follow-state';
import { appendRunEvent } from '../target/postgres/run-history';
import { runVerifyReport, VerifyReport } from '../verify/run-verify';
import { FollowOptions, runFollow } from './run-follow';
import { resetFollowedSequences } from './run-cutover';
import { openMysql } from '../source/mysql/connect';

export interface CheckpointOptions extends Omit<FollowOptions, 'start' | 'stopAt' | 'signal'> {
  /** The migrate's manifest folder (the tables verify proves). */
  manifestDir: string;
  expectationsFile?: string;
  /** How long to wait for the follower to stand still at the snapshot's position (ms). */
  waitMs?: number;
}

export interface CheckpointResult {
  id: number;
  position: BinlogPosition;
  /** MariaDB's GTID position of the snapshot (null: the server cannot say). */
  gtid: string | null;
  verify: VerifyReport;
  /** How long the follower stood still (its lag grows meanwhile; the application is not stopped). */
  heldSeconds: number;
  /** A follower was running and held (else the checkpoint applied up to the snapshot itself). */
  followerRunning: boolean;
}

const POLL_MS = 200;

/**
 * `converge follow checkpoint`: a verified checkpoint taken while the application still writes.
 * The follower stands still; a consistent source snapshot is opened and its binary log position
 * S read (lock-free, MariaDB); the follower applies exactly up to S and holds; verify compares
 * the snapshot with the quiet target, every table in full; the checkpoint (S, verified or failed,
 * when) is recorded in the run history, and the follower goes on. From S on it records the keys
 * it touches, so converge cutover proves only those rows again by key, with every table's count.
 */
export async function runCheckpoint(o: CheckpointOptions): Promise<CheckpointResult> {
  const control = await openPg(o.target, { applicationName: 'converge follow checkpoint' });
  let locked = false;
  let holding = false;
  let snapshot: Awaited<ReturnType<typeof openCheckpointSnapshot>> | undefined;
  try {
    const state = await activeFollowState(control, o.pipeline);
    locked = await tryCheckpointLock(control, o.pipeline);
    if (!locked)
      throw new ConvergeError('TARGET_BUSY', `another converge follow checkpoint of pipeline ${o.pipeline} runs`, {
        stage: 'follow',
      });
    // First the follower stands still, wherever it is: the snapshot taken next is then at or
    // after it, so it can apply up to the snapshot exactly and never past it.
    await requestHold(control, o.pipeline, null);
    holding = true;
    const followerRunning = !(await followerFree(control, o.pipeline));
    if (followerRunning) await waitFor(control, o, (s) => s.status === 'holding', 'stand still');
    const heldFrom = Date.now();
    snapshot = await openCheckpointSnapshot(o.source, o.log);
    const at = snapshot.position;
    await requestHold(control, o.pipeline, at);
    o.log.info(
      { position: at, gtid: snapshot.gtid, followerRunning },
      'checkpoint: applying up to the source snapshot',
    );
    if (followerRunning)
      await waitFor(
        control,
        o,
        (s) => s.status === 'holding' && comparePositions(s.position, at) >= 0,
        `apply up to ${at.file}:${at.position}`,
      );
    else await runFollow({ ...o, stopAt: at });
    const there = await readFollowState(control, o.pipeline);
    if (!there || comparePositions(there.position, at) !== 0)
      throw new ConvergeError(
        'FOLLOW_DIVERGED',
        `the follow stands at ${there?.position.file}:${there?.position.position}, not at the checkpoint's snapshot ${at.file}:${at.position}`,
        { stage: 'follow' },
      );
    // The GTID position the follow kept and the source's for the snapshot name the same point:
    // a difference means the recorded GTIDs would mislead after a failover, not that rows differ.
    if (there.gtid !== null && snapshot.gtid !== null && there.gtid !== snapshot.gtid)
      o.log.warn(
        { followGtid: there.gtid, snapshotGtid: snapshot.gtid, position: at },
        "the follow's GTID position differs from the source's at the snapshot position",
      );
    // The follow's inserts carry the source's ids: verify checks the sequences are past them, as
    // the switch sets them (again, later). Harmless before the switch: nothing else writes yet.
    const conn = await openMysql(o.source);
    try {
      await resetFollowedSequences(conn, control, o);
    } finally {
      // Closing after use or after a failure: a close error would only hide the real outcome.
      await conn.end().catch(() => conn.destroy());
    }
    const gtid = snapshot.gtid;
    const id = await beginCheckpoint(control, { pipeline: o.pipeline, runId: state.runId, at, gtid });
    let verify: VerifyReport;
    try {
      verify = await runVerifyReport({
        dir: o.manifestDir,
        mappingDir: o.mappingDir,
        source: o.source,
        target: o.target,
        log: o.log,
        expectationsFile: o.expectationsFile,
        followed: true,
        sourceConnection: snapshot.conn,
      });
    } catch (e) {
      await endCheckpoint(control, id, {
        ok: false,
        error: isConvergeError(e) ? `${e.code}: ${e.message}` : messageOf(e),
      });
      await note(control, state.runId, { id, position: at, gtid, verified: false });
      throw e;
    }
    await endCheckpoint(control, id, { ok: true, tables: verify.tables.length });
    const heldSeconds = (Date.now() - heldFrom) / 1000;
    await note(control, state.runId, {
      id,
      position: at,
      gtid,
      verified: true,
      tables: verify.tables.length,
      heldSeconds,
    });
    o.log.info({ position: at, gtid, heldSeconds }, 'checkpoint verified: the follower goes on');
    return { id, position: at, gtid, verify, heldSeconds, followerRunning };
  } finally {
    await snapshot?.close();
    if (holding) await releaseHold(control, o.pipeline).catch(() => undefined);
    if (locked) await releaseCheckpointLock(control, o.pipeline).catch(() => undefined);
    // Closing after use or after a failure: a close error would only hide the real outcome.
    await control.end().catch(() => undefined);
  }
}

async function note(control: PgSession, runId: string | null, payload: Record<string, unknown>): Promise<void> {
  if (runId) await appendRunEvent(control, runId, { kind: 'follow.checkpoint', stage: 'follow', payload });
}

/** Whether no follower runs (its lock is free). */
async function followerFree(control: PgSession, pipeline: string): Promise<boolean> {
  if (!(await tryFollowLock(control, pipeline))) return false;
  await releaseFollowLock(control, pipeline);
  return true;
}

async function waitFor(
  control: PgSession,
  o: CheckpointOptions,
  ok: (s: NonNullable<Awaited<ReturnType<typeof readFollowState>>>) => boolean,
  what: string,
): Promise<void> {
  const deadline = Date.now() + (o.waitMs ?? 600_000);
  for (;;) {
    const s = await readFollowState(control, o.pipeline);
    if (s && ok(s)) return;
    if (await followerFree(control, o.pipeline))
      throw new ConvergeError(
        'FOLLOW_DIVERGED',
        `the follower stopped before it could ${what}${s?.error ? ` (${s.error})` : ''}: run converge follow, then the checkpoint again`,
        { stage: 'follow' },
      );
    if (Date.now() > deadline)
      throw new ConvergeError('TARGET_BUSY', `the follower did not ${what} in time`, { stage: 'follow' });
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

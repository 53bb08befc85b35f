import { activeFollowState } from './active-follow';
import { ConvergeError } from '../core/errors';
import { loadMapping } from '../mapping/load-mapping';
import { openMysql, useMysqlUtc } from '../source/mysql/connect';
import { readPgCatalog } from '../target/postgres/catalog';
import { utcSession } from '../target/postgres/load/load-clients';
import { resetSequences } from '../target/postgres/load/target-state';
import { prepareFollow } from './prepare-follow';
import { BinlogPosition, comparePositions, currentPosition, sourceReadOnly } from '../source/mysql/binlog/binlog-check';
import { openPg } from '../target/postgres/connect';
import { appendRunEvent } from '../target/postgres/run-history';
import {
  readFollowState,
  releaseFollowLock,
  requestFollowStop,
  setFollowStatus,
  tryFollowLock,
} from '../target/postgres/follow/follow-state';
import { runVerifyReport, VerifyReport } from '../verify/run-verify';
import { compareTouched } from '../verify/compare-touched';
import { latestCheckpoint, readTouched } from '../target/postgres/follow/follow-checkpoints';
import { FollowOptions, runFollow } from './run-follow';
import { changesBetween } from './changes-between';

export interface CutoverOptions extends Omit<FollowOptions, 'start' | 'stopAt' | 'signal'> {
  /** The migrate's manifest folder (what verify proves against). */
  manifestDir: string;
  expectationsFile?: string;
  /** The operator froze the source's writers without read_only: converge still checks no event arrives. */
  sourceFrozen?: boolean;
  /** When writes stopped (ISO time); default: when cutover started. */
  frozenAt?: string;
  /** How long the binary log must stay still before the switch counts it frozen (ms). */
  settleMs?: number;
  /** How long to wait for a running follower to apply the last changes (ms). */
  waitMs?: number;
}

export interface CutoverResult {
  position: BinlogPosition;
  /** MariaDB's GTID position the target holds everything up to (null: not known). */
  gtid: string | null;
  frozenAt: string;
  verifiedAt: string;
  /** Write downtime: from the freeze to the proof that target == source. */
  downtimeSeconds: number;
  verify: VerifyReport;
  runId: string | null;
  proof: SwitchProof;
}

/** Which proof the switch ran. */
export type SwitchProof =
  | {
      kind: 'checkpoint';
      /** The verified checkpoint the switch builds on. */
      checkpoint: { position: BinlogPosition; verifiedAt: string | null };
      /** Keys the follow touched since it (source and target keys, all tables). */
      keys: number;
    }
  | { kind: 'full'; reason: string };

/**
 * The online switch: with the source frozen (read_only, or the operator says so and the binary
 * log stays still), the follower applies up to the source's last position (lag 0), then the
 * proof runs against the live source: after a verified checkpoint, every table's count and the
 * rows the follow touched since it, by key (chooseProof); else the same proof as `converge
 * verify`. The binary log is read once more: a write that slipped in during the proof fails the
 * switch. The write downtime (freeze
 * → verified) is recorded in the migrate's run history.
 */
export async function runCutover(o: CutoverOptions): Promise<CutoverResult> {
  const frozenAt = o.frozenAt ? new Date(o.frozenAt) : new Date();
  if (Number.isNaN(frozenAt.getTime()))
    throw new ConvergeError('USAGE', `--frozen-at takes an ISO time, not "${o.frozenAt}"`, { key: '--frozen-at' });
  const conn = await openMysql(o.source);
  const control = await openPg(o.target, { applicationName: 'converge cutover' });
  try {
    const readOnly = await sourceReadOnly(conn);
    if (!readOnly && !o.sourceFrozen)
      throw new ConvergeError(
        'SOURCE_NOT_FROZEN',
        'the source still accepts writes (read_only is OFF): SET GLOBAL read_only = ON, or stop the application and pass --source-frozen',
        { stage: 'follow' },
      );
    // Transactions the writers had in flight when they stopped commit within this.
    await new Promise((r) => setTimeout(r, o.settleMs ?? 1000));
    const head = await currentPosition(conn);
    const state = await activeFollowState(control, o.pipeline);
    o.log.info({ position: head, readOnly }, 'source frozen; applying the last changes');
    await requestFollowStop(control, o.pipeline, head);
    await waitForFollower(control, o, head);
    const after = await readFollowState(control, o.pipeline);
    if (!after || comparePositions(after.position, head) < 0)
      throw new ConvergeError(
        'SOURCE_NOT_FROZEN',
        `the target stands at ${after?.position.file}:${after?.position.position}, before the source's ${head.file}:${head.position}`,
        { stage: 'follow' },
      );
    // Rows the follow inserted carry the source's ids: the application's next insert on the
    // target must not collide with them (as migrate does after its load).
    const sequences = await resetFollowedSequences(conn, control, o);
    o.log.info({ sequences: sequences.length }, 'sequences set past the followed rows');
    const { proof, compare } = await chooseProof(control, o.pipeline);
    o.log.info(
      { proof },
      proof.kind === 'checkpoint' ? 'proving the rows changed since the checkpoint' : 'proving every row',
    );
    const verify = await runVerifyReport({
      dir: o.manifestDir,
      mappingDir: o.mappingDir,
      source: o.source,
      target: o.target,
      log: o.log,
      expectationsFile: o.expectationsFile,
      followed: true,
      compare,
    });
    const verifiedAt = new Date();
    // Other databases on the server may write on: only a change to this pipeline's tables unfreezes it.
    const end = await currentPosition(conn);
    const slipped = await changesBetween({ ...o, from: head, to: end });
    if (slipped)
      throw new ConvergeError(
        'SOURCE_NOT_FROZEN',
        `the source changed ${slipped.tables.join(', ')} during the switch (binary log ${head.file}:${head.position} to ${end.file}:${end.position}): freeze its writers and run converge cutover again`,
        { stage: 'follow', table: slipped.tables[0] },
      );
    const downtimeSeconds = (verifiedAt.getTime() - frozenAt.getTime()) / 1000;
    await setFollowStatus(control, o.pipeline, 'switched');
    if (state.runId)
      await appendRunEvent(control, state.runId, {
        kind: 'cutover.completed',
        stage: 'follow',
        payload: {
          position: head,
          gtid: after.gtid,
          frozenAt: frozenAt.toISOString(),
          verifiedAt: verifiedAt.toISOString(),
          downtimeSeconds,
          readOnly,
          tables: verify.tables.length,
          proof,
        },
      });
    o.log.info({ downtimeSeconds, position: head, gtid: after.gtid }, 'cut-over verified: the target holds the source');
    return {
      position: head,
      gtid: after.gtid,
      frozenAt: frozenAt.toISOString(),
      verifiedAt: verifiedAt.toISOString(),
      downtimeSeconds,
      verify,
      runId: state.runId,
      proof,
    };
  } finally {
    // Closing after use or after a failure: a close error would only hide the real outcome.
    await control.end().catch(() => undefined);
    await conn.end().catch(() => conn.destroy());
  }
}

/**
 * After a verified checkpoint (converge follow checkpoint) the switch proves the rows the follow
 * touched since it, by key, and every table's count; else, or when the latest checkpoint failed
 * or never finished, every row (as converge verify).
 */
async function chooseProof(
  control: Awaited<ReturnType<typeof openPg>>,
  pipeline: string,
): Promise<{ proof: SwitchProof; compare?: ReturnType<typeof compareTouched> }> {
  const cp = await latestCheckpoint(control, pipeline);
  if (!cp) return { proof: { kind: 'full', reason: 'no checkpoint was taken (converge follow checkpoint)' } };
  const at = `${cp.position.file}:${cp.position.position}`;
  if (cp.status !== 'verified')
    return {
      proof: {
        kind: 'full',
        reason: `the latest checkpoint (at ${at}) ${cp.status === 'failed' ? 'failed its verify' : 'never finished its verify'}`,
      },
    };
  const touched = await readTouched(control, pipeline);
  let keys = 0;
  for (const t of touched.values()) keys += t.source.size + t.target.size;
  return {
    proof: { kind: 'checkpoint', checkpoint: { position: cp.position, verifiedAt: cp.verifiedAt }, keys },
    compare: compareTouched(touched),
  };
}

/** Sequences past the rows the follow inserted (the switch; a checkpoint, whose verify checks them). */
export async function resetFollowedSequences(
  conn: Awaited<ReturnType<typeof openMysql>>,
  control: Awaited<ReturnType<typeof openPg>>,
  o: Pick<CutoverOptions, 'source' | 'mappingDir' | 'exclude' | 'defaultSchema'>,
): Promise<Array<{ sequence: string; value: string | null }>> {
  await useMysqlUtc(conn);
  const plan = await prepareFollow({
    conn,
    control,
    database: o.source.database!,
    mapping: await loadMapping(o.mappingDir),
    exclude: o.exclude,
    defaultSchema: o.defaultSchema,
  });
  const programs = [...plan.tables.values()].map((t) => t.program);
  const catalog = await readPgCatalog(control, [...new Set(programs.map((p) => p.schema))]);
  await utcSession(control);
  return resetSequences(
    control,
    catalog,
    programs.map((p) => p.key),
  );
}

/**
 * A running follower sees the stop request and exits at `head`, releasing its lock. With no
 * follower running (it was stopped, or crashed), the cut-over applies the rest itself.
 */
async function waitForFollower(
  control: Awaited<ReturnType<typeof openPg>>,
  o: CutoverOptions,
  head: BinlogPosition,
): Promise<void> {
  const deadline = Date.now() + (o.waitMs ?? 600_000);
  for (;;) {
    if (await tryFollowLock(control, o.pipeline)) {
      await releaseFollowLock(control, o.pipeline);
      const s = await readFollowState(control, o.pipeline);
      if (s && comparePositions(s.position, head) >= 0) return;
      await runFollow({ ...o, stopAt: head });
      return;
    }
    if (Date.now() > deadline)
      throw new ConvergeError('TARGET_BUSY', `the follower did not reach ${head.file}:${head.position} in time`, {
        stage: 'follow',
      });
    await new Promise((r) => setTimeout(r, 200));
  }
}

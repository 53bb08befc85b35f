import { activeFollowState } from './active-follow';
import type { Logger } from 'pino';
import type { ConnectionInfo } from '../core/connection-url';
import { ConvergeError, isConvergeError, messageOf } from '../core/errors';
import { loadMapping } from '../mapping/load-mapping';
import { ensureRunSchema } from '../run/run-recorder';
import { openMysql, useMysqlUtc } from '../source/mysql/connect';
import { BinlogPosition, checkPositionAvailable, comparePositions } from '../source/mysql/binlog/binlog-check';
import { openBinlogReader, SourceEvent } from '../source/mysql/binlog/binlog-reader';
import { advanceGtid, gtidAtPosition } from '../source/mysql/binlog/gtid';
import { openPg } from '../target/postgres/connect';
import { appendRunEvent } from '../target/postgres/run-history';
import { applyOps, ApplyOp, RowDelta } from '../target/postgres/follow/apply-changes';
import {
  advanceFollowState,
  FollowState,
  readFollowState,
  releaseFollowLock,
  setFollowStatus,
  startFollowState,
  tryFollowLock,
} from '../target/postgres/follow/follow-state';
import { inTransaction, utcSession } from '../target/postgres/load/load-clients';
import { checkpointGone, recordTouched, releaseHold, TouchedKeys } from '../target/postgres/follow/follow-checkpoints';
import { FollowOp, planChange, refillOps } from './change-plan';
import { rowsMatching } from '../source/mysql/rows-matching';
import { FollowLag } from './follow-lag';
import { ExistingKeys, prepareFollow } from './prepare-follow';

/** What following a pipeline's binary log needs (migrate --follow, follow, follow checkpoint, cutover). */
export interface PipelineFollow {
  pipeline: string;
  source: ConnectionInfo;
  target: ConnectionInfo;
  mappingDir: string;
  exclude: string[];
  defaultSchema: string;
  log: Logger;
}

export interface FollowOptions extends PipelineFollow {
  /** After a snapshot load: follow from its position and GTID position (else resume from the stored ones). */
  start?: { position: BinlogPosition; gtid: string | null; runId: string | null; existing: ExistingKeys };
  /** Stop once everything before this position is applied (converge cutover); else follow until `signal`. */
  stopAt?: BinlogPosition;
  signal?: AbortSignal;
  /** Lag on the terminal as well as in the log. */
  tty?: boolean;
}

export interface FollowResult {
  position: BinlogPosition;
  /** MariaDB's GTID position at `position` (null: not known). */
  gtid: string | null;
  transactions: number;
  changes: number;
  stoppedBy: 'stop-request' | 'signal';
}

/** Source transactions applied in one target transaction at most (they stay whole). */
const GROUP_TRANSACTIONS = 200;
/** How often an idle follower looks for a stop request and stores the position of commits elsewhere. */
const IDLE_MS = 250;
/**
 * A busy server's other databases may commit without ever pausing for IDLE_MS: the position of
 * their commits is still stored at least this often, or `follow status` would show a lag that
 * only grows and a wait for the follower to reach a position (rehearse's catch-up) would never end.
 */
const STORE_EVERY_MS = 1000;

/**
 * Follows the source's binary log into the target: every committed source transaction's row
 * changes go through the mapping (planChange) and are applied in commit order, whole source
 * transactions grouped into one target transaction together with the position after them
 * (converge.follow_state), so a kill at any moment leaves the target at a transaction boundary
 * the stored position names: a restart resumes there, losing nothing and applying nothing twice.
 * A DDL or TRUNCATE on a mapped table stops it with its named error after the transactions
 * before it are applied.
 */
export async function runFollow(o: FollowOptions): Promise<FollowResult> {
  const database = o.source.database;
  if (!database)
    throw new ConvergeError('USAGE', 'the source URL names no database (mysql://…/DATABASE)', { stage: 'follow' });
  await ensureRunSchema(o.target);
  const control = await utcSession(await openPg(o.target, { applicationName: 'converge follow' }));
  const conn = await openMysql(o.source);
  let reader: ReturnType<typeof openBinlogReader> | undefined;
  let locked = false;
  try {
    await useMysqlUtc(conn);
    locked = await tryFollowLock(control, o.pipeline);
    if (!locked)
      throw new ConvergeError('TARGET_BUSY', `another converge follows pipeline ${o.pipeline} into this target`, {
        stage: 'follow',
      });
    if (o.start) {
      const start = o.start;
      // With the forgetting of the previous follow's checkpoints: all of it, or none.
      await inTransaction(control, () =>
        startFollowState(control, {
          pipeline: o.pipeline,
          runId: start.runId,
          file: start.position.file,
          position: start.position.position,
          gtid: start.gtid,
          existing: start.existing,
        }),
      );
    }
    const state = await activeFollowState(control, o.pipeline);
    await setFollowStatus(control, o.pipeline, 'starting');
    const mapping = await loadMapping(o.mappingDir);
    const plan = await prepareFollow({
      conn,
      control,
      database,
      mapping,
      exclude: o.exclude,
      defaultSchema: o.defaultSchema,
      existing: state.existing,
    });
    await checkPositionAvailable(conn, state.position);
    // A follow recorded before converge kept GTIDs (or a snapshot that had none) learns its GTID
    // position from the source once; from then on each applied transaction's GTID moves it.
    let gtid = state.gtid ?? (await gtidAtPosition(conn, state.position));
    // Bound to the source and reading: only now is the target "following".
    await setFollowStatus(control, o.pipeline, 'following');
    const runId = state.runId;
    const note = (kind: string, payload: Record<string, unknown>) =>
      runId ? appendRunEvent(control, runId, { kind, stage: 'follow', payload }).catch(() => undefined) : undefined;
    await note('follow.started', { position: state.position, gtid, resumed: !o.start });
    o.log.info({ position: state.position, tables: plan.tables.size }, 'following the source binary log');

    const sources = new Map([...plan.tables.keys()].map((n) => [n, plan.sources.get(n)!]));
    // The GTID position after the last event read (read ahead of what is applied; reset with the reader).
    let readGtid = gtid;
    const openReader = (from: BinlogPosition) => {
      readGtid = gtid;
      reader = openBinlogReader({ source: o.source, database, from, tables: sources, ignore: plan.ignore, log: o.log });
      return reader.events[Symbol.asyncIterator]();
    };
    let it = openReader(state.position);
    const lag = new FollowLag(o.log, !!o.tty, state.transactions, state.changes);
    let position = state.position;
    let stopAt = o.stopAt;
    let stopCheckedAt = 0;
    // A checkpoint's request to stand still (at once, or once applied up to its snapshot).
    let hold: FollowState['hold'] = state.hold;
    // Commits with no row of a mapped table: only their position is stored, when idle.
    let idlePosition: { position: BinlogPosition; at: number; gtid: string | null } | undefined;
    let storedAt = Date.now();
    let next: Promise<IteratorResult<SourceEvent>> | undefined;
    // Source transactions read and not yet applied, each with the GTID position after it.
    const group: Array<Extract<SourceEvent, { kind: 'commit' }> & { gtidAfter: string | null }> = [];
    let aborted = false;
    const onAbort = () => {
      aborted = true;
      void reader?.close();
    };
    o.signal?.addEventListener('abort', onAbort);
    if (o.signal?.aborted) onAbort();

    const flush = async () => {
      storedAt = Date.now();
      if (group.length) {
        const last = group[group.length - 1];
        const ops: FollowOp[] = [];
        let changes = 0;
        const touched: TouchedKeys = new Map();
        for (const tx of group)
          for (const c of tx.changes) {
            changes++;
            let t = touched.get(c.table);
            if (!t) touched.set(c.table, (t = { source: new Set(), target: new Set() }));
            ops.push(...planChange(c, plan.tables.get(c.table)!, t));
          }
        await inTransaction(control, async () => {
          await control.query('SET CONSTRAINTS ALL DEFERRED');
          // Counted in the same transaction as the rows: what rollback compares with commits with them.
          const rows: RowDelta = new Map();
          await applyFollowOps(ops, rows);
          // Likewise the keys the switch will prove again (those since the latest checkpoint).
          await recordTouched(control, o.pipeline, touched);
          await advanceFollowState(control, o.pipeline, {
            ...last.position,
            gtid: last.gtidAfter,
            sourceAt: last.at,
            transactions: group.length,
            changes,
            rows,
          });
        });
        position = last.position;
        gtid = last.gtidAfter;
        lag.applied(group.length, changes, last.at);
        group.length = 0;
        idlePosition = undefined;
      } else if (idlePosition) {
        await advanceFollowState(control, o.pipeline, {
          ...idlePosition.position,
          gtid: idlePosition.gtid,
          sourceAt: idlePosition.at,
          transactions: 0,
          changes: 0,
        });
        position = idlePosition.position;
        gtid = idlePosition.gtid;
        idlePosition = undefined;
      }
    };
    // Writes in order; a keep-newest key left empty is filled again from the source's rows.
    const applyFollowOps = async (ops: FollowOp[], rows: RowDelta) => {
      let run: ApplyOp[] = [];
      for (const op of ops) {
        if (op.op !== 'vacated') {
          run.push(op);
          continue;
        }
        await applyOps(control, run, rows);
        run = [];
        const src = plan.sources.get(op.follow.program.sourceName)!;
        const found = await rowsMatching(conn, src, op.follow.refill!, op.sourceValues);
        await applyOps(control, refillOps(op, found), rows);
      }
      await applyOps(control, run, rows);
    };
    const readRequests = async (now = false) => {
      if (!now && Date.now() - stopCheckedAt < IDLE_MS) return;
      stopCheckedAt = Date.now();
      const s = await readFollowState(control, o.pipeline);
      if (s?.stopAt && (!stopAt || comparePositions(s.stopAt, stopAt) < 0)) stopAt = s.stopAt;
      hold = s?.hold ?? null;
    };
    const reachedStop = async (): Promise<boolean> => {
      await readRequests();
      return !!stopAt && comparePositions(position, stopAt) >= 0;
    };
    const holdNow = () => !!hold && (!hold.at || comparePositions(position, hold.at) >= 0);
    /** The first position not to apply past: a stop request's, or a checkpoint's hold. */
    const limit = (): BinlogPosition | undefined => {
      const h = hold?.at ?? undefined;
      if (!stopAt) return h;
      return h && comparePositions(h, stopAt) < 0 ? h : stopAt;
    };
    /**
     * Stands still for a checkpoint: everything read is applied, the binary log connection is
     * closed (a paused one would be dropped by the server during a long verify), and the target
     * is left alone until the checkpoint releases the hold, moves it further, or is gone (its
     * process died: its lock is free). Reading resumes from the stored position.
     */
    const standStill = async () => {
      await flush();
      await reader?.close();
      next = undefined;
      await setFollowStatus(control, o.pipeline, 'holding');
      o.log.info({ position }, 'holding for a checkpoint');
      while (!aborted) {
        await new Promise((r) => setTimeout(r, IDLE_MS));
        await readRequests(true);
        if (!holdNow()) break;
        if (await checkpointGone(control, o.pipeline)) {
          await releaseHold(control, o.pipeline);
          hold = null;
          o.log.warn({ position }, 'the checkpoint that asked to hold is gone: following again');
          break;
        }
      }
      if (aborted) return;
      await setFollowStatus(control, o.pipeline, 'following');
      it = openReader(position);
    };

    try {
      for (;;) {
        if (await reachedStop()) break;
        if (holdNow()) {
          await standStill();
          if (aborted) break;
          continue;
        }
        next ??= it.next();
        const timer = new Promise<'idle'>((r) => setTimeout(() => r('idle'), group.length ? 0 : IDLE_MS).unref());
        const got = await Promise.race([next, timer]);
        if (got === 'idle') {
          await flush();
          lag.idle(position);
          continue;
        }
        next = undefined;
        if (got.done) break;
        const ev = got.value;
        readGtid = advanceGtid(readGtid, ev.gtid);
        if (ev.kind === 'statement') {
          await flush();
          const mapped = ev.statement.tables.filter((t) => t.database === database && !plan.ignore.has(t.table));
          if (mapped.length)
            throw statementError(
              ev,
              mapped.map((t) => t.table),
            );
          idlePosition = { position: ev.position, at: ev.at, gtid: readGtid };
        } else if (!ev.changes.length) {
          if (!group.length) idlePosition = { position: ev.position, at: ev.at, gtid: readGtid };
          else group.push({ ...ev, gtidAfter: readGtid });
          if (Date.now() - storedAt >= STORE_EVERY_MS) await flush();
        } else {
          group.push({ ...ev, gtidAfter: readGtid });
          if (group.length >= GROUP_TRANSACTIONS) await flush();
        }
        // Never apply past a stop or hold position: cutover and checkpoints compare exactly.
        const until = limit();
        if (until && comparePositions(ev.position, until) >= 0) await flush();
      }
      await flush();
    } catch (e) {
      if (aborted && !isConvergeError(e)) return done('signal');
      throw e;
    } finally {
      o.signal?.removeEventListener('abort', onAbort);
    }
    return done(aborted ? 'signal' : 'stop-request');

    async function done(by: FollowResult['stoppedBy']): Promise<FollowResult> {
      await setFollowStatus(control, o.pipeline, 'stopped');
      await note('follow.stopped', { position, gtid, by, transactions: lag.transactions, changes: lag.changes });
      lag.finish(position);
      return { position, gtid, transactions: lag.transactions, changes: lag.changes, stoppedBy: by };
    }
  } catch (e) {
    if (locked)
      await setFollowStatus(
        control,
        o.pipeline,
        'failed',
        isConvergeError(e) ? `${e.code}: ${e.message}` : messageOf(e),
      ).catch(() => undefined);
    throw e;
  } finally {
    await reader?.close();
    if (locked) await releaseFollowLock(control, o.pipeline).catch(() => undefined);
    // Closing after use or after a failure: a close error would only hide the real outcome.
    await control.end().catch(() => undefined);
    await conn.end().catch(() => conn.destroy());
  }
}

function statementError(ev: Extract<SourceEvent, { kind: 'statement' }>, tables: string[]): ConvergeError {
  const at = `${ev.position.file}:${ev.position.position}`;
  if (ev.statement.kind === 'truncate')
    return new ConvergeError(
      'FOLLOW_TRUNCATE',
      `${ev.statement.verb} on mapped table ${tables.join(', ')} in the binary log (before ${at}): a TRUNCATE logs no row changes to follow; everything before it is applied; run converge migrate again`,
      { stage: 'follow', table: tables[0] },
    );
  return new ConvergeError(
    'FOLLOW_DDL',
    `${ev.statement.verb} on mapped table ${tables.join(', ')} in the binary log (before ${at}): the mapping was compiled for the old columns; everything before it is applied; update the mapping and target schema, then run converge migrate again`,
    { stage: 'follow', table: tables[0] },
  );
}

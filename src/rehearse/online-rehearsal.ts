import type { Logger } from 'pino';
import type { ConnectionInfo } from '../core/connection-url';
import { pipelineExpectations, runCutoverMigrate } from '../cutover/cutover-migrate';
import { pipelineFollow } from '../cutover/pipeline-follow';
import { runCheckpoint } from '../follow/follow-checkpoint';
import { runCutover } from '../follow/run-cutover';
import type { FollowResult } from '../follow/run-follow';
import { migrateManifestDir } from '../migrate/run-migrate';
import { applyTargetSchema } from '../pipeline/apply-target-schema';
import { checkBinlogSettings } from '../source/mysql/binlog/binlog-check';
import { openMysql } from '../source/mysql/connect';
import { appendRunEvent, withHistory } from '../target/postgres/run-history';
import { sourceHead, waitForCatchUp } from './follow-catch-up';
import { OnlineCommand, OnlinePhase, ONLINE_PHASE_COMMANDS, OnlineRehearsal } from './online-result';
import { phaseClock } from './phase-clock';
import { resetScratch, ScratchRun } from './scratch-reset';

export interface OnlineRunOptions extends ScratchRun {
  jobs: number;
  keepFiles: boolean;
  log: Logger;
  /** Recorded in the run right after the load, so the reset guard knows it was a rehearsal's. */
  marker: { kind: string; payload: Record<string, unknown> };
}

/**
 * Refuses, before anything is reset or loaded, a source whose changes cannot be followed: the
 * check migrate --follow makes first (binary log on, ROW format, FULL row images).
 */
export async function refuseUnfollowableSource(source: ConnectionInfo): Promise<void> {
  const conn = await openMysql(source);
  try {
    await checkBinlogSettings(conn);
  } finally {
    // Closing after use or after a failure: a close error would only hide the real outcome.
    await conn.end().catch(() => conn.destroy());
  }
}

/**
 * One run of the online cut-over, through the calls its commands make: on a freshly reset
 * target, `converge schema apply` (when the pipeline has migrations), `converge migrate --follow`
 * (runCutoverMigrate with follow: the refusals, the load, then the follower, which keeps
 * running), its catch-up with the source, `converge follow checkpoint` (runCheckpoint, the
 * follower held and the target verified against a source snapshot), and `converge cutover`
 * (runCutover). The source is a quiet copy: the freeze is the operator's word (--source-frozen)
 * checked by converge seeing no new event of the pipeline's tables. The follower is stopped by
 * the cut-over's stop request, or by this function when a step fails.
 */
export async function runOnlineRehearsal(o: OnlineRunOptions): Promise<OnlineRehearsal> {
  const p = o.pipeline;
  const { phases, record, timed } = phaseClock<OnlinePhase, OnlineCommand>(ONLINE_PHASE_COMMANDS, o.log, {
    pipeline: p.name,
    online: true,
  });
  await timed('reset', () => resetScratch(o, false));
  if (p.target.migrations) await timed('schema-apply', () => applyTargetSchema(p, o.target));
  const run = await runCutoverMigrate({
    pipeline: p,
    source: o.source,
    target: o.target,
    workDir: o.workDir,
    log: o.log,
    jobs: o.jobs,
    keepFiles: o.keepFiles,
    follow: {},
  });
  record('load', run.seconds.load);
  await withHistory(o.target, (client) => appendRunEvent(client, run.runId, o.marker));
  const follow = pipelineFollow(p, o.source, o.target, o.log);
  const proofFiles = {
    manifestDir: migrateManifestDir(o.workDir, o.keepFiles),
    expectationsFile: pipelineExpectations(p.file),
  };
  const caughtUpFrom = Date.now();
  const head = await sourceHead(o.source);
  const stop = new AbortController();
  const ended: { done: boolean; result?: FollowResult; error?: unknown } = { done: false };
  const settled = run.follow!(stop.signal).then(
    (result) => void Object.assign(ended, { done: true, result }),
    (error: unknown) => void Object.assign(ended, { done: true, error }),
  );
  try {
    await waitForCatchUp({ pipeline: p.name, target: o.target, runId: run.runId, head, ended: () => ended.done });
    if (ended.error) throw ended.error;
    record('follow-catch-up', (Date.now() - caughtUpFrom) / 1000);
    const checkpoint = await timed('checkpoint', () => runCheckpoint({ ...follow, ...proofFiles }));
    const cut = await timed('cutover', () => runCutover({ ...follow, ...proofFiles, sourceFrozen: true }));
    await settled;
    if (ended.error) throw ended.error;
    return {
      runId: run.runId,
      phases,
      writeDowntimeSeconds: cut.downtimeSeconds,
      frozenAt: cut.frozenAt,
      verifiedAt: cut.verifiedAt,
      position: cut.position,
      proof: cut.proof,
      checkpoint: {
        position: checkpoint.position,
        heldSeconds: checkpoint.heldSeconds,
        tables: checkpoint.verify.tables.length,
      },
      follow: {
        transactions: ended.result?.transactions ?? 0,
        changes: ended.result?.changes ?? 0,
        stoppedBy: ended.result?.stoppedBy ?? 'unknown',
      },
      tables: cut.verify.tables.length,
      verified: cut.verify.tables.every((t) => t.ok) && cut.verify.schemas.every((s) => s.ok),
    };
  } catch (e) {
    // A follower that failed is why the step after it failed: its error is the one to report.
    stop.abort();
    await settled;
    throw ended.error ?? e;
  } finally {
    stop.abort();
    await settled;
  }
}

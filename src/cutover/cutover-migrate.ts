import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import type { ConnectionInfo } from '../core/connection-url';
import { MigrateResult, runMigrate } from '../migrate/run-migrate';
import { Pipeline, pipelinePath } from '../pipeline/load-pipeline';
import { withRun } from '../pipeline/run-stages';
import { beforeMigrateFollow } from '../follow/migrate-follow';
import type { FollowResult } from '../follow/run-follow';
import { pipelineFollow } from './pipeline-follow';

/** The flags of `converge migrate` that change what a load does. */
export interface MigrateFlags {
  jobs: number;
  keepFiles?: boolean;
  truncate?: boolean;
  perRowFkChecks?: boolean;
  /** false only with --no-verify; the cut-over always verifies. */
  verify?: boolean;
  /**
   * --follow: refuse what cannot be followed before the load, load without the proof (the source
   * changes under it: converge cutover proves), and hand back the follow to start after it.
   */
  follow?: { tty?: boolean };
}

export interface CutoverMigrateOptions extends MigrateFlags {
  pipeline: Pipeline;
  /** URLs naming the databases. */
  source: ConnectionInfo;
  target: ConnectionInfo;
  workDir: string;
  log: Logger;
  /** Schema expectations; default: expectations.yaml beside the pipeline file, when there is one. */
  expectationsFile?: string;
}

/** A pipeline's schema expectations file (expectations.yaml beside pipeline.yaml), if it has one. */
export function pipelineExpectations(pipelineFile: string): string | undefined {
  const beside = path.join(path.dirname(pipelineFile), 'expectations.yaml');
  return existsSync(beside) ? beside : undefined;
}

export interface CutoverMigrate extends MigrateResult {
  runId: string;
  /**
   * With `follow`: starts following the source's binary log from the load's snapshot position,
   * until `signal` or a stop request (converge cutover); the caller starts it when it is ready
   * (the CLI after printing the load, with its Ctrl-C signal).
   */
  follow?: (signal?: AbortSignal) => Promise<FollowResult>;
}

/**
 * The cut-over's load, as `converge migrate` (and `migrate --follow`) runs it: one recorded run
 * (run history, run id, status completed or failed) around runMigrate with the command's flags
 * and the pipeline's mapping and expectations; with `follow`, the refusals before it and the
 * follow after it. The migrate command and `converge rehearse` (offline and --online) both call
 * this, so a rehearsal times the very code path and options of the runbook's cut-over step.
 */
export async function runCutoverMigrate(o: CutoverMigrateOptions): Promise<CutoverMigrate> {
  // Refused before anything loads when the source's changes could not be followed.
  const following = o.follow
    ? await beforeMigrateFollow({ ...pipelineFollow(o.pipeline, o.source, o.target, o.log), tty: o.follow.tty })
    : undefined;
  const load = await withRun(
    {
      target: o.target,
      source: o.source,
      pipeline: o.pipeline.name,
      runDir: o.workDir,
      log: o.log,
      finish: true,
      needsTarget: true,
    },
    async (recorder, runId) => {
      const res = await runMigrate({
        pipeline: o.pipeline,
        source: o.source,
        target: o.target,
        workDir: o.workDir,
        mappingDir: pipelinePath(o.pipeline, o.pipeline.mapping),
        log: o.log,
        recorder,
        jobs: o.jobs,
        keepFiles: o.keepFiles,
        truncate: o.truncate,
        perRowFkChecks: o.perRowFkChecks,
        // Following: the source changes under the load, so the proof waits for converge cutover.
        verify: o.verify !== false && !following,
        expectationsFile: o.expectationsFile ?? pipelineExpectations(o.pipeline.file),
      });
      return { ...res, runId };
    },
  );
  return following ? { ...load, follow: (signal) => following.afterLoad(load, signal) } : load;
}

import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import type { ConnectionInfo } from '../core/connection-url';
import { MigrateResult, runMigrate } from '../migrate/run-migrate';
import { Pipeline, pipelinePath } from '../pipeline/load-pipeline';
import { withRun } from '../pipeline/run-stages';

/** The flags of `converge migrate` that change what a load does. */
export interface MigrateFlags {
  jobs: number;
  keepFiles?: boolean;
  truncate?: boolean;
  perRowFkChecks?: boolean;
  /** false only with --no-verify; the cut-over always verifies. */
  verify?: boolean;
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

/**
 * The cut-over's load, as `converge migrate` runs it: one recorded run (run history, run id,
 * status completed or failed) around runMigrate with the command's flags and the pipeline's
 * mapping and expectations. The migrate command and `converge rehearse` both call this, so a
 * rehearsal times the very code path and options of the runbook's cut-over step.
 */
export async function runCutoverMigrate(o: CutoverMigrateOptions): Promise<MigrateResult & { runId: string }> {
  return withRun(
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
        verify: o.verify !== false,
        expectationsFile: o.expectationsFile ?? pipelineExpectations(o.pipeline.file),
      });
      return { ...res, runId };
    },
  );
}

import type { Logger } from 'pino';
import type { ConnectionInfo } from '../core/connection-url';
import { Pipeline, pipelinePath } from '../pipeline/load-pipeline';
import type { PipelineFollow } from '../follow/run-follow';

/**
 * The follow options of a pipeline, read from it in one place: the CLI's follow commands and
 * `converge rehearse --online` pass the follow functions the same mapping, exclusions and schema.
 */
export function pipelineFollow(
  p: Pipeline,
  source: ConnectionInfo,
  target: ConnectionInfo,
  log: Logger,
): PipelineFollow {
  return {
    pipeline: p.name,
    source,
    target,
    mappingDir: pipelinePath(p, p.mapping),
    exclude: p.source.exclude,
    defaultSchema: p.target.schema,
    log,
  };
}

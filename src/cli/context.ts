import path from 'node:path';
import type { Logger } from 'pino';
import { ConnectionInfo, withDatabase } from '../core/connection-url';
import { createLogger } from '../core/logger';
import {
  connectionFlagSpecs,
  DEFAULT_JOBS,
  DEFAULT_PIPELINE_WORK_DIR,
  DEFAULT_SOURCE_URL,
  DEFAULT_TARGET_URL,
  resolveSource,
  resolveTarget,
  resolveWorkDir,
} from '../core/settings';
import { loadPipeline, Pipeline, pipelinePath } from '../pipeline/load-pipeline';
import { projectDir } from '../pipeline/project-dir';
import { pipelineFollow } from '../cutover/pipeline-follow';
import type { PipelineFollow } from '../follow/run-follow';

export interface CommonFlags {
  pipeline?: string;
  project?: string;
  source?: string;
  target?: string;
  workDir?: string;
  logLevel?: string;
}

export interface CommandContext {
  log: Logger;
  pipeline: Pipeline;
  source: ConnectionInfo;
  target: ConnectionInfo;
  workDir: string;
  exportDir: string;
  transformDir: string;
  mappingDir: string;
}

/**
 * Resolves what every pipeline command needs. A URL that names no database gets the pipeline's
 * database, so with no URL at all the defaults `converge env` shows (local servers) are used.
 */
export async function commandContext(flags: CommonFlags): Promise<CommandContext> {
  const log = createLogger({ level: flags.logLevel });
  const pipeline = await loadPipeline(flags.pipeline, projectDir(flags.project));
  const src = resolveSource(flags);
  const tgt = resolveTarget(flags);
  const source = src.database ? src : withDatabase(src, pipeline.source.database);
  const target = tgt.database ? tgt : withDatabase(tgt, pipeline.target.database);
  const workDir = resolveWorkDir(flags, pipeline.name);
  return {
    log,
    pipeline,
    source,
    target,
    workDir,
    exportDir: path.join(workDir, 'export'),
    transformDir: path.join(workDir, 'transform'),
    mappingDir: pipelinePath(pipeline, pipeline.mapping),
  };
}

/** What following the binlog needs from a command's context (migrate --follow, follow, cutover). */
export function followContext(ctx: CommandContext): PipelineFollow {
  return pipelineFollow(ctx.pipeline, ctx.source, ctx.target, ctx.log);
}

export const SOURCE_HELP = `MySQL source, mysql://user:password@host:3306/database (or CONVERGE_SOURCE_URL; default ${DEFAULT_SOURCE_URL})`;
export const TARGET_HELP = `Postgres target, postgres://user:password@host:5432/database (or CONVERGE_TARGET_URL; default ${DEFAULT_TARGET_URL})`;
export const WORK_DIR_HELP = `where CSV files, manifests and the run log go (or CONVERGE_WORK_DIR; default ${DEFAULT_PIPELINE_WORK_DIR})`;
export const JOBS_HELP = `(or CONVERGE_JOBS; default ${DEFAULT_JOBS})`;

/** Adds the flags shared by pipeline commands. */
export function withCommonFlags<T extends { option(flags: string, desc: string): T }>(cmd: T): T {
  return withConnectionFlags(cmd)
    .option(
      '-p, --pipeline <name>',
      "pipeline name (<project>/pipelines/<name>/pipeline.yaml) or path to a pipeline.yaml; default: the project's only one",
    )
    .option('--project <dir>', 'the project folder holding pipelines/ and mappings/ (or CONVERGE_PROJECT; default: .)')
    .option('--source <url>', SOURCE_HELP)
    .option('--target <url>', TARGET_HELP)
    .option('--work-dir <dir>', WORK_DIR_HELP)
    .option('--log-level <level>', 'pino log level (or CONVERGE_LOG_LEVEL)');
}

/** Adds the connection settings (time-outs, TLS) to a command that connects; each also has its variable. */
export function withConnectionFlags<T extends { option(flags: string, desc: string): T }>(cmd: T): T {
  for (const spec of connectionFlagSpecs()) cmd.option(`${spec.flag} <value>`, `${spec.describe} (or ${spec.env})`);
  return cmd;
}

/** The Examples section that ends a command's --help: the command as an operator would type it. */
export function examplesText(...examples: string[]): string {
  return `\nExamples:\n${examples.map((e) => `  ${e}\n`).join('')}`;
}

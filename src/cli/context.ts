import path from 'node:path';
import type { Logger } from 'pino';
import { ConnectionInfo, withDatabase } from '../core/connection-url';
import { createLogger } from '../core/logger';
import {
  connectionFlagSpecs,
  DEFAULT_SOURCE_URL,
  DEFAULT_TARGET_URL,
  resolveSetting,
  resolveSource,
  resolveTarget,
} from '../core/settings';
import { loadPipeline, Pipeline, pipelinePath } from '../pipeline/load-pipeline';
import { projectDir } from '../pipeline/project-dir';

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
 * default one, so `--source mysql://root@127.0.0.1` is enough for a demo.
 */
export async function commandContext(
  flags: CommonFlags,
  opts: { localDefaults?: boolean } = {},
): Promise<CommandContext> {
  const log = createLogger({ level: flags.logLevel });
  const pipeline = await loadPipeline(flags.pipeline, projectDir(flags.project));
  const src = resolveSource(flags, opts.localDefaults ? DEFAULT_SOURCE_URL : undefined);
  const tgt = resolveTarget(flags, opts.localDefaults ? DEFAULT_TARGET_URL : undefined);
  const source = src.database ? src : withDatabase(src, pipeline.source.database);
  const target = tgt.database ? tgt : withDatabase(tgt, pipeline.target.database);
  const workDir = path.resolve(
    resolveSetting(flags.workDir, 'CONVERGE_WORK_DIR', path.join('converge-work', pipeline.name))!.value,
  );
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
export function followContext(ctx: CommandContext) {
  return {
    pipeline: ctx.pipeline.name,
    source: ctx.source,
    target: ctx.target,
    mappingDir: ctx.mappingDir,
    exclude: ctx.pipeline.source.exclude,
    defaultSchema: ctx.pipeline.target.schema,
    log: ctx.log,
  };
}

/** Adds the flags shared by pipeline commands. */
export function withCommonFlags<T extends { option(flags: string, desc: string): T }>(cmd: T): T {
  return withConnectionFlags(cmd)
    .option(
      '-p, --pipeline <name>',
      "pipeline name (<project>/pipelines/<name>/pipeline.yaml) or path to a pipeline.yaml; default: the project's only one",
    )
    .option('--project <dir>', 'the project folder holding pipelines/ and mappings/ (or CONVERGE_PROJECT; default: .)')
    .option('--source <url>', 'MySQL source, mysql://user:password@host:3306/database (or CONVERGE_SOURCE_URL)')
    .option('--target <url>', 'Postgres target, postgres://user:password@host:5432/database (or CONVERGE_TARGET_URL)')
    .option(
      '--work-dir <dir>',
      'where CSV files and manifests go (or CONVERGE_WORK_DIR; default converge-work/<pipeline>)',
    )
    .option('--log-level <level>', 'pino log level (or CONVERGE_LOG_LEVEL)');
}

/** Adds the connection settings (time-outs, TLS) to a command that connects; each also has its variable. */
export function withConnectionFlags<T extends { option(flags: string, desc: string): T }>(cmd: T): T {
  for (const spec of connectionFlagSpecs()) cmd.option(`${spec.flag} <value>`, `${spec.describe} (or ${spec.env})`);
  return cmd;
}

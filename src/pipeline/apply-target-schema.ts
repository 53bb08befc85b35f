import path from 'node:path';
import type { ConnectionInfo } from '../core/connection-url';
import { ConvergeError } from '../core/errors';
import { Pipeline, pipelinePath } from './load-pipeline';
import { MigrationResult, applyMigrations } from '../schema/apply-migrations';
import { formatFindings, lintPipeline } from '../schema/lint';

/**
 * `converge schema apply` on the target: the pipeline's own Postgres migrations, linted first.
 * One owner per schema, enforced: migrations that are not valid Postgres, or that reach into
 * converge's own schema, are refused before anything is applied. `converge rehearse` times this
 * same call as the cut-over's schema-apply phase.
 */
export async function applyTargetSchema(p: Pipeline, target: ConnectionInfo): Promise<MigrationResult[]> {
  const dir = targetMigrationsDir(p);
  if (!p.target.tracking)
    throw new ConvergeError('CONFIG_INVALID', 'target.migrations needs target.tracking: the table that records them', {
      file: p.file,
      key: 'target.tracking',
      stage: 'config',
    });
  const lint = await lintPipeline(path.dirname(path.dirname(dir)), path.basename(path.dirname(dir)));
  if (lint.findings.length) {
    throw new ConvergeError(
      'TARGET_SCHEMA',
      `the pipeline's Postgres migrations fail schema lint; nothing was applied:\n${formatFindings(lint.findings)}`,
      { stage: 'schema', file: lint.findings[0].file, line: lint.findings[0].line },
    );
  }
  return applyMigrations({ dialect: 'postgres', connection: target, dir, tracking: p.target.tracking });
}

/**
 * The folder of the pipeline's Postgres migrations. A pipeline without one leaves the schema to
 * the application (the usual case): only `converge schema` and rehearsals need it.
 */
export function targetMigrationsDir(p: Pipeline): string {
  if (!p.target.migrations)
    throw new ConvergeError(
      'USAGE',
      `pipeline ${p.name} has no target.migrations: its Postgres schema is the application's to apply (see docs/pipeline.md)`,
      { file: p.file, key: 'target.migrations', stage: 'config' },
    );
  return pipelinePath(p, p.target.migrations);
}

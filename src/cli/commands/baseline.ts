import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { resolveSource, resolveTarget } from '../../core/settings';
import { examplesText, SOURCE_HELP, TARGET_HELP, withConnectionFlags } from '../context';
import { toUrl, withDatabase } from '../../core/connection-url';
import { ConvergeError } from '../../core/errors';
import { loadPipeline, pipelinePath } from '../../pipeline/load-pipeline';
import { regenerateBaseline } from '../../baseline/regenerate-baseline';
import type { RegisterCommand } from './index';

/**
 * `converge baseline generate --pipeline alkemio`: TypeORM's own schema builder, run against
 * scratch databases, writes the Postgres baseline and the legacy MySQL schema from the
 * application's entities. converge reads the entities, and the TypeORM beside them, from the
 * application's folder (the pipeline's target.baseline); it owns neither.
 */
export const register: RegisterCommand = (program) => {
  withConnectionFlags(
    program
      .command('baseline')
      .description('schemas generated from the application (TypeORM entities)')
      .command('generate')
      .description("regenerate the files the pipeline's target.baseline names from the application's TypeORM entities"),
  )
    .requiredOption('-p, --pipeline <name>', 'pipeline with a target.baseline (name or path to a pipeline.yaml)')
    .option('--source <url>', `MySQL server for the scratch database: ${SOURCE_HELP}`)
    .option('--target <url>', `Postgres server for the scratch database: ${TARGET_HELP}`)
    .addHelpText('after', examplesText('converge baseline generate --pipeline alkemio'))
    .action(async (flags: { pipeline: string; source?: string; target?: string }) => {
      const pipeline = await loadPipeline(flags.pipeline);
      const files = pipeline.target.baseline;
      if (!files)
        throw new ConvergeError('USAGE', `pipeline ${pipeline.name} has no target.baseline (no TypeORM entities)`, {
          file: pipeline.file,
          key: 'target.baseline',
        });
      const texts = await regenerateBaseline(pipeline, {
        pgServerUrl: toUrl(withDatabase(resolveTarget(flags), undefined)),
        mysqlServerUrl: toUrl(withDatabase(resolveSource(flags), undefined)),
      });
      for (const side of ['postgres', 'mysql'] as const) {
        const rel = files[side];
        const text = texts[side];
        if (!rel || text === undefined) continue;
        const file = pipelinePath(pipeline, rel);
        await fsp.writeFile(file, text);
        process.stdout.write(`wrote ${path.relative(process.cwd(), file)}\n`);
      }
    });
};

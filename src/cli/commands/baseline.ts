import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { resolveSource, resolveTarget, DEFAULT_SOURCE_URL, DEFAULT_TARGET_URL } from '../../core/settings';
import { toUrl, withDatabase } from '../../core/connection-url';
import { ConvergeError } from '../../core/errors';
import { projectRoot } from '../../pipeline/project-root';
import type { RegisterCommand } from './index';

/**
 * `converge baseline generate --pipeline alkemio`: TypeORM's own schema builder, run against
 * scratch databases, writes the Postgres baseline and the legacy MySQL schema from the
 * application's entities. converge reads the entities; it does not own them.
 */
export const register: RegisterCommand = (program) => {
  program
    .command('baseline')
    .description('schemas generated from the application (TypeORM entities)')
    .command('generate')
    .description(
      'regenerate migrations/<pipeline>/postgres/0001_baseline.sql and the MySQL legacy schema from the entities',
    )
    .requiredOption('-p, --pipeline <name>', 'pipeline (only alkemio has TypeORM entities)')
    .option('--source <url>', 'MySQL server for the scratch database', DEFAULT_SOURCE_URL)
    .option('--target <url>', 'Postgres server for the scratch database', DEFAULT_TARGET_URL)
    .action(async (flags: { pipeline: string; source: string; target: string }) => {
      if (flags.pipeline !== 'alkemio')
        throw new ConvergeError('USAGE', `pipeline ${flags.pipeline} has no TypeORM entities; only alkemio does`);
      // Loaded lazily: TypeORM and the entity set are heavy and only this command needs them.
      const { regenerateAlkemioBaseline, ALKEMIO_BASELINE_FILES } = await import('../../schema/alkemio-baseline-files');
      const texts = await regenerateAlkemioBaseline({
        pgServerUrl: toUrl(withDatabase(resolveTarget(flags.target), undefined)),
        mysqlServerUrl: toUrl(withDatabase(resolveSource(flags.source), undefined)),
      });
      for (const side of ['postgres', 'mysql'] as const) {
        const file = path.join(projectRoot(), ALKEMIO_BASELINE_FILES[side]);
        await fsp.writeFile(file, texts[side]);
        process.stdout.write(`wrote ${path.relative(process.cwd(), file)}\n`);
      }
    });
};

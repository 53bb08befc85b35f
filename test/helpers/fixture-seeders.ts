import { generateSource } from '../../bench/generate-source';
import { ConnectionInfo, parseConnectionUrl } from '../../src/core/connection-url';
import { silentLogger } from '../../src/core/logger';
import { loadSeeder } from '../../src/pipeline/seeder';
import { openMysql } from '../../src/source/mysql/connect';
import { applyMigrations } from '../../src/schema/apply-migrations';
import { Pipeline, pipelinePath } from '../../src/pipeline/load-pipeline';
import { MYSQL_BASE } from './databases';

/**
 * The one place tests reach the fixture seeders (the demo seeders and the benchmark generator),
 * so moving them is one edit here. `source` names an existing, empty database: it gets the
 * pipeline's source migrations, then rows at `scale` (the bench generator recreates the database).
 */
export async function seedFixtureSource(pipeline: Pipeline, source: ConnectionInfo, scale: number): Promise<void> {
  if (pipeline.name === 'bench') {
    await generateSource({
      server: parseConnectionUrl(MYSQL_BASE, 'mysql', 'test server'),
      pipeline: { ...pipeline, source: { ...pipeline.source, database: source.database! } },
      rows: {
        accounts: Math.round(300 * scale),
        events: Math.round(3000 * scale),
        attachments: Math.round(60 * scale),
      },
      jobs: 1,
      log: silentLogger(),
    });
    return;
  }
  const seeder = loadSeeder(pipeline);
  if (!seeder) throw new Error(`pipeline ${pipeline.name} has no fixture seeder`);
  await applyMigrations({
    dialect: 'mysql',
    connection: source,
    dir: pipelinePath(pipeline, pipeline.source.migrations!),
    tracking: pipeline.source.tracking!,
  });
  const conn = await openMysql(source);
  try {
    await conn.query("SET time_zone = '+00:00'");
    await seeder(conn, { scale });
  } finally {
    await conn.end().catch(() => undefined);
  }
}

import type { Logger } from 'pino';
import { ConnectionInfo, withDatabase } from '../core/connection-url';
import { ConvergeError } from '../core/errors';
import { applyMigrations } from '../schema/apply-migrations';
import { openMysql } from '../source/mysql/connect';
import { Pipeline, pipelinePath } from '../pipeline/load-pipeline';
import { runPipeline, PipelineRunResult } from '../pipeline/run-pipeline';
import { recreateMysqlDatabase, recreatePgDatabase } from './reset-databases';
import { SEEDERS } from './seeders';

export interface DemoOptions {
  pipeline: Pipeline;
  /** Server URLs; the demo uses its own databases converge_demo_<pipeline> on both. */
  sourceServer: ConnectionInfo;
  targetServer: ConnectionInfo;
  scale?: number;
  workDir: string;
  log: Logger;
  jobs?: number;
  databaseName?: string;
}

export interface DemoResult extends PipelineRunResult {
  seeded: Record<string, number>;
  seedSeconds: number;
  source: ConnectionInfo;
  target: ConnectionInfo;
}

/** Fresh scratch databases, the pipeline's schemas, seeded rows, then the whole pipeline. */
export async function runDemo(o: DemoOptions): Promise<DemoResult> {
  const p = o.pipeline;
  const seeder = p.seed ? SEEDERS[p.seed] : undefined;
  if (!seeder || !p.source.migrations || !p.source.tracking)
    throw new ConvergeError('USAGE', `pipeline ${p.name} has no demo seeder or source migrations`);
  const db = o.databaseName ?? `converge_demo_${p.name}`;
  const source = withDatabase(o.sourceServer, db);
  const target = withDatabase(o.targetServer, db);
  await recreateMysqlDatabase(o.sourceServer, db);
  await recreatePgDatabase(o.targetServer, db);
  await applyMigrations({
    dialect: 'mysql',
    connection: source,
    dir: pipelinePath(p, p.source.migrations),
    tracking: p.source.tracking,
  });
  await applyMigrations({
    dialect: 'postgres',
    connection: target,
    dir: pipelinePath(p, p.target.migrations),
    tracking: p.target.tracking,
  });
  const t0 = Date.now();
  const conn = await openMysql(source);
  let seeded: Record<string, number>;
  try {
    seeded = await seeder(conn, { scale: o.scale ?? p.demoScale });
  } finally {
    await conn.end().catch(() => undefined);
  }
  const seedSeconds = (Date.now() - t0) / 1000;
  o.log.info(
    { pipeline: p.name, rows: Object.values(seeded).reduce((a, b) => a + b, 0), seconds: seedSeconds },
    'source seeded',
  );
  const res = await runPipeline({ pipeline: p, source, target, workDir: o.workDir, log: o.log, jobs: o.jobs });
  return { ...res, seeded, seedSeconds, source, target };
}

import os from 'node:os';
import path from 'node:path';
import { promises as fsp } from 'node:fs';
import { parseConnectionUrl } from '../../src/core/connection-url';
import { silentLogger } from '../../src/core/logger';
import { applyMigrations } from '../../src/schema/apply-migrations';
import { Pipeline, pipelinePath } from '../../src/pipeline/load-pipeline';
import { loadAnyPipeline } from '../../fixtures/fixture-pipelines';
import { createMysqlDb, createPgDb, TestDb } from './databases';

export interface PipelineFixture {
  pipeline: Pipeline;
  mysqlDb: TestDb;
  pgDb: TestDb;
  source: ReturnType<typeof parseConnectionUrl>;
  target: ReturnType<typeof parseConnectionUrl>;
  workDir: string;
  cleanup(): Promise<void>;
}

/** Fresh source and target databases with a pipeline's schemas applied, and a private work dir. */
export async function pipelineFixture(name: string): Promise<PipelineFixture> {
  const pipeline = await loadAnyPipeline(name);
  const mysqlDb = await createMysqlDb(name);
  const pgDb = await createPgDb(name);
  const source = parseConnectionUrl(mysqlDb.url, 'mysql', 'test source');
  const target = parseConnectionUrl(pgDb.url, 'postgres', 'test target');
  await applyMigrations({
    dialect: 'mysql',
    connection: source,
    dir: pipelinePath(pipeline, pipeline.source.migrations!),
    tracking: pipeline.source.tracking!,
  });
  await applyMigrations({
    dialect: 'postgres',
    connection: target,
    dir: pipelinePath(pipeline, pipeline.target.migrations!),
    tracking: pipeline.target.tracking!,
  });
  const workDir = await fsp.mkdtemp(path.join(os.tmpdir(), `converge-${name}-`));
  return {
    pipeline,
    mysqlDb,
    pgDb,
    source,
    target,
    workDir,
    async cleanup() {
      await mysqlDb.drop().catch(() => undefined);
      await pgDb.drop().catch(() => undefined);
      await fsp.rm(workDir, { recursive: true, force: true });
    },
  };
}

export const quietLog = silentLogger();

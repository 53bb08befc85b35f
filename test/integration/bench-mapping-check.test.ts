import { generateSource } from '../../bench/generate-source';
import { parseConnectionUrl } from '../../src/core/connection-url';
import { runMapCheck } from '../../src/map-check/run-map-check';
import { pipelinePath } from '../../src/pipeline/load-pipeline';
import { MYSQL_BASE } from '../helpers/databases';
import { pipelineFixture, PipelineFixture, quietLog } from '../helpers/pipeline-fixture';

/**
 * Every committed mapping passes map check, on its freshly migrated target and on seeded source
 * data read with --probe: Kratos, Alkemio, ERP and audit in map-init-check.test.ts (beside their
 * drafts); the bench one here, on the benchmark generator's rows and the zero dates its mapping
 * declares.
 */
const seeders: Record<string, (fx: PipelineFixture) => Promise<unknown>> = {
  bench: (fx) =>
    generateSource({
      server: parseConnectionUrl(MYSQL_BASE, 'mysql', 'test server'),
      pipeline: { ...fx.pipeline, source: { ...fx.pipeline.source, database: fx.mysqlDb.name } },
      rows: { accounts: 300, events: 3000, attachments: 60 },
      jobs: 1,
      log: quietLog,
    }),
};

describe.each(Object.keys(seeders))('the committed %s mapping', (name) => {
  let fx: PipelineFixture;
  beforeAll(async () => {
    fx = await pipelineFixture(name);
    await seeders[name](fx);
  });
  afterAll(async () => fx?.cleanup());

  test.each([false, true])('passes map check (probe %s): no error, no target table left to chance', async (probe) => {
    const res = await runMapCheck({
      mappingDir: pipelinePath(fx.pipeline, fx.pipeline.mapping),
      source: fx.source,
      target: fx.target,
      targetSchema: fx.pipeline.target.schema,
      excluded: fx.pipeline.source.exclude,
      replaceSeeded: fx.pipeline.target.replaceSeeded,
      probe,
    });
    expect(res.problems.filter((p) => p.severity === 'error' || p.kind === 'target-not-empty')).toEqual([]);
  });
});

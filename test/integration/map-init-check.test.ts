import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { pipelineFixture, PipelineFixture } from '../helpers/pipeline-fixture';
import { pipelinePath } from '../../src/pipeline/load-pipeline';
import { runMapInit } from '../../src/mapping/init/run-map-init';
import { runMapCheck } from '../../src/mapping/check/run-map-check';

let fx: PipelineFixture;
beforeAll(async () => {
  fx = await pipelineFixture('kratos');
});
afterAll(async () => fx?.cleanup());

describe('map init → map check on the Kratos schemas', () => {
  test('the committed mapping passes map check, also with --probe', async () => {
    const base = { mappingDir: pipelinePath(fx.pipeline, fx.pipeline.mapping), source: fx.source, target: fx.target, targetSchema: fx.pipeline.target.schema, excluded: fx.pipeline.source.exclude };
    expect((await runMapCheck(base)).problems).toEqual([]);
    expect((await runMapCheck({ ...base, probe: true })).problems).toEqual([]);
  });

  test('the draft loads, and every error map check reports is at a column the draft marked TODO', async () => {
    const file = path.join(fx.workDir, 'draft.yaml');
    const init = await runMapInit({ source: fx.source, target: fx.target, targetSchema: fx.pipeline.target.schema, excluded: fx.pipeline.source.exclude, keep: fx.pipeline.target.keep, file });
    expect(init.tables).toBeGreaterThan(20);
    expect(await fsp.readFile(file, 'utf8')).toContain('# TODO: MySQL allows NULL');
    const res = await runMapCheck({ mappingDir: file, source: fx.source, target: fx.target, targetSchema: fx.pipeline.target.schema, excluded: fx.pipeline.source.exclude });
    const todo = new Set(init.todos.map((t) => `${t.table}.${t.column ?? ''}`));
    const errors = res.problems.filter((p) => p.severity === 'error');
    expect(errors.length).toBeGreaterThan(0);
    for (const p of errors) expect(todo).toContain(`${p.table}.${p.column ?? ''}`);
  });
});

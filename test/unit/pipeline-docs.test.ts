import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadPipeline } from '../../src/pipeline/load-pipeline';
import { pipelineJsonSchemaText } from '../../src/pipeline/pipeline-json-schema';
import { initProject } from '../../src/project/init-project';
import { targetMigrationsDir } from '../../src/pipeline/apply-target-schema';

const root = path.resolve(__dirname, '../..');
const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(path.join(os.tmpdir(), 'converge-pipeline-docs-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('docs/pipeline.md and docs/pipeline.schema.json', () => {
  test('the JSON Schema is exactly what the validator generates (regenerate with `converge pipeline schema --write`)', () => {
    expect(readFileSync(path.join(root, 'docs', 'pipeline.schema.json'), 'utf8')).toBe(pipelineJsonSchemaText());
  });

  test('every yaml block of docs/pipeline.md is a valid pipeline', async () => {
    const blocks = [
      ...readFileSync(path.join(root, 'docs', 'pipeline.md'), 'utf8').matchAll(/```yaml\n([\s\S]*?)```/g),
    ];
    expect(blocks.length).toBeGreaterThanOrEqual(2);
    for (const [i, m] of blocks.entries()) {
      const file = path.join(tmp(), 'pipeline.yaml');
      writeFileSync(file, m[1]);
      const p = await loadPipeline(file).catch((e: Error) => {
        throw new Error(`docs/pipeline.md, yaml block ${i + 1}: ${e.message}`);
      });
      expect(p.target.schema).toBe('public');
    }
  });

  test('every key the validator knows is in the table of keys', () => {
    const doc = readFileSync(path.join(root, 'docs', 'pipeline.md'), 'utf8');
    const schema = JSON.parse(pipelineJsonSchemaText()) as {
      properties: Record<string, { properties?: Record<string, unknown> }>;
    };
    const keys = Object.entries(schema.properties)
      .filter(([k]) => k !== '$schema')
      .flatMap(([k, v]) => (v.properties ? Object.keys(v.properties).map((c) => `${k}.${c}`) : [k]));
    for (const k of keys) expect({ k, documented: doc.includes(`\`${k}\``) }).toEqual({ k, documented: true });
  });
});

describe('converge init', () => {
  test('writes a project whose pipeline loads without --pipeline, with no target migrations', async () => {
    const dir = path.join(tmp(), 'my shop');
    const r = await initProject({ dir });
    expect(r.name).toBe('my-shop');
    const p = await loadPipeline(undefined, dir);
    expect(p).toMatchObject({ name: 'my-shop', source: { database: 'my_shop' }, target: { database: 'my_shop' } });
    expect(p.target.migrations).toBeUndefined();
    expect(p.root).toBe(dir);
    expect(path.resolve(p.root, p.mapping)).toBe(path.join(dir, 'mappings', 'my-shop'));
  });

  test('a pipeline without target migrations says so when asked to apply them, naming file and key', async () => {
    const dir = tmp();
    await initProject({ dir, name: 'app' });
    const p = await loadPipeline('app', dir);
    expect(() => targetMigrationsDir(p)).toThrow(
      expect.objectContaining({
        code: 'USAGE',
        message: expect.stringContaining("no target.migrations: its Postgres schema is the application's to apply"),
        context: expect.objectContaining({ file: p.file, key: 'target.migrations' }),
      }),
    );
  });

  test('never overwrites: an existing file stops it before anything is written', async () => {
    const dir = tmp();
    writeFileSync(path.join(dir, '.gitignore'), 'mine\n');
    await expect(initProject({ dir, name: 'app' })).rejects.toMatchObject({
      code: 'USAGE',
      message: expect.stringContaining('.gitignore; nothing was written'),
    });
    expect(readFileSync(path.join(dir, '.gitignore'), 'utf8')).toBe('mine\n');
    await expect(loadPipeline('app', dir)).rejects.toMatchObject({ code: 'PIPELINE_UNKNOWN' });
  });

  test('a project with two pipelines asks for one by name', async () => {
    const dir = tmp();
    await initProject({ dir, name: 'a' });
    await expect(initProject({ dir, name: 'b' })).rejects.toMatchObject({ code: 'USAGE' });
    const other = tmp();
    await initProject({ dir: other, name: 'b' });
    const { renameSync, mkdirSync } = await import('node:fs');
    mkdirSync(path.join(dir, 'pipelines', 'b'));
    renameSync(path.join(other, 'pipelines', 'b', 'pipeline.yaml'), path.join(dir, 'pipelines', 'b', 'pipeline.yaml'));
    await expect(loadPipeline(undefined, dir)).rejects.toMatchObject({
      code: 'USAGE',
      message: expect.stringContaining('2 pipelines (a, b): name one with --pipeline'),
    });
    expect((await loadPipeline('b', dir)).name).toBe('b');
  });
});

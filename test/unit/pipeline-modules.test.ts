import os from 'node:os';
import path from 'node:path';
import { promises as fsp } from 'node:fs';
import { ConvergeError } from '../../src/core/errors';
import { loadPipeline } from '../../src/pipeline/load-pipeline';
import { loadSeeder } from '../../src/pipeline/seeder';
import { loadBaselineApp } from '../../src/baseline/baseline-app';

/**
 * Modules a pipeline names (`seed:`, target.baseline) load from where the pipeline says, and
 * TypeORM from the application's folder; anything missing is a config error naming file and key.
 */
let dir: string;

beforeAll(async () => {
  dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'converge-pipeline-modules-'));
  // An application folder outside converge: its own entities module, no typeorm installed.
  await fsp.mkdir(path.join(dir, 'app'));
  await fsp.writeFile(path.join(dir, 'app', 'entities.js'), 'exports.entities = () => [];\n');
  await fsp.writeFile(path.join(dir, 'seed.js'), 'exports.seed = async () => ({ t: 1 });\n');
  await fsp.writeFile(path.join(dir, 'not-a-seed.js'), 'exports.other = 1;\n');
});

afterAll(async () => {
  await fsp.rm(dir, { recursive: true, force: true });
});

async function pipeline(extra: string, target = ''): Promise<ReturnType<typeof loadPipeline>> {
  const file = path.join(dir, `p-${Math.random().toString(36).slice(2)}.yaml`);
  await fsp.writeFile(
    file,
    `name: p\nsource: { database: s }\ntarget:\n  database: t\n  migrations: m\n  tracking: { table: v, style: converge }\n${target}mapping: m\n${extra}`,
  );
  return loadPipeline(file);
}

async function errorOf(fn: () => unknown): Promise<ConvergeError> {
  try {
    await fn();
  } catch (e) {
    if (e instanceof ConvergeError) return e;
    throw e;
  }
  throw new Error('expected a ConvergeError');
}

describe('seed: a module path', () => {
  it('loads the seed function relative to the pipeline file', async () => {
    const seed = loadSeeder(await pipeline('seed: ./seed\n'));
    expect(typeof seed).toBe('function');
  });

  it('no seed: no seeder', async () => {
    expect(loadSeeder(await pipeline(''))).toBeUndefined();
  });

  it('a missing module or one without seed() is a config error on key seed', async () => {
    for (const rel of ['./nowhere', './not-a-seed']) {
      const p = await pipeline(`seed: ${rel}\n`);
      const e = await errorOf(() => loadSeeder(p));
      expect(e.code).toBe('CONFIG_INVALID');
      expect(e.context).toMatchObject({ file: p.file, key: 'seed' });
    }
  });

  it('the built-in pipelines find their fixture seeders', async () => {
    for (const name of ['kratos', 'alkemio']) expect(typeof loadSeeder(await loadPipeline(name))).toBe('function');
  });
});

describe('target.baseline: the application folder', () => {
  it('is validated by the pipeline schema', async () => {
    const e = await errorOf(() => pipeline('', '  baseline: { entities: x }\n'));
    expect(e.code).toBe('CONFIG_INVALID');
    expect(e.context.key).toBe('target.baseline.postgres');
  });

  it('a missing application folder names target.baseline.app', async () => {
    const p = await pipeline('', '  baseline: { app: ./missing, entities: ./app/entities, postgres: b.sql }\n');
    const e = await errorOf(() => loadBaselineApp(p));
    expect(e.code).toBe('CONFIG_INVALID');
    expect(e.context).toMatchObject({ file: p.file, key: 'target.baseline.app' });
    expect(e.message).toContain('missing');
  });

  it('typeorm is resolved from the application folder, not from converge', async () => {
    const p = await pipeline('', '  baseline: { app: ./app, entities: ./app/entities, postgres: b.sql }\n');
    const e = await errorOf(() => loadBaselineApp(p));
    expect(e.code).toBe('CONFIG_INVALID');
    expect(e.message).toContain('typeorm cannot be found');
    expect(e.context).toMatchObject({ file: p.file, key: 'target.baseline.app' });
  });

  it('the Alkemio pipeline loads TypeORM and the entities from the fixtures app', async () => {
    const app = loadBaselineApp(await loadPipeline('alkemio'));
    expect(app.typeormVersion).toMatch(/^\d+\.\d+\.\d+/);
    expect(app.module.entities('postgres').length).toBe(74);
    expect(app.module.queryResultCacheTable).toBe('query-result-cache');
  });
});

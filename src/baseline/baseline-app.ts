import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type * as TypeOrm from 'typeorm';
import { ConvergeError } from '../core/errors';
import type { Pipeline } from '../pipeline/load-pipeline';
import { pipelinePath } from '../pipeline/load-pipeline';
import { loadPipelineModule, resolvePipelineModule } from '../pipeline/load-module';

export type BaselineDialect = 'postgres' | 'mysql';

/**
 * What `target.baseline.entities` must export (the application's side of the contract):
 * `entities(dialect)` returns the entity classes for that dialect; `queryResultCacheTable` names
 * TypeORM's cache table when the application enables `cache`; `title` heads the generated files.
 */
export interface BaselineEntitiesModule {
  entities: (dialect: BaselineDialect) => Function[];
  queryResultCacheTable?: string;
  title?: string;
}

/** The application's TypeORM and entities, both loaded from the application's folder. */
export interface BaselineApp {
  typeorm: typeof TypeOrm;
  typeormVersion: string;
  module: BaselineEntitiesModule;
}

/**
 * Loads TypeORM from the application's folder, never from converge's own dependencies: the
 * DDL must be what the application's TypeORM version emits, and the entities' decorators
 * register in that same copy's metadata storage. converge does not depend on TypeORM at all.
 */
export function loadBaselineApp(p: Pipeline): BaselineApp {
  const cfg = p.target.baseline;
  if (!cfg)
    throw new ConvergeError('USAGE', `pipeline ${p.name} declares no target.baseline (the application's entities)`, {
      file: p.file,
      key: 'target.baseline',
    });
  const entitiesFile = resolvePipelineModule(p, cfg.entities, 'target.baseline.entities');
  const appDir = cfg.app ? pipelinePath(p, cfg.app) : path.dirname(entitiesFile);
  const appKey = cfg.app ? 'target.baseline.app' : 'target.baseline.entities';
  if (!existsSync(appDir) || !statSync(appDir).isDirectory())
    throw new ConvergeError('CONFIG_INVALID', `the application folder ${appDir} does not exist`, {
      file: p.file,
      key: appKey,
      stage: 'config',
    });
  let typeormEntry: string;
  try {
    typeormEntry = createRequire(path.join(appDir, 'package.json')).resolve('typeorm');
  } catch {
    throw new ConvergeError(
      'CONFIG_INVALID',
      `typeorm cannot be found from the application folder ${appDir}: install the application's dependencies there`,
      { file: p.file, key: appKey, stage: 'config' },
    );
  }
  // Loaded through this module's own require (the path is absolute), so the entities module's
  // `import 'typeorm'`, which resolves to the same file, shares the instance.
  const typeorm = require(typeormEntry) as typeof TypeOrm;
  const mod = loadPipelineModule(p, cfg.entities, 'target.baseline.entities');
  if (typeof mod.entities !== 'function')
    throw new ConvergeError(
      'CONFIG_INVALID',
      `module ${cfg.entities} does not export entities(dialect), the function returning the entity classes`,
      { file: p.file, key: 'target.baseline.entities', stage: 'config' },
    );
  return { typeorm, typeormVersion: packageVersion(typeormEntry), module: mod as unknown as BaselineEntitiesModule };
}

/** typeorm's exports map hides package.json from require(); read it beside the entry point. */
function packageVersion(entry: string): string {
  try {
    const pkg = JSON.parse(readFileSync(path.join(path.dirname(entry), 'package.json'), 'utf8')) as {
      version?: string;
    };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

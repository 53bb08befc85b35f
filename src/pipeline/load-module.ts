import { existsSync } from 'node:fs';
import path from 'node:path';
import { ConvergeError, messageOf } from '../core/errors';
import type { Pipeline } from './load-pipeline';
import { pipelinePath } from './load-pipeline';
import { projectRoot } from './project-root';

/**
 * The file a pipeline's module key (`seed:`, `target.baseline.entities`) names, resolved like the
 * pipeline's other paths. The extension may be left out: Node finds the .js, the test runner the
 * .ts. converge's own fixtures are TypeScript compiled beside the product into dist/, so a path
 * inside converge's folder that has no loadable file of its own falls back to its compiled twin.
 */
export function resolvePipelineModule(p: Pipeline, rel: string, key: string): string {
  const wanted = pipelinePath(p, rel);
  for (const candidate of [wanted, compiledTwin(wanted)]) {
    if (!candidate) continue;
    try {
      return require.resolve(candidate);
    } catch {
      // not loadable under this name: try the next one
    }
  }
  throw new ConvergeError('CONFIG_INVALID', `${key}: no module at ${rel} (looked for ${wanted})`, {
    file: p.file,
    key,
    stage: 'config',
  });
}

/** Loads a pipeline's module; a module that throws while loading is reported against its key. */
export function loadPipelineModule(p: Pipeline, rel: string, key: string): Record<string, unknown> {
  const file = resolvePipelineModule(p, rel, key);
  try {
    return require(file) as Record<string, unknown>;
  } catch (e) {
    throw new ConvergeError(
      'CONFIG_INVALID',
      `${key}: module ${rel} failed to load: ${messageOf(e)}`,
      { file: p.file, key, stage: 'config' },
      { cause: e },
    );
  }
}

/** dist/<same path> for a source path inside converge's folder, when converge runs compiled. */
function compiledTwin(file: string): string | undefined {
  const root = projectRoot();
  const dist = path.join(root, 'dist');
  const rel = path.relative(root, file);
  if (rel.startsWith('..') || path.isAbsolute(rel) || file.startsWith(dist + path.sep)) return undefined;
  if (!__filename.startsWith(dist + path.sep) || !existsSync(dist)) return undefined;
  return path.join(dist, rel);
}

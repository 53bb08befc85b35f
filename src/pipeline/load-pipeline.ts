import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { ConvergeError } from '../core/errors';
import { ioError } from '../core/private-files';
import { pipelineFile, PipelineFile } from './pipeline-schema';
import { projectDir } from './project-dir';

export type Pipeline = PipelineFile & { file: string; root: string };

/**
 * Resolves a pipeline by name (<project>/pipelines/<name>/pipeline.yaml) or by a path to its
 * file; with no name, the project's only pipeline. The project is the operator's folder
 * (projectDir: --project, CONVERGE_PROJECT or the current folder), never converge's own.
 */
export async function loadPipeline(nameOrFile: string | undefined, root = projectDir()): Promise<Pipeline> {
  const name = nameOrFile ?? (await onlyPipeline(root));
  const file = name.endsWith('.yaml') || name.endsWith('.yml') ? path.resolve(name) : pipelineFileOf(root, name);
  let text: string;
  try {
    text = await fsp.readFile(file, 'utf8');
  } catch (e) {
    // Only a file that does not exist is an unknown pipeline; one that cannot be read (a
    // directory, no permission) is an error about that file.
    if ((e as NodeJS.ErrnoException)?.code !== 'ENOENT') throw ioError(e, `cannot read pipeline ${file}`, file);
    const known = await listPipelines(root);
    throw new ConvergeError(
      'PIPELINE_UNKNOWN',
      `no pipeline "${name}" in ${root} (known: ${known.join(', ') || 'none; `converge init` writes one'})`,
      { file },
    );
  }
  const doc = parseDocument(text);
  if (doc.errors.length)
    throw new ConvergeError('CONFIG_INVALID', `YAML syntax: ${doc.errors[0].message.split('\n')[0]}`, { file });
  const parsed = pipelineFile.safeParse(doc.toJS());
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw new ConvergeError('CONFIG_INVALID', `${i.path.join('.')}: ${i.message}`, { file, key: i.path.join('.') });
  }
  // A pipeline in the project's pipelines/<name>/ names its files from the project folder; any
  // other pipeline file, from its own folder.
  const base = path.dirname(file) === path.join(root, 'pipelines', parsed.data.name) ? root : path.dirname(file);
  return { ...parsed.data, file, root: base };
}

export function pipelinePath(p: Pipeline, rel: string): string {
  return path.resolve(p.root, rel);
}

export function pipelineFileOf(root: string, name: string): string {
  return path.join(root, 'pipelines', name, 'pipeline.yaml');
}

/** The names under <project>/pipelines/ that hold a pipeline.yaml. */
export async function listPipelines(root: string): Promise<string[]> {
  // Best effort, to name the choices in a message: no pipelines folder lists none.
  const names = await fsp.readdir(path.join(root, 'pipelines')).catch(() => [] as string[]);
  const found = await Promise.all(
    names.map((n) =>
      fsp.stat(pipelineFileOf(root, n)).then(
        () => n,
        () => undefined,
      ),
    ),
  );
  return found.filter((n): n is string => !!n).sort();
}

async function onlyPipeline(root: string): Promise<string> {
  const known = await listPipelines(root);
  if (known.length === 1) return known[0];
  throw new ConvergeError(
    'USAGE',
    known.length
      ? `${root} holds ${known.length} pipelines (${known.join(', ')}): name one with --pipeline`
      : `no pipeline in ${root} (no pipelines/<name>/pipeline.yaml): run \`converge init\` there, pass --project DIR, or --pipeline <file>`,
    { stage: 'config' },
  );
}

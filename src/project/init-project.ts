import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { ConvergeError } from '../core/errors';
import { ioError, makeDirs } from '../core/private-files';
import { pipelineFileOf } from '../pipeline/load-pipeline';
import { ENV_EXAMPLE, GITIGNORE, mappingReadme, pipelineTemplate } from './project-template';

export interface InitProjectOptions {
  dir: string;
  /** Pipeline name; default: the folder's name, made safe. */
  name?: string;
  sourceDatabase?: string;
  targetDatabase?: string;
}

export interface InitProjectResult {
  dir: string;
  name: string;
  written: string[];
}

/**
 * `converge init`: the operator's own project folder, with a commented pipeline file, its
 * mapping folder, .env.example and a .gitignore for the work directory. Never overwrites: when
 * any file exists, nothing is written and every clash is named.
 */
export async function initProject(opts: InitProjectOptions): Promise<InitProjectResult> {
  const dir = path.resolve(opts.dir);
  const name = opts.name ?? safeName(path.basename(dir));
  if (!/^[A-Za-z0-9_.-]+$/.test(name))
    throw new ConvergeError('USAGE', `pipeline name "${name}": letters, digits, _ . - only`, { key: '--name' });
  const db = name.replace(/[^A-Za-z0-9_]/g, '_');
  const files: Array<[string, string]> = [
    [pipelineFileOf(dir, name), pipelineTemplate(name, opts.sourceDatabase ?? db, opts.targetDatabase ?? db)],
    [path.join(dir, 'mappings', name, 'README.md'), mappingReadme(name)],
    [path.join(dir, '.env.example'), ENV_EXAMPLE],
    [path.join(dir, '.gitignore'), GITIGNORE],
  ];
  const clashes = (await Promise.all(files.map(([f]) => exists(f)))).flatMap((e, i) => (e ? [files[i][0]] : []));
  if (clashes.length)
    throw new ConvergeError(
      'USAGE',
      `${dir} already has ${clashes.map((f) => path.relative(dir, f)).join(', ')}; nothing was written`,
      { file: clashes[0] },
    );
  for (const [file, text] of files) {
    try {
      await makeDirs(path.dirname(file));
      // 'wx': a file that appeared since the check is not overwritten either.
      await fsp.writeFile(file, text, { flag: 'wx' });
    } catch (e) {
      throw ioError(e, `cannot write ${file}`, file);
    }
  }
  return { dir, name, written: files.map(([f]) => path.relative(dir, f)) };
}

function safeName(base: string): string {
  const s = base.replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^[-.]+|[-.]+$/g, '');
  return s || 'app';
}

async function exists(file: string): Promise<boolean> {
  return fsp.stat(file).then(
    () => true,
    (e: NodeJS.ErrnoException) => {
      if (e?.code === 'ENOENT') return false;
      throw ioError(e, `cannot check ${file}`, file);
    },
  );
}

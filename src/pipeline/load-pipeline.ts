import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { ConvergeError } from '../core/errors';
import { ioError } from '../core/private-files';
import { projectRoot } from './project-root';

const tracking = z
  .object({ schema: z.string().optional(), table: z.string(), style: z.enum(['pop', 'typeorm', 'converge']) })
  .strict();

/**
 * How `converge baseline generate` builds the target schema from the application's own TypeORM
 * entities. Everything is loaded from the application's folder, never from converge's.
 */
const baseline = z
  .object({
    /** Module (a path like the others) exporting entities(dialect) and optionally queryResultCacheTable, title. */
    entities: z.string(),
    /** The application's folder, where `typeorm` is resolved from (default: the entities module's folder). */
    app: z.string().optional(),
    /** Where the generated Postgres baseline goes. */
    postgres: z.string(),
    /** Where the generated MySQL schema goes, when the source schema is generated too. */
    mysql: z.string().optional(),
  })
  .strict();

const pipelineSchema = z
  .object({
    name: z.string(),
    description: z.string().optional(),
    source: z
      .object({
        database: z.string(),
        exclude: z.array(z.string()).default([]),
        migrations: z.string().optional(),
        tracking: tracking.optional(),
      })
      .strict(),
    target: z
      .object({
        database: z.string(),
        schema: z.string().default('public'),
        migrations: z.string(),
        tracking,
        /** Target tables converge never loads (the target's own migration table). */
        keep: z.array(z.string()).default([]),
        /** Tables whose rows the target's own migrations seeded: the load replaces them with the source's. */
        replaceSeeded: z.array(z.string()).default([]),
        baseline: baseline.optional(),
      })
      .strict(),
    mapping: z.string(),
    /** Module (a path like the others) exporting the demo/rehearsal seeder: see src/pipeline/seeder.ts. */
    seed: z.string().optional(),
    demoScale: z.number().int().positive().default(200),
  })
  .strict();

export type Pipeline = z.infer<typeof pipelineSchema> & { file: string; root: string };

/** Resolves a pipeline by name (pipelines/<name>/pipeline.yaml) or by a path to its file. */
export async function loadPipeline(nameOrFile: string, root = projectRoot()): Promise<Pipeline> {
  const file = nameOrFile.endsWith('.yaml')
    ? path.resolve(nameOrFile)
    : path.join(root, 'pipelines', nameOrFile, 'pipeline.yaml');
  let text: string;
  try {
    text = await fsp.readFile(file, 'utf8');
  } catch (e) {
    // Only a file that does not exist is an unknown pipeline; one that cannot be read (a
    // directory, no permission) is an error about that file.
    if ((e as NodeJS.ErrnoException)?.code !== 'ENOENT') throw ioError(e, `cannot read pipeline ${file}`, file);
    // Best effort, only to list the names in the message: no pipelines folder lists none.
    const known = await fsp.readdir(path.join(root, 'pipelines')).catch(() => [] as string[]);
    throw new ConvergeError('PIPELINE_UNKNOWN', `no pipeline "${nameOrFile}" (known: ${known.join(', ') || 'none'})`, {
      file,
    });
  }
  const doc = parseDocument(text);
  if (doc.errors.length)
    throw new ConvergeError('CONFIG_INVALID', `YAML syntax: ${doc.errors[0].message.split('\n')[0]}`, { file });
  const parsed = pipelineSchema.safeParse(doc.toJS());
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw new ConvergeError('CONFIG_INVALID', `${i.path.join('.')}: ${i.message}`, { file, key: i.path.join('.') });
  }
  const base = path.dirname(file) === path.join(root, 'pipelines', parsed.data.name) ? root : path.dirname(file);
  return { ...parsed.data, file, root: base };
}

export function pipelinePath(p: Pipeline, rel: string): string {
  return path.resolve(p.root, rel);
}

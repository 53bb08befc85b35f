import { promises as fsp } from 'node:fs';
import { yamlValue } from '../core/yaml-value';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { ConvergeError } from '../core/errors';
import { projectRoot } from '../pipeline/project-root';

export const SECTIONS = ['authentication', 'spaces', 'content', 'authorization'] as const;

const item = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/),
    section: z.enum(SECTIONS),
    title: z.string(),
    /** MySQL query; with `target`, both results must be equal (row by row, values as text). */
    source: z.string().optional(),
    /** Postgres query; alone, it must return exactly one row whose first value is 0. */
    target: z.string().optional(),
    /** Not automatable: the command or action that proves it, done by a person. */
    manual: z.string().optional(),
  })
  .strict()
  .refine((i) => !!i.target !== !!i.manual, { message: 'an item has either a target query or a manual step' })
  .refine((i) => !i.source || !!i.target, { message: 'a source query needs a target query to compare with' });

const checklistSchema = z.object({ pipeline: z.string(), items: z.array(item).min(1) }).strict();

export type ChecklistItem = z.infer<typeof item>;
export type Checklist = z.infer<typeof checklistSchema> & { file: string };

/** runbooks/checklists/<pipeline>.yaml: the items of verification-checklist.md for one pipeline. */
export function checklistPath(pipeline: string, root = projectRoot()): string {
  return path.join(root, 'runbooks', 'checklists', `${pipeline}.yaml`);
}

export async function loadChecklist(file: string): Promise<Checklist> {
  let text: string;
  try {
    text = await fsp.readFile(file, 'utf8');
  } catch (e) {
    throw new ConvergeError('CONFIG_INVALID', `no checklist at ${file}`, { file }, { cause: e });
  }
  const doc = parseDocument(text);
  if (doc.errors.length)
    throw new ConvergeError('CONFIG_INVALID', `YAML syntax: ${doc.errors[0].message.split('\n')[0]}`, { file });
  const parsed = checklistSchema.safeParse(yamlValue(doc, file, 'CONFIG_INVALID'));
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw new ConvergeError('CONFIG_INVALID', `${i.path.join('.')}: ${i.message}`, { file, key: i.path.join('.') });
  }
  const ids = new Set<string>();
  for (const it of parsed.data.items) {
    if (ids.has(it.id))
      throw new ConvergeError('CONFIG_INVALID', `item id ${it.id} appears twice`, { file, key: it.id });
    ids.add(it.id);
  }
  return { ...parsed.data, file };
}

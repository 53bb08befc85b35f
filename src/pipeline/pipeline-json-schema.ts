import { z } from 'zod';
import { pipelineFile } from './pipeline-schema';

/** docs/pipeline.schema.json, generated from the validator (a unit test compares the two). */
export function pipelineJsonSchemaText(): string {
  const schema = z.toJSONSchema(pipelineFile, {
    io: 'input',
    target: 'draft-2020-12',
    unrepresentable: 'any',
  }) as Record<string, unknown>;
  const doc = {
    $schema: schema.$schema,
    title: 'converge pipeline file',
    description: 'Which databases a pipeline moves, and where its mapping lives; see docs/pipeline.md.',
    ...Object.fromEntries(Object.entries(schema).filter(([k]) => k !== '$schema')),
  };
  return JSON.stringify(doc, null, 2) + '\n';
}

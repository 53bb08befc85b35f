import { z } from 'zod';
import { mappingFile } from './mapping-schema';

/**
 * docs/mapping.schema.json, generated from the validator so the two cannot drift (a unit test
 * compares them). `io: 'input'` describes what may be written in a file, before zod's
 * transforms (zeroDate: null → 'null') and defaults apply.
 */
export function mappingJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(mappingFile, {
    io: 'input',
    target: 'draft-2020-12',
    unrepresentable: 'any',
    // defaults.<type> is one rule shape for every transform type: written once under $defs.
    reused: 'ref',
  }) as Record<string, unknown>;
  return {
    $schema: schema.$schema,
    title: 'converge mapping file',
    description: 'A mapping from MySQL source tables and columns to the Postgres target; see docs/mapping.md.',
    ...Object.fromEntries(Object.entries(schema).filter(([k]) => k !== '$schema')),
  };
}

/** The file's exact text: stable key order and a final newline, so regeneration is a no-op. */
export function mappingJsonSchemaText(): string {
  return JSON.stringify(mappingJsonSchema(), null, 2) + '\n';
}

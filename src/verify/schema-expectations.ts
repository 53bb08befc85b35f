import { promises as fsp } from 'node:fs';
import { yamlValue } from '../core/yaml-value';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { ConvergeError } from '../core/errors';
import type { PgSession } from '../target/postgres/connect';
import { readSchemaFacts } from '../target/postgres/verify/schema-facts';

const schemaExpectation = z
  .object({
    tables: z.number().int().nonnegative().optional(),
    foreignKeys: z.number().int().nonnegative().optional(),
    enums: z.array(z.string()).optional(),
    indexes: z.array(z.string()).optional(),
    triggers: z.number().int().nonnegative().optional(),
  })
  .strict();
const expectationsFile = z.object({ schemas: z.record(z.string(), schemaExpectation) }).strict();

export type SchemaExpectation = z.infer<typeof schemaExpectation>;

export interface SchemaVerdict {
  schema: string;
  ok: boolean;
  problems: string[];
}

/** Reads a pipeline's expectations.yaml: per schema, the tables, FKs, enums, indexes and triggers it must hold. */
export async function readExpectations(file: string): Promise<Record<string, SchemaExpectation>> {
  const doc = parseDocument(await fsp.readFile(file, 'utf8'));
  if (doc.errors.length)
    throw new ConvergeError('CONFIG_INVALID', `YAML syntax: ${doc.errors[0].message.split('\n')[0]}`, { file });
  const parsed = expectationsFile.safeParse(yamlValue(doc, file, 'CONFIG_INVALID'));
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw new ConvergeError('CONFIG_INVALID', `${i.path.join('.')}: ${i.message}`, { file, key: i.path.join('.') });
  }
  return parsed.data.schemas;
}

/** Compares the target's catalog with the expectations; every difference is named. */
export async function checkExpectations(
  pg: PgSession,
  expected: Record<string, SchemaExpectation>,
): Promise<SchemaVerdict[]> {
  const out: SchemaVerdict[] = [];
  for (const [schema, want] of Object.entries(expected)) {
    const got = await readSchemaFacts(pg, schema);
    const problems: string[] = [];
    const num = (what: string, w: number | undefined, g: number) =>
      w !== undefined && w !== g && problems.push(`${what}: expected ${w}, found ${g}`);
    num('tables', want.tables, got.tables);
    num('foreign keys', want.foreignKeys, got.foreign_keys);
    num('user triggers', want.triggers, got.triggers);
    const names = (what: string, w: string[] | undefined, g: string[]) => {
      if (!w) return;
      const missing = w.filter((n) => !g.includes(n));
      const extra = g.filter((n) => !w.includes(n));
      if (missing.length) problems.push(`${what} missing: ${missing.join(', ')}`);
      if (extra.length) problems.push(`${what} not expected: ${extra.join(', ')}`);
    };
    names('enums', want.enums, got.enums);
    names('indexes', want.indexes, got.indexes);
    out.push({ schema, ok: problems.length === 0, problems });
  }
  return out;
}

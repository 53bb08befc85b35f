import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Client } from 'pg';

/** What one schema of the target holds, as schema expectations (verify) compare it. */
export interface SchemaFacts {
  tables: number;
  foreign_keys: number;
  enums: string[];
  indexes: string[];
  triggers: number;
}

const factsSql = () => readFileSync(path.join(__dirname, 'sql', 'schema-facts.sql'), 'utf8');

export async function readSchemaFacts(pg: Client, schema: string): Promise<SchemaFacts> {
  return (await pg.query(factsSql(), [schema])).rows[0] as SchemaFacts;
}

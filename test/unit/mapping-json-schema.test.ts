import { readFileSync } from 'node:fs';
import path from 'node:path';
import { mappingJsonSchema, mappingJsonSchemaText } from '../../src/mapping/mapping-json-schema';

const committed = path.resolve(__dirname, '../../docs/mapping.schema.json');

describe('docs/mapping.schema.json', () => {
  test('is exactly what the validator generates (regenerate with `converge map schema --write`)', () => {
    expect(readFileSync(committed, 'utf8')).toBe(mappingJsonSchemaText());
  });

  test('describes the input form: zeroDate and invalid accept null, columns default is not required', () => {
    const s = JSON.stringify(mappingJsonSchema());
    expect(s).toContain('"zeroDate"');
    expect(s).toContain('"uuidFormat"');
    const top = mappingJsonSchema() as { required?: string[]; additionalProperties?: boolean };
    expect(top.required ?? []).not.toContain('tables');
    expect(top.additionalProperties).toBe(false);
  });
});

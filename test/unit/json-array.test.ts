import { jsonArrayToArray } from '../../src/transform/transforms/scalars';
import { canonicalFor } from '../../src/verify/canonical';
import { matchNames } from '../../src/mapping/init/match-names';
import { pgType } from '../helpers/pg-value-type';

describe('json-array transform', () => {
  it('turns JSON arrays of scalars into Postgres array literals', () => {
    expect(jsonArrayToArray('[]')).toBe('{}');
    expect(jsonArrayToArray('["q3,q4", "say \\"hi\\"", "back\\\\slash", null, "NULL"]')).toBe(
      '{"q3,q4","say \\"hi\\"","back\\\\slash",NULL,"NULL"}',
    );
    expect(jsonArrayToArray('[0.5, -1e-7, 3]')).toBe('{"0.5","-1e-7","3"}');
  });

  it('rejects what is not an array of scalars, naming the problem', () => {
    expect(() => jsonArrayToArray('{"a":1}')).toThrow(/not a JSON array/);
    expect(() => jsonArrayToArray('[[1]]')).toThrow(/array or object/);
    expect(() => jsonArrayToArray('[1,')).toThrow(/invalid JSON/);
  });

  it('compares numeric arrays by value in both text forms (verify)', () => {
    const real = canonicalFor(pgType('float4[]'))!;
    expect(real(jsonArrayToArray('[-0.185929, 0.5]'))).toBe(real('[-0.185929, 0.5]'));
    expect(real('{"1.50"}')).toBe(real('[1.5]'));
    const text = canonicalFor(pgType('text[]'))!;
    expect(text('{"007"}')).not.toBe(text('["7"]'));
  });
});

describe('map init name matching across schemas', () => {
  it('matches a prefixed MySQL table to schema.table', () => {
    const m = matchNames(['erp_people', 'agent_sessions', 'misc'], ['erp.people', 'agent.sessions', 'public.other']);
    expect(m.pairs).toEqual(
      expect.arrayContaining([
        ['erp_people', 'erp.people'],
        ['agent_sessions', 'agent.sessions'],
      ]),
    );
    expect(m.leftOnly).toEqual(['misc']);
  });
});

import { ConvergeError } from '../../src/core/errors';
import type { CsvRecord } from '../../src/csv/csv-decode';
import { compileTable, SourceColumn } from '../../src/transform/compile-table';
import { mapRows, MappedRow, RowBatches } from '../../src/transform/map-rows';
import { tableRuleFromYaml } from '../fixtures/unit/mapping-rule';

const text = (...names: string[]): SourceColumn[] => names.map((name) => ({ name, encoding: 'text' }));

const keepNewest = (key: string) => `
tables:
  devices:
    columns:
      id: integer
      k: text
      pad: text
      updated_at: timestamp
    unique:
      - columns: [${key}]
        policy: keep-newest
        newest: updated_at
`;

function stamp(i: number): string {
  return new Date(Date.UTC(2024, 0, 1) + i * 1000).toISOString().slice(0, 19).replace('T', ' ');
}

describe('row policies hold keys compactly, and by ordinal', () => {
  test("keep-newest over a table's chunk files keeps one row per key although line numbers repeat across files", async () => {
    const rule = await tableRuleFromYaml(keepNewest('k'));
    const table = compileTable(rule, text('id', 'k', 'pad', 'updated_at'), {
      timezone: 'UTC',
      lookups: new Map(),
      origin: 'chunks',
    });
    // Two chunk files, both starting at line 2: key a's winner is line 2 of the second file and
    // its loser line 2 of the first; key b's winner is line 3 of the first, its loser line 3 of
    // the second. Told apart by line alone, all four rows "won".
    const files: CsvRecord[][] = [
      [
        { line: 2, fields: ['1', 'a', '', stamp(1)] },
        { line: 3, fields: ['2', 'b', '', stamp(9)] },
      ],
      [
        { line: 2, fields: ['3', 'a', '', stamp(5)] },
        { line: 3, fields: ['4', 'b', '', stamp(2)] },
      ],
    ];
    const source: RowBatches = () =>
      (async function* () {
        for (const f of files) yield f;
      })();
    const out: MappedRow[] = [];
    for await (const b of mapRows(table, rule, source, { origin: 'chunks' })) out.push(...b);
    expect(out.map((r) => r.fields[0])).toEqual(['2', '3']);
    expect(table.ledger.counts).toEqual({ k: { duplicateDropped: 2 } });
  });

  describe('keys too long to hold as text are held as digests, with the same outcome', () => {
    const long = (s: string) => `${s}-${'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36'}`;
    const rows: Array<Array<string | null>> = [
      ['1', long('a'), '', stamp(1)],
      ['2', long('b'), '', stamp(1)],
      ['3', long('a'), '', stamp(3)],
      ['4', long('a'), '', stamp(2)],
    ];
    const run = async (policy: string) => {
      const yaml = keepNewest('k').replace('policy: keep-newest\n        newest: updated_at', `policy: ${policy}`);
      const rule = await tableRuleFromYaml(policy === 'keep-newest' ? keepNewest('k') : yaml);
      const table = compileTable(rule, text('id', 'k', 'pad', 'updated_at'), {
        timezone: 'UTC',
        lookups: new Map(),
        origin: 'src.csv',
      });
      const source: RowBatches = () =>
        (async function* () {
          yield rows.map((fields, i) => ({ fields, line: i + 2 }));
        })();
      const out: MappedRow[] = [];
      for await (const b of mapRows(table, rule, source, { origin: 'src.csv' })) out.push(...b);
      return out.map((r) => r.fields[0]);
    };

    test('keep-newest', async () => expect(await run('keep-newest')).toEqual(['2', '3']));
    test('keep-first', async () => expect(await run('keep-first')).toEqual(['1', '2']));
    test('fail names the key as JSON text, not its digest', async () => {
      const e = await run('fail').then(
        () => undefined,
        (x: unknown) => x,
      );
      expect(e).toBeInstanceOf(ConvergeError);
      expect((e as ConvergeError).context).toMatchObject({ csvLine: 4, value: JSON.stringify([long('a')]) });
    });
  });
});

import type { Client } from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { CsvDecoder } from '../csv/csv-decode';
import type { TableRule } from '../mapping/load-mapping';
import type { MysqlConnection } from '../source/mysql/connect';
import type { MysqlTable } from '../source/mysql/catalog';
import { sourceRows } from '../source/mysql/row-source';
import { qualifiedPg, quotePg } from '../target/postgres/connect';
import type { CompiledTable } from '../transform/compile-table';
import { mapRows } from '../transform/map-rows';

/** A table's rows as the target should hold them, batch by batch; each call starts a new read. */
export type RowStream = () => AsyncIterable<Array<Array<string | null>>>;

/** Live MySQL rows through the mapping again (never through the CSV files). */
export function sourceStream(
  my: MysqlConnection,
  src: MysqlTable,
  compiled: CompiledTable,
  rule: TableRule,
): RowStream {
  return async function* () {
    // The same row reader migrate uses: the export's text form, read in primary-key order.
    for await (const batch of mapRows(compiled, rule, sourceRows(my, src).batches, {
      origin: `mysql:${src.name}`,
      applyExisting: true,
    }))
      yield batch.map((r) => r.fields);
  };
}

/** Postgres rows read back with COPY TO; arrays leave as JSON so both sides share one canonical form. */
export function targetStream(
  pg: Client,
  schema: string,
  table: string,
  cols: string[],
  types: Map<string, string>,
): RowStream {
  return async function* () {
    const select = cols.map((c) => (types.get(c)?.endsWith('[]') ? `to_jsonb(${quotePg(c)})` : quotePg(c))).join(', ');
    const stream = pg.query(
      copyTo(`COPY (SELECT ${select} FROM ${qualifiedPg(schema, table)}) TO STDOUT WITH (FORMAT csv)`),
    );
    const decoder = new CsvDecoder(`postgres:${schema}.${table}`);
    const utf8 = new TextDecoder('utf-8');
    let out: Array<Array<string | null>> = [];
    const onRecord = (r: { fields: Array<string | null> }) => out.push(r.fields);
    try {
      for await (const chunk of stream) {
        decoder.push(utf8.decode(chunk as Buffer, { stream: true }), onRecord);
        if (out.length) {
          yield out;
          out = [];
        }
      }
      decoder.push(utf8.decode(), onRecord);
      decoder.end(onRecord);
      if (out.length) yield out;
    } finally {
      stream.destroy();
    }
  };
}

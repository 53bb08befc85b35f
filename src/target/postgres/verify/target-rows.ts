import type { Client } from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { CsvDecoder } from '../../../csv/csv-decode';
import { qualifiedPg, quotePg } from '../connect';

/** Postgres rows read back with COPY TO; arrays leave as JSON so both sides share one canonical form. */
export function targetRows(
  pg: Client,
  schema: string,
  table: string,
  cols: string[],
  types: Map<string, string>,
  /** An SQL condition (segment-sums.ts pgSegmentWhere) restricting the rows read. */
  where?: string,
): () => AsyncIterable<Array<Array<string | null>>> {
  return async function* () {
    const select = cols.map((c) => (types.get(c)?.endsWith('[]') ? `to_jsonb(${quotePg(c)})` : quotePg(c))).join(', ');
    const stream = pg.query(
      copyTo(
        `COPY (SELECT ${select} FROM ${qualifiedPg(schema, table)}${where ? ` WHERE ${where}` : ''}) TO STDOUT WITH (FORMAT csv)`,
      ),
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

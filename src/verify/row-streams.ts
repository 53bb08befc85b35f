import type { TableRule } from '../mapping/load-mapping';
import type { MysqlConnection } from '../source/mysql/connect';
import type { MysqlTable } from '../source/mysql/catalog';
import { sourceRows } from '../source/mysql/row-source';
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
  /** Restricts the rows read (one key segment): source/mysql/verify-hash.ts mysqlSegmentWhere. */
  where?: string,
): RowStream {
  return async function* () {
    // The same row reader migrate uses: the export's text form, read in primary-key order.
    for await (const batch of mapRows(compiled, rule, sourceRows(my, src, { segment: where }).batches, {
      origin: `mysql:${src.name}`,
      applyExisting: true,
    }))
      yield batch.map((r) => r.fields);
  };
}

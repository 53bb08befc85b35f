import type { TableRule } from '../mapping/load-mapping';
import type { MysqlConnection } from '../source/mysql/connect';
import type { MysqlTable } from '../source/mysql/catalog';
import { streamTableRecords } from '../source/mysql/stream-rows';
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
    for await (const batch of mapRows(compiled, rule, () => streamTableRecords(my, src), {
      origin: `mysql:${src.name}`,
      applyExisting: true,
    }))
      yield batch.map((r) => r.fields);
  };
}

import { keySelectable, mysqlCountRows, mysqlKeysWhere } from '../source/mysql/rows-by-key';
import { pgCountRows, pgKeysWhere } from '../target/postgres/verify/rows-by-key';
import { targetRows } from '../target/postgres/verify/target-rows';
import { CompareInput, compareTable, TableComparison } from './compare-table';
import { drillDown } from './drill-down';
import { TableChecksum } from './row-checksum';
import { sourceStream } from './row-streams';

/** The keys a follow touched in one source table since its latest verified checkpoint (JSON arrays of text values). */
export interface TouchedTable {
  /** The source table's primary key values, from the binary log's row images. */
  source: Iterable<string>;
  /** The target keys those images mapped to. */
  target: Iterable<string>;
}

/** Keys per query: a few hundred literals keep each statement small. */
const CHUNK = 500;

/**
 * The switch's proof after a verified checkpoint (converge cutover): a checkpoint proved the
 * target equal to a source snapshot at binary log position S; since S only the rows whose keys
 * the follow touched can differ by the source's doing. So each table is proved by its row count
 * on both sides (a row removed or added behind converge's back), and the touched rows compared
 * by key, both sides read through the same table program and canonical forms as verify's:
 * source rows by their source keys, mapped, against the target rows of every target key the
 * changes named or the mapped rows carry. A table whose loaded rows a row policy chooses
 * (unique, existing, dropRowsWithNull: the source's count is not the target's), or whose key
 * cannot be selected by its text, is compared in full (compareTable), with the reason.
 */
export function compareTouched(
  touched: ReadonlyMap<string, TouchedTable>,
): (x: CompareInput, keyColumns: string[]) => Promise<TableComparison> {
  return async (x, keyColumns) => {
    const full = async (reason: string): Promise<TableComparison> => {
      const c = await compareTable(x, keyColumns);
      return { ...c, paths: { ...c.paths, reason: `compared in full: ${reason}` } };
    };
    const { rule, src } = x;
    if (rule.unique.length || rule.existing || rule.dropRowsWithNull.length)
      return full('row policies decide which rows load, so the counts do not compare');
    if (!keyColumns.length) return full('the target table has no key among the loaded columns');
    const srcKeyTypes = src.primaryKey.map((k) => src.columns.find((c) => c.name === k)?.dataType ?? '');
    if (!keySelectable(srcKeyTypes)) return full('the source key is not an integer or character key');

    const cols = x.compiled.targetColumns;
    const keyIdx = keyColumns.map((k) => cols.indexOf(k));
    const t = touched.get(src.name);
    const sourceKeys = [...(t?.source ?? [])].map((k) => JSON.parse(k) as Array<string | null>);
    const sourceRows: Array<Array<string | null>> = [];
    for (let i = 0; i < sourceKeys.length; i += CHUNK) {
      const where = mysqlKeysWhere(x.my, src.primaryKey, sourceKeys.slice(i, i + CHUNK));
      for await (const batch of sourceStream(x.my, src, x.compiled, rule, where)()) sourceRows.push(...batch);
    }
    // Every target key the changes named, and the keys the source's rows map to now.
    const targetKeys = new Set(t?.target ?? []);
    for (const f of sourceRows) targetKeys.add(JSON.stringify(keyIdx.map((i) => f[i])));
    const keys = [...targetKeys].map((k) => JSON.parse(k) as Array<string | null>);
    const targetRowsRead: Array<Array<string | null>> = [];
    for (let i = 0; i < keys.length; i += CHUNK) {
      const where = pgKeysWhere(x.pg, keyColumns, keys.slice(i, i + CHUNK));
      for await (const batch of targetRows(x.pg, x.schema, x.table, cols, x.types, where)())
        targetRowsRead.push(...batch);
    }
    const [sourceCount, targetCount] = await Promise.all([
      mysqlCountRows(x.my, src.name),
      pgCountRows(x.pg, x.schema, x.table),
    ]);
    const s = new TableChecksum(x.canon);
    const g = new TableChecksum(x.canon);
    for (const f of sourceRows) s.add(f);
    for (const f of targetRowsRead) g.add(f);
    const same = s.hex() === g.hex() && s.rows === g.rows;
    const rows = (r: Array<Array<string | null>>) =>
      async function* () {
        yield r;
      };
    const drill = same ? undefined : await drillDown(rows(sourceRows), rows(targetRowsRead), cols, x.canon, keyColumns);
    if (drill) drill.segment = `rows of the ${targetKeys.size} keys changed since the checkpoint`;
    return {
      sourceRows: sourceCount,
      targetRows: targetCount,
      sourceChecksum: s.hex(),
      targetChecksum: g.hex(),
      drills: drill ? [drill] : [],
      more: false,
      paths: {
        mode: 'touched',
        reason: `the row count, and by key the ${sourceRows.length} source / ${targetRowsRead.length} target rows of the keys changed since the checkpoint`,
        sql: [],
        stream: [],
      },
    };
  };
}

import type { Logger } from 'pino';
import type { Client } from 'pg';
import { ConvergeError, messageOf } from '../../../core/errors';
import { isUnfedNotNull, PgCatalog, tableKey } from '../catalog';
import { qualifiedPg } from '../connect';
import { countRows } from './target-state';

/**
 * The target-side checks every load makes before a row moves, whether its rows come from files
 * (import) or from the mapping (migrate).
 */

/**
 * Every loaded column must exist on the target table (GENERATED ones are left to the target, and
 * warned about), and every NOT NULL column the target cannot fill itself must be loaded.
 */
export function checkTargetColumns(
  catalog: PgCatalog,
  t: { schema: string; table: string; columns: string[] },
  log: Logger,
): void {
  const key = tableKey(t.schema, t.table);
  const pt = catalog.tables.get(key);
  if (!pt)
    throw new ConvergeError(
      'TARGET_SCHEMA',
      `target table ${key} does not exist; apply the target schema first (converge schema apply)`,
      { stage: 'import', table: key },
    );
  const names = new Map(pt.columns.map((c) => [c.name, c]));
  for (const c of t.columns) {
    const pc = names.get(c);
    if (!pc)
      throw new ConvergeError('TARGET_SCHEMA', `target table ${key} has no column "${c}"`, {
        stage: 'import',
        table: key,
        column: c,
      });
    if (pc.generated)
      log.warn(
        { table: key, column: c },
        'column is GENERATED on the target: left out of the load (the target computes it; verify compares it)',
      );
  }
  // Before the first row of any table: a NOT NULL column the files do not feed would fail the
  // load at its first row, after other tables were committed (map check's not-null-unfed).
  const fed = new Set(t.columns);
  const unfed = pt.columns.filter((c) => isUnfedNotNull(c, (n) => fed.has(n)));
  if (unfed.length)
    throw new ConvergeError(
      'MAPPING_INVALID',
      `target table ${key}: NOT NULL column(s) ${unfed.map((c) => c.name).join(', ')} have no default and the transformed files do not feed them (map check: not-null-unfed); map a source column to each (to:) or add: { constant: … }, then transform again`,
      { stage: 'import', table: key, column: unfed[0].name },
    );
}

export interface TargetTable {
  key: string;
  schema: string;
  table: string;
  /** The mapping allows rows already there (`existing:`): never refused, never truncated. */
  existingAllowed: boolean;
  /** The pipeline replaces this table's seeded rows: not refused, but truncated with the rest. */
  seeded: boolean;
}

/**
 * Refuses target tables that already hold rows, or with `truncate` empties the load's tables in
 * one statement (a lone parent cannot be truncated while a child references it). Returns each
 * table's row count as the load will find it.
 */
export async function requireEmptyTargets(
  client: Client,
  tables: TargetTable[],
  truncate: boolean,
  log: Logger,
): Promise<Map<string, number>> {
  const pre = new Map<string, number>();
  for (const t of tables) pre.set(t.key, await countRows(client, t.schema, t.table));
  const blocked = tables.filter((t) => pre.get(t.key)! > 0 && !t.existingAllowed && !t.seeded);
  if (!blocked.length) return pre;
  if (!truncate) {
    throw new ConvergeError(
      'TARGET_NOT_EMPTY',
      `target tables already hold rows: ${blocked.map((t) => `${t.key} (${pre.get(t.key)})`).join(', ')}; load into empty tables, or pass --truncate to empty them first`,
      { stage: 'import', table: blocked[0].key },
    );
  }
  const all = tables.filter((t) => !t.existingAllowed);
  try {
    await client.query(`TRUNCATE ${all.map((t) => qualifiedPg(t.schema, t.table)).join(', ')}`);
  } catch (e) {
    throw new ConvergeError(
      'TARGET_NOT_EMPTY',
      `--truncate failed: ${messageOf(e)} (a table outside this load references one being emptied)`,
      { stage: 'import' },
      { cause: e },
    );
  }
  for (const t of all) pre.set(t.key, 0);
  log.warn({ tables: all.map((t) => t.key) }, 'truncated the target tables of this load (--truncate)');
  return pre;
}

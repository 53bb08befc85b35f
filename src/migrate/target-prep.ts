import type { Logger } from 'pino';
import type { Client } from 'pg';
import { ConvergeError, messageOf } from '../core/errors';
import type { PgCatalog } from '../target/postgres/catalog';
import { qualifiedPg } from '../target/postgres/connect';
import { countRows } from '../target/postgres/load/target-state';
import type { MigrateTable } from './migrate-tables';

/**
 * The target-side checks of `converge import`, for a load whose rows come from the mapping
 * rather than from files (row counts and sequences are shared: import/target-state.ts).
 */

/** Every mapped target column must exist; GENERATED ones are left to the target (and warned about). */
export function checkTargetColumns(catalog: PgCatalog, t: MigrateTable, log: Logger): void {
  const pt = catalog.tables.get(t.key);
  if (!pt)
    throw new ConvergeError(
      'TARGET_SCHEMA',
      `target table ${t.key} does not exist; apply the target schema first (converge schema apply)`,
      { stage: 'import', table: t.key },
    );
  const names = new Map(pt.columns.map((c) => [c.name, c]));
  for (const c of t.compiled.targetColumns) {
    const pc = names.get(c);
    if (!pc)
      throw new ConvergeError('TARGET_SCHEMA', `target table ${t.key} has no column "${c}"`, {
        stage: 'import',
        table: t.key,
        column: c,
      });
    if (pc.generated)
      log.warn(
        { table: t.key, column: c },
        'column is GENERATED on the target: left out of the load (the target computes it; verify compares it)',
      );
  }
}

/**
 * Refuses target tables that already hold rows (unless the mapping allows existing rows or the
 * pipeline replaces seeded ones), or with `truncate` empties them all in one statement.
 */
export async function requireEmptyTargets(
  client: Client,
  tables: MigrateTable[],
  seeded: Set<string>,
  truncate: boolean,
  log: Logger,
): Promise<void> {
  const blocked: Array<[MigrateTable, number]> = [];
  for (const t of tables) {
    if (t.rule.existing || seeded.has(t.key)) continue;
    const n = await countRows(client, t.schema, t.table);
    if (n > 0) blocked.push([t, n]);
  }
  if (!blocked.length) return;
  if (!truncate) {
    throw new ConvergeError(
      'TARGET_NOT_EMPTY',
      `target tables already hold rows: ${blocked.map(([t, n]) => `${t.key} (${n})`).join(', ')}; migrate into empty tables, or pass --truncate to empty them first`,
      { stage: 'import', table: blocked[0][0].key },
    );
  }
  const all = tables.filter((t) => !t.rule.existing);
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
  log.warn({ tables: all.map((t) => t.key) }, 'truncated the target tables of this load (--truncate)');
}

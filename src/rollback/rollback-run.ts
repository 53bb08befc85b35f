import type { Logger } from 'pino';
import { ConnectionInfo } from '../core/connection-url';
import { ConvergeError, messageOf } from '../core/errors';
import { planLoadOrder } from '../target/postgres/load/load-order';
import { appendRunEvent, findRun, readRunEvents, withHistory } from '../target/postgres/run-history';
import type { PgSession } from '../target/postgres/connect';
import { markRolledBack } from '../target/postgres/run-history';
import {
  exactRowCount,
  foreignKeysTouching,
  lockTablesExclusive,
  missingTables,
  truncateTables,
} from '../target/postgres/run-tables';
import { beginTransaction, commitTransaction, rollbackTransaction } from '../target/postgres/transaction';

export interface RollbackOptions {
  target: ConnectionInfo;
  /** Run id or an unambiguous prefix. */
  run: string;
  /** Empty the tables even when they hold rows the run did not load. */
  force?: boolean;
  /** Check and report, change nothing. */
  dryRun?: boolean;
  log: Logger;
}

export interface RollbackTable {
  table: string;
  loadedRows: number;
  /** Rows the table held before the load (rows the target's own migrations seeded, kept by an existing-row policy). */
  preexisting: number;
  currentRows: number;
  /** kept: the table held rows before the load that converge cannot tell from the run's; emptied only with force. */
  action: 'emptied' | 'kept';
  /** currentRows − (preexisting + loadedRows): rows written since the load, negative when rows were removed. */
  difference: number;
}

export interface RollbackResult {
  runId: string;
  pipeline: string;
  /** Reverse foreign-key order: children before parents. */
  tables: RollbackTable[];
  status: 'rolled-back' | 'dry-run';
}

/**
 * Removes what one run loaded, using its table.loaded events: the tables are emptied in one
 * transaction (children before parents, one TRUNCATE so foreign keys between them hold) after a
 * count check under an exclusive lock. A table whose count differs from what the run left is
 * refused unless force is set. A table that already held rows before the load (kept by an
 * existing-row policy) is kept as it is, unless force is set; a table outside the run that
 * references an emptied one is always refused: rollback never cascades.
 */
export async function rollbackRun(o: RollbackOptions): Promise<RollbackResult> {
  return withHistory(o.target, async (client) => {
    const run = await findRun(client, o.run);
    const events = await readRunEvents(client, run.id);
    if (run.status === 'rolled_back')
      throw new ConvergeError('USAGE', `run ${run.id} was already rolled back`, { stage: 'run' });
    // A stage re-run under the same run id loads again into emptied tables: the last load counts.
    const loaded = new Map<string, { rows: number; preexisting: number }>();
    for (const e of events) {
      if (e.kind !== 'table.loaded' || !e.table) continue;
      const rows = Number(e.payload.rows ?? 0);
      const total = e.payload.total !== undefined ? Number(e.payload.total) : rows + Number(e.payload.preexisting ?? 0);
      loaded.set(e.table, { rows, preexisting: total - rows });
    }
    if (loaded.size === 0)
      throw new ConvergeError('USAGE', `run ${run.id} loaded no table; nothing to roll back`, { stage: 'run' });
    const keys = [...loaded.keys()];
    await beginTransaction(client);
    try {
      const emptied = keys.filter((k) => o.force || loaded.get(k)!.preexisting === 0);
      const order = [...(await reverseLoadOrder(client, emptied)), ...keys.filter((k) => !emptied.includes(k)).sort()];
      await lockTablesExclusive(client, order);
      const tables: RollbackTable[] = [];
      for (const t of order) {
        const currentRows = await exactRowCount(client, t);
        const { rows: loadedRows, preexisting } = loaded.get(t)!;
        tables.push({
          table: t,
          loadedRows,
          preexisting,
          currentRows,
          action: emptied.includes(t) ? 'emptied' : 'kept',
          difference: currentRows - loadedRows - preexisting,
        });
      }
      const dirty = tables.filter((t) => t.difference !== 0);
      if (dirty.length && !o.force) {
        throw new ConvergeError(
          'TARGET_NOT_EMPTY',
          `refusing to roll back run ${run.id}: ${dirty.map((t) => `${t.table} holds ${t.currentRows} rows, the run left ${t.loadedRows + t.preexisting}`).join('; ')}. Rows were written or removed since the load; emptying these tables would lose them. Pass --force to empty them anyway`,
          { stage: 'run', table: dirty[0].table },
        );
      }
      if (o.dryRun) {
        await rollbackTransaction(client);
        return { runId: run.id, pipeline: run.pipeline, tables, status: 'dry-run' as const };
      }
      if (emptied.length)
        await truncateTables(
          client,
          order.filter((t) => emptied.includes(t)),
        );
      await appendRunEvent(client, run.id, {
        kind: 'run.rolled_back',
        payload: {
          tables: tables.map((t) => ({
            table: t.table,
            action: t.action,
            rows: t.currentRows,
            loadedRows: t.loadedRows,
          })),
          forced: !!o.force,
        },
      });
      await markRolledBack(client, run.id);
      await commitTransaction(client);
      o.log.warn(
        { run: run.id, emptied, kept: keys.filter((k) => !emptied.includes(k)) },
        'rolled back: the tables this run loaded are empty again',
      );
      return { runId: run.id, pipeline: run.pipeline, tables, status: 'rolled-back' as const };
    } catch (e) {
      // The failure is rethrown below; a ROLLBACK on a broken connection must not replace it.
      await rollbackTransaction(client).catch(() => undefined);
      if (e instanceof ConvergeError) throw e;
      throw new ConvergeError(
        'TARGET_SCHEMA',
        `rollback of run ${run.id} failed, nothing was changed: ${messageOf(e)}`,
        { stage: 'run', detail: (e as { detail?: string }).detail },
        { cause: e },
      );
    }
  });
}

/** Children before parents; refuses when a table outside the run references one of its tables. */
async function reverseLoadOrder(client: PgSession, keys: string[]): Promise<string[]> {
  const missing = await missingTables(client, keys);
  if (missing.length)
    throw new ConvergeError('TARGET_SCHEMA', `tables of the run no longer exist on the target: ${missing.join(', ')}`, {
      stage: 'run',
    });
  const rows = await foreignKeysTouching(client, keys);
  const set = new Set(keys);
  const outside = rows.filter((r) => set.has(r.parent) && !set.has(r.child));
  if (outside.length) {
    throw new ConvergeError(
      'TARGET_NOT_EMPTY',
      `${outside[0].child} (not loaded by this run) references ${outside[0].parent}; empty or detach it first, rollback never cascades`,
      { stage: 'run', table: outside[0].child },
    );
  }
  return planLoadOrder(
    keys,
    rows.map((r) => ({ child: r.child, parent: r.parent })),
  )
    .flatMap((g) => g.tables)
    .reverse();
}

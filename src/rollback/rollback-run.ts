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
import {
  followStateOfRun,
  forgetFollowState,
  releaseFollowLock,
  tryFollowLock,
} from '../target/postgres/follow/follow-state';

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
  /** Net rows the run's follow (migrate --follow) added since the load; 0 for a run not followed. */
  followedRows: number;
  currentRows: number;
  /** kept: the table held rows before the load that converge cannot tell from the run's; emptied only with force. */
  action: 'emptied' | 'kept';
  /** currentRows − (preexisting + loadedRows + followedRows): rows written since by anything else, negative when removed. */
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
 *
 * A followed run (migrate --follow) owns the rows its follow applied too: the follow counts, in
 * the same transaction as its writes, the rows it added per table, so the check compares with
 * load plus follow and the followed rows go with the loaded ones. Rows written by anything else
 * (the application after the switch) still refuse it. A follower still running is refused (it
 * would write into the emptied tables); once rolled back, the follow cannot be resumed.
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
    const follow = await followStateOfRun(client, run.id);
    if (follow) {
      // The follower holds this lock while it applies changes; taking it keeps one from starting.
      if (!(await tryFollowLock(client, follow.pipeline)))
        throw new ConvergeError(
          'TARGET_BUSY',
          `run ${run.id} is still being followed (pipeline ${follow.pipeline}): stop the follower (Ctrl-C, or let converge cutover stop it) before rolling back, or it would write into the emptied tables`,
          { stage: 'run' },
        );
    }
    try {
      return await removeTables();
    } finally {
      if (follow) await releaseFollowLock(client, follow.pipeline).catch(() => undefined);
    }

    // The tables emptied in one transaction, after the counts are checked under an exclusive lock.
    async function removeTables(): Promise<RollbackResult> {
      await beginTransaction(client);
      try {
        const emptied = keys.filter((k) => o.force || loaded.get(k)!.preexisting === 0);
        const order = [
          ...(await reverseLoadOrder(client, emptied)),
          ...keys.filter((k) => !emptied.includes(k)).sort(),
        ];
        await lockTablesExclusive(client, order);
        const tables: RollbackTable[] = [];
        for (const t of order) {
          const currentRows = await exactRowCount(client, t);
          const { rows: loadedRows, preexisting } = loaded.get(t)!;
          const followedRows = follow?.rowDelta[t] ?? 0;
          tables.push({
            table: t,
            loadedRows,
            preexisting,
            followedRows,
            currentRows,
            action: emptied.includes(t) ? 'emptied' : 'kept',
            difference: currentRows - loadedRows - preexisting - followedRows,
          });
        }
        const dirty = tables.filter((t) => t.difference !== 0);
        if (dirty.length && !o.force) {
          throw new ConvergeError(
            'TARGET_NOT_EMPTY',
            `refusing to roll back run ${run.id}: ${dirty.map((t) => `${t.table} holds ${t.currentRows} rows, the run left ${t.loadedRows + t.preexisting + t.followedRows}${t.followedRows ? ` (${t.followedRows} of them by its follow)` : ''}`).join('; ')}. Rows were written or removed since the ${follow ? 'load and its follow' : 'load'}${follow?.status === 'switched' ? ' (after the switch: the application writes to the target)' : ''}; emptying these tables would lose them. Pass --force to empty them anyway`,
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
              followedRows: t.followedRows,
            })),
            forced: !!o.force,
            ...(follow
              ? { followed: { pipeline: follow.pipeline, status: follow.status, position: follow.position } }
              : {}),
          },
        });
        if (follow) await forgetFollowState(client, follow.pipeline);
        await markRolledBack(client, run.id);
        await commitTransaction(client);
        o.log.warn(
          { run: run.id, emptied, kept: keys.filter((k) => !emptied.includes(k)) },
          follow
            ? 'rolled back: the tables this run loaded and followed are empty again'
            : 'rolled back: the tables this run loaded are empty again',
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

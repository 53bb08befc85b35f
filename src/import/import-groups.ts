import { isConvergeError, messageOf, ConvergeError } from '../core/errors';
import type { PgSession } from '../target/postgres/connect';
import { rollbackToSavepoint, savepoint } from '../target/postgres/transaction';
import { loadGroup } from '../target/postgres/load/load-group';
import { inTransaction, withLoadClients } from '../target/postgres/load/load-clients';
import { writeMarker } from '../target/postgres/load/load-markers';
import type { GroupPlan } from '../target/postgres/load/load-plan';
import { scheduleGroups } from '../target/postgres/load/schedule-groups';
import type { RejectSink } from '../target/postgres/load/reject-rows';
import { failurePayload, PreparedLoad } from '../target/postgres/load/load-session';
import { countRows } from '../target/postgres/load/target-state';
import { classifyLoadError } from '../target/postgres/load/load-error';
import type { ImportOptions, TableLoad } from './run-import';

/**
 * How import applies its plan: all groups in one transaction (--single-transaction), or one
 * transaction per group run by the loader's one scheduler; under --collect-errors a group is
 * loaded again batch by batch after its fast COPY hit a bad row.
 */

export interface ImportExec extends PreparedLoad {
  opts: ImportOptions;
  /** Set when the run history holds this load's markers. */
  runId?: string;
  sink?: RejectSink;
}

export async function runSingle(
  client: PgSession,
  groups: GroupPlan[],
  x: ImportExec,
  results: Map<string, TableLoad>,
): Promise<ConvergeError | undefined> {
  try {
    await inTransaction(client, async () => {
      for (const g of groups) {
        await replaceSeeded(client, g, x);
        await loadOneGroup(client, g, x, results);
      }
    });
    return undefined;
  } catch (e) {
    const err = asError(e);
    for (const r of results.values())
      if (r.status === 'loaded') Object.assign(r, { status: 'rolled-back' as const, rows: 0 });
    markFailed(results, err);
    await x.opts.recorder?.event({
      kind: 'table.failed',
      stage: 'import',
      table: err.context.table,
      payload: failurePayload(err, true),
    });
    return err;
  }
}

/**
 * One transaction per group, at most `jobs` at a time, run by the loader's one scheduler: a
 * group starts when the groups it references have committed (a set-based table as soon as they
 * have started; it proves its keys once they committed).
 */
export async function runPerGroup(
  groups: GroupPlan[],
  plan: GroupPlan[],
  x: ImportExec,
  results: Map<string, TableLoad>,
): Promise<ConvergeError | undefined> {
  const jobs = Math.max(1, Math.min(x.opts.jobs ?? 1, groups.length || 1));
  return withLoadClients(x.opts.target, jobs, 'converge import', async (clients) => {
    const { failure } = await scheduleGroups({
      plan: groups,
      committed: plan.filter((g) => !groups.includes(g)).map((g) => g.id),
      slots: clients,
      size: (g) => g.tables.reduce((n, t) => n + t.rows, 0),
      early: (g) => !x.sink && g.tables.length === 1 && x.setBased.has(g.tables[0].key),
      run: async (g, client, parentsCommitted) => {
        await inTransaction(client, async () => {
          await replaceSeeded(client, g, x);
          await loadOneGroup(client, g, x, results, parentsCommitted);
        });
        x.opts.log.info({ group: g.id, tables: g.tables.map((t) => t.key) }, 'group committed');
      },
      onFailed: async (g, err) => {
        markFailed(results, err, g);
        await x.opts.recorder?.event({
          kind: 'table.failed',
          stage: 'import',
          table: err.context.table,
          payload: failurePayload(err, false),
        });
      },
      log: x.opts.log,
    });
    return failure;
  });
}

/**
 * Inside the transaction that loads the group, before its rows: the seeded rows its tables
 * replace (replace-seeded.ts). A failure before this group, or in it, leaves them in place.
 */
async function replaceSeeded(client: PgSession, g: GroupPlan, x: ImportExec): Promise<void> {
  if (!x.seeds.size) return;
  const deleted = await x.seeds.replaceWith(
    client,
    g.tables.map((t) => t.key),
  );
  if (!Object.keys(deleted).length) return;
  for (const k of Object.keys(deleted)) x.pre.set(k, 0);
  x.opts.log.info({ deleted }, 'replacing the target seeded rows in this group (replaceSeeded)');
}

/**
 * One group inside the caller's transaction. Under --collect-errors a group whose fast COPY hits
 * a bad row is rolled back to its savepoint and loaded again batch by batch.
 */
async function loadOneGroup(
  client: PgSession,
  g: GroupPlan,
  x: ImportExec,
  results: Map<string, TableLoad>,
  parentsCommitted?: () => Promise<void>,
): Promise<void> {
  const started = Date.now();
  x.opts.log.info({ group: g.id, tables: g.tables.map((t) => t.key) }, 'group started');
  let loaded: Map<string, { rows: number; seconds: number }>;
  if (x.sink) await savepoint(client, 'converge_group');
  try {
    loaded = await loadGroup(client, g, {
      setBasedFks: g.tables.length === 1 ? x.setBased.get(g.tables[0].key) : undefined,
      parentsCommitted,
      deferIndexes: x.noParentDeletes || undefined,
    });
  } catch (e) {
    const state = String(isConvergeError(e) ? (e.context.sqlstate ?? '') : ((e as { code?: string }).code ?? ''));
    if (!x.sink || !(state.startsWith('22') || state.startsWith('23'))) throw e;
    await rollbackToSavepoint(client, 'converge_group');
    x.opts.log.warn(
      { tables: g.tables.map((t) => t.key), err: messageOf(e) },
      'rows rejected; loading again batch by batch (--collect-errors)',
    );
    loaded = await loadGroup(client, g, { reject: x.sink });
  }
  for (const t of g.tables) {
    const { rows, seconds } = loaded.get(t.key)!;
    const rejected = x.sink?.perTable.get(t.key) ?? 0;
    if (rows + rejected !== t.rows) {
      throw new ConvergeError(
        'LOAD_REJECTED',
        `loaded ${rows} rows (${rejected} rejected) but the manifest lists ${t.rows}; the file changed after transform`,
        { stage: 'import', table: t.key, file: t.files[0] },
      );
    }
    const pre = x.pre.get(t.key) ?? 0;
    const total = t.replaceKey ? await countRows(client, t.schema, t.table) : pre + rows;
    if (x.runId)
      await writeMarker(client, x.runId, {
        kind: 'table.loaded',
        table: t.key,
        payload: { rows, total, seconds, rejected },
      });
    else
      await x.opts.recorder?.event({
        kind: 'table.loaded',
        stage: 'import',
        table: t.key,
        payload: { rows, seconds, rejected },
      });
    Object.assign(results.get(t.key)!, { rows, rejected, seconds, status: 'loaded', preexisting: pre });
    x.opts.log.info(
      {
        table: t.key,
        rows,
        rejected,
        seconds,
        group: g.id,
        fkChecks: x.setBased.has(t.key) && !rejected ? 'set-based' : undefined,
      },
      'table loaded',
    );
  }
  x.opts.log.debug({ group: g.id, seconds: (Date.now() - started) / 1000 }, 'group done');
}

/** Only a row Postgres refused is LOAD_REJECTED; a lost connection or a bug keeps its own code. */
function asError(e: unknown): ConvergeError {
  return classifyLoadError(e, { stage: 'import' });
}

function markFailed(results: Map<string, TableLoad>, err: ConvergeError, g?: GroupPlan): void {
  const keys = g
    ? g.tables.map((t) => t.key)
    : [err.context.table as string | undefined].filter((k): k is string => !!k);
  for (const k of keys) {
    const r = results.get(k);
    if (r && r.status !== 'resumed') Object.assign(r, { status: 'failed' as const, rows: 0, error: err.message });
  }
}

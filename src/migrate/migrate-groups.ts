import type { ConvergeError } from '../core/errors';
import type { Snapshot } from '../source/mysql/snapshot';
import { withLoadClients } from '../target/postgres/load/load-clients';
import type { GroupPlan } from '../target/postgres/load/load-plan';
import { failurePayload } from '../target/postgres/load/load-session';
import { scheduleGroups } from '../target/postgres/load/schedule-groups';
import { isStreamable, loadMigrateGroup, TableOutcome } from './load-migrate-group';
import type { MigratePlan } from './prepare-migrate';
import type { MigrateOptions, MigrateTableResult } from './run-migrate';

export interface MigrateGroupsResult {
  failure?: ConvergeError;
  outcomes: Map<string, TableOutcome>;
  /** Every table of the plan, in plan order: migrated, failed or not run. */
  results: MigrateTableResult[];
}

/**
 * Runs the plan's groups with the loader's one scheduler: one Postgres session per snapshot
 * connection, each group in its own transaction, recording each table as it commits and each
 * failed group once.
 */
export async function runMigrateGroups(
  snap: Snapshot,
  p: MigratePlan,
  s: { o: MigrateOptions; scratchDir: string; keepDir?: string; runId?: string },
): Promise<MigrateGroupsResult> {
  const { o } = s;
  const outcomes = new Map<string, TableOutcome>();
  const failures = new Map<string, ConvergeError>();
  const workers = Math.max(1, Math.min(snap.connections.length, p.plan.length || 1));
  const { failure } = await withLoadClients(o.target, workers, 'converge migrate', (clients) =>
    scheduleGroups({
      plan: p.plan,
      slots: clients.map((client, i) => ({ client, conn: snap.connections[i] })),
      size: (g) => g.tables.reduce((n, t) => n + (p.byKey.get(t.key)!.source.dataBytes || 0), 0),
      early: (g) => isStreamable(g) && p.setBased.has(g.tables[0].key),
      run: async (g, slot, parentsCommitted) => {
        const out = await loadMigrateGroup(g, {
          client: slot.client,
          conn: slot.conn,
          tables: p.byKey,
          keepDir: s.keepDir,
          scratchDir: s.scratchDir,
          foreignKeys: p.catalog.foreignKeys,
          setBased: p.setBased,
          seeds: p.seeds,
          noParentDeletes: p.noParentDeletes,
          parentsCommitted,
          runId: s.runId,
          log: o.log,
        });
        for (const r of out) {
          outcomes.set(r.key, r);
          await recordTable(s, p, r);
        }
      },
      onFailed: async (g: GroupPlan, err: ConvergeError) => {
        for (const t of g.tables) failures.set(t.key, err);
        await o.recorder?.event({
          kind: 'table.failed',
          stage: 'import',
          table: err.context.table as string | undefined,
          payload: failurePayload(err, true),
        });
      },
      log: o.log,
    }),
  );
  const results: MigrateTableResult[] = p.plan
    .flatMap((g) => g.tables)
    .map((pt) => {
      const t = p.byKey.get(pt.key)!;
      const r = outcomes.get(pt.key);
      const f = failures.get(pt.key);
      return {
        table: pt.key,
        sourceTable: t.source.name,
        rowsIn: r?.rowsIn ?? 0,
        rows: r?.rows ?? 0,
        seconds: r?.seconds ?? 0,
        path: r?.path,
        fkChecks: r?.fkChecks,
        status: r ? 'migrated' : f ? 'failed' : 'not-run',
        error: f?.message,
      };
    });
  return { failure, outcomes, results };
}

/** The run history's record of one table: transformed, and loaded unless its marker was written in its transaction. */
async function recordTable(s: { o: MigrateOptions; runId?: string }, p: MigratePlan, r: TableOutcome): Promise<void> {
  const t = p.byKey.get(r.key)!;
  await s.o.recorder?.event({
    kind: 'table.transformed',
    stage: 'transform',
    table: t.targetName,
    payload: {
      sourceTable: t.source.name,
      rowsIn: r.rowsIn,
      rowsOut: r.rows,
      seconds: r.seconds,
      changes: t.compiled.ledger.counts,
      fused: true,
    },
  });
  if (!s.runId)
    await s.o.recorder?.event({
      kind: 'table.loaded',
      stage: 'import',
      table: r.key,
      payload: { rows: r.rows, seconds: r.seconds, rejected: 0, fused: true },
    });
}

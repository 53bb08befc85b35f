import type { Logger } from 'pino';
import { ConvergeError } from '../../../core/errors';
import { classifyLoadError } from './load-error';
import type { GroupPlan } from './load-plan';

export interface ScheduleOptions<S> {
  /** The groups to run. */
  plan: GroupPlan[];
  /** Groups an earlier attempt committed (--resume): ready parents, never run. */
  committed?: Iterable<number>;
  slots: S[];
  /** Larger groups start first among those ready: the long pole starts early. */
  size(g: GroupPlan): number;
  /**
   * Groups that may start while the groups they reference are still loading (their rows are
   * checked against the parents only once those committed): tables with set-based FK checks.
   */
  early(g: GroupPlan): boolean;
  run(g: GroupPlan, slot: S, parentsCommitted: () => Promise<void>): Promise<void>;
  onFailed(g: GroupPlan, err: ConvergeError): Promise<void>;
  log: Logger;
}

/** Thrown into a group that started early when a group it references failed: it rolls back, not-run. */
export class ParentFailed extends Error {}

/**
 * Runs the groups of the load plan on a fixed set of workers, each group in its own
 * transaction. A group starts once the groups it references have committed; an `early` group
 * once they have all started (never before: a child waiting on a parent that has no worker
 * would wait forever). After the first failure nothing new starts; groups in flight finish,
 * and early children of the failed group roll back. Returns the first failure.
 */
export async function scheduleGroups<S>(
  o: ScheduleOptions<S>,
): Promise<{ failure?: ConvergeError; notRun: Set<number> }> {
  const committed = new Set<number>(o.committed ?? []);
  const started = new Set<number>(committed);
  const signals = new Map<number, { promise: Promise<void>; resolve(): void; reject(e: Error): void }>();
  for (const id of committed)
    signals.set(id, { promise: Promise.resolve(), resolve: () => undefined, reject: () => undefined });
  for (const g of o.plan) {
    let resolve!: () => void;
    let reject!: (e: Error) => void;
    const promise = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
    promise.catch(() => undefined);
    signals.set(g.id, { promise, resolve, reject });
  }
  const notRun = new Set<number>();
  let failure: ConvergeError | undefined;
  const free = [...o.slots];
  const waiting = [...o.plan];
  const inflight = new Map<number, Promise<void>>();
  const ready = (g: GroupPlan) =>
    g.after.every((a) => committed.has(a)) || (o.early(g) && g.after.every((a) => started.has(a)));
  for (;;) {
    while (!failure && free.length) {
      const candidates = waiting.filter(ready).sort((a, b) => o.size(b) - o.size(a));
      if (!candidates.length) break;
      const g = candidates[0];
      waiting.splice(waiting.indexOf(g), 1);
      started.add(g.id);
      const slot = free.pop()!;
      let reusable = true;
      const parents = () => Promise.all(g.after.map((a) => signals.get(a)!.promise)).then(() => undefined);
      inflight.set(
        g.id,
        o
          .run(g, slot, parents)
          .then(() => {
            committed.add(g.id);
            signals.get(g.id)!.resolve();
          })
          .catch(async (e) => {
            reusable = false;
            signals.get(g.id)!.reject(new ParentFailed(`group ${g.id} failed`));
            if (e instanceof ParentFailed) {
              notRun.add(g.id);
              return;
            }
            // Only a row Postgres refused is LOAD_REJECTED; a lost connection or a bug keeps its own code.
            const err = classifyLoadError(e, { stage: 'import', table: g.tables[0].key });
            failure ??= err;
            o.log.error(
              { tables: g.tables.map((t) => t.key), code: err.code, err: err.message },
              'table failed; rolled back',
            );
            await o.onFailed(g, err);
          })
          .finally(() => {
            inflight.delete(g.id);
            // A failed group may have left its MySQL connection mid-result (destroyed): not reused.
            if (reusable) free.push(slot);
          }),
      );
    }
    if (!inflight.size) break;
    await Promise.race(inflight.values());
  }
  for (const g of waiting) notRun.add(g.id);
  if (!failure && waiting.length)
    failure = new ConvergeError('INTERNAL', `groups never became ready: ${waiting.map((g) => g.id).join(', ')}`, {
      stage: 'import',
    });
  return { failure, notRun };
}

import type { Logger } from 'pino';
import type { ConnectionInfo } from '../../../core/connection-url';
import type { ConvergeError } from '../../../core/errors';
import { PgCatalog, PgForeignKey, readPgCatalog } from '../catalog';
import { openPg, PgSession } from '../connect';
import { setBasedTables } from './fk-validation';
import { utcSession } from './load-clients';
import { lockTargetForLoad } from './load-lock';
import { markersAvailable } from './load-markers';
import { GroupPlan, planLoad, PlanInput, resolveSeeded } from './load-plan';
import { SeededTables } from './replace-seeded';
import { checkTargetColumns, requireEmptyTargets } from './target-checks';

/**
 * The one start of every load, whether its rows come from files (import) or from the source
 * (migrate): the control session, the per-pipeline lock, and everything decided on the target
 * before a row moves (catalog, column checks, the plan, seeded tables, empty-or-truncate, which
 * tables prove their foreign keys once per key).
 */

export interface LoadControl {
  control: PgSession;
  /** The run id when the run history can hold this load's markers (resume, rollback), else undefined. */
  markerRun?: string;
}

/**
 * Opens the control session in UTC and takes the pipeline's load lock before the target is
 * looked at: a second load of the same pipeline would pass the same checks. The caller ends
 * `control` in its finally; on a failure here it is ended before the error leaves.
 */
export async function openLoadControl(o: {
  target: ConnectionInfo;
  applicationName: string;
  pipeline: string;
  schemas: string[];
  runId?: string;
}): Promise<LoadControl> {
  const control = await openPg(o.target, { applicationName: o.applicationName });
  try {
    await utcSession(control);
    const markers = !!o.runId && (await markersAvailable(control));
    await lockTargetForLoad(control, o.pipeline, o.schemas, o.runId ? { runId: o.runId, history: markers } : undefined);
    return { control, markerRun: markers ? o.runId : undefined };
  } catch (e) {
    await control.end().catch(() => undefined);
    throw e;
  }
}

export interface LoadTableInput extends PlanInput {
  /** The mapping allows rows already there (`existing:`): never refused, never truncated. */
  existingAllowed: boolean;
}

export interface PreparedLoad {
  catalog: PgCatalog;
  plan: GroupPlan[];
  /** Each table's row count as the load finds it (after --truncate). */
  pre: Map<string, number>;
  /** replaceSeeded tables not replaced yet: each is replaced in the transaction that loads it. */
  seeds: SeededTables;
  /** Tables whose own foreign keys are proven once per key after COPY (fk-validation.ts). */
  setBased: Map<string, PgForeignKey[]>;
  /**
   * No transaction of this load deletes target rows (no seeded rows replaced, no `existing:
   * replace`), so none reads a child table through its foreign-key triggers: a table started
   * early may build its plain indexes after its rows without making a parent wait on its lock.
   */
  noParentDeletes: boolean;
}

/**
 * Everything the target decides before the first row. `done` names tables (and `seed:` entries)
 * a resumed load already committed: they are neither refused nor truncated again.
 */
export async function prepareLoad(
  lc: LoadControl,
  o: {
    tables: LoadTableInput[];
    defaultSchema: string;
    replaceSeeded: string[];
    truncate: boolean;
    perRowFkChecks: boolean;
    done?: ReadonlySet<string>;
    log: Logger;
  },
): Promise<PreparedLoad> {
  const { control } = lc;
  const catalog = await readPgCatalog(control, [...new Set(o.tables.map((t) => t.schema))]);
  for (const t of o.tables) checkTargetColumns(catalog, t, o.log);
  const plan = planLoad(o.tables, catalog);
  const keys = new Set(o.tables.map((t) => t.key));
  const done = o.done ?? new Set<string>();
  const seeded = resolveSeeded(o.replaceSeeded, o.defaultSchema, (k) => keys.has(k)).filter(
    (k) => !done.has(`seed:${k}`),
  );
  const pre = await requireEmptyTargets(
    control,
    o.tables
      .filter((t) => !done.has(t.key))
      .map((t) => ({ ...t, existingAllowed: t.existingAllowed, seeded: seeded.includes(t.key) })),
    o.truncate,
    o.log,
  );
  const setBased = o.perRowFkChecks ? new Map<string, PgForeignKey[]>() : await setBasedTables(control, plan, catalog);
  const noParentDeletes = seeded.length === 0 && !o.tables.some((t) => t.replaceKey);
  return { catalog, plan, pre, seeds: new SeededTables(seeded, catalog, lc.markerRun), setBased, noParentDeletes };
}

/** What the run history records of a failed group, the same for every load. */
export function failurePayload(err: ConvergeError, rolledBack: boolean): Record<string, unknown> {
  return {
    code: err.code,
    message: err.message,
    csvLine: err.context.csvLine,
    column: err.context.column,
    constraint: err.context.constraint,
    sourceKey: err.context.sourceKey,
    rolledBack,
  };
}

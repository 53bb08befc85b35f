import path from 'node:path';
import type { Logger } from 'pino';
import { ConnectionInfo } from '../core/connection-url';
import { ConvergeError, isConvergeError, messageOf } from '../core/errors';
import { Manifest, ManifestTable, readManifest } from '../manifest';
import type { RunRecorder } from '../run/run-recorder';
import { checkManifestFiles } from './check-files';
import { openPg, PgSession } from '../target/postgres/connect';
import { rollbackToSavepoint, savepoint } from '../target/postgres/transaction';
import { PgCatalog, PgForeignKey, readPgCatalog, splitTarget, tableKey } from '../target/postgres/catalog';
import { setBasedTables } from '../target/postgres/load/fk-validation';
import { loadGroup } from '../target/postgres/load/load-group';
import { inTransaction, utcSession, withLoadClients } from '../target/postgres/load/load-clients';
import {
  committedLoads,
  LoadMarker,
  markersAvailable,
  startAttempt,
  writeMarker,
} from '../target/postgres/load/load-markers';
import { lockTargetForLoad } from '../target/postgres/load/load-lock';
import { GroupPlan, planLoad, PlanInput, resolveSeeded } from '../target/postgres/load/load-plan';
import { scheduleGroups } from '../target/postgres/load/schedule-groups';
import { RejectSink } from '../target/postgres/load/reject-rows';
import { SeededTables } from '../target/postgres/load/replace-seeded';
import { requireEmptyTargets, checkTargetColumns } from '../target/postgres/load/target-checks';
import { countRows, resetSequences } from '../target/postgres/load/target-state';
import { classifyLoadError } from '../target/postgres/load/load-error';
import { withLoadAdvice } from '../mapping/load-advice';

export interface ImportOptions {
  dir: string;
  target: ConnectionInfo;
  log: Logger;
  recorder?: RunRecorder;
  /** Empty the load's non-empty target tables first (otherwise they are refused). */
  truncate?: boolean;
  /** Groups of independent tables loaded at once, each on its own connection (per-table mode). */
  jobs?: number;
  /** Continue a load that failed or was killed: tables committed by it are kept (checked by count). */
  resume?: boolean;
  /** One transaction for everything: all or nothing (one connection; jobs is ignored). */
  singleTransaction?: boolean;
  /** Keep going past rejected rows, up to this many, writing them to reject files. */
  collectErrors?: number;
  /** Where reject files go; default <dir>/rejects. */
  rejectDir?: string;
  /** Target tables ("table" or "schema.table") whose pre-existing (seeded) rows the load replaces. */
  replaceSeeded?: string[];
  /** Keep Postgres's per-row foreign-key checks (default: one set-based check per key and table where the role may). */
  perRowFkChecks?: boolean;
}

export type LoadStatus = 'loaded' | 'resumed' | 'failed' | 'not-run' | 'rolled-back';

export interface TableLoad {
  table: string;
  rows: number;
  preexisting: number;
  rejected: number;
  seconds: number;
  status: LoadStatus;
  error?: string;
}

export interface ImportResult {
  manifest: Manifest;
  plan: GroupPlan[];
  tables: TableLoad[];
  sequences: Array<{ sequence: string; value: string | null }>;
  seededDeleted: Record<string, number>;
  rejected: number;
  rejectDir?: string;
}

/** A chunked export lists `files`; a single file is `file`. */
export function filesOf(t: ManifestTable, dir: string): string[] {
  return (t.files?.length ? t.files : [t.file]).map((f) => path.join(dir, f));
}

/**
 * Loads every transformed CSV into the target in foreign-key order. Per-table mode (default):
 * one transaction per group (a table, or the tables of an FK cycle), independent groups in
 * parallel with `jobs`; a table holds all of this run's rows or none. Single-transaction mode:
 * all or nothing. Stops at the first rejected row unless `collectErrors` is set.
 */
export async function runImport(opts: ImportOptions): Promise<ImportResult> {
  const manifest = await readManifest(opts.dir, 'converge-transform/1');
  // Before anything is loaded: every file must be the one transform wrote, whole and well-formed.
  await checkManifestFiles(manifest, opts.dir);
  const defaultSchema = manifest.targetSchema ?? 'public';
  const control = await openPg(opts.target, { applicationName: 'converge import' });
  try {
    await utcSession(control);
    const runId = opts.recorder?.runId;
    const markers = !!runId && (await markersAvailable(control));
    // Before the target is looked at: a second load of this pipeline would pass the same checks.
    const targetSchemas = Object.values(manifest.tables).map((t) => splitTarget(t.name, defaultSchema).schema);
    await lockTargetForLoad(control, manifest.pipeline, targetSchemas, runId ? { runId, history: markers } : undefined);
    const entries = Object.values(manifest.tables).map((t) => ({ t, ...splitTarget(t.name, defaultSchema) }));
    const schemas = [...new Set(entries.map((e) => e.schema))];
    const catalog = await readPgCatalog(control, schemas);
    for (const e of entries) checkTargetColumns(catalog, { ...e, columns: e.t.columns.map((c) => c.name) }, opts.log);
    const inputs: PlanInput[] = entries.map((e) => ({
      key: tableKey(e.schema, e.table),
      schema: e.schema,
      table: e.table,
      files: filesOf(e.t, opts.dir),
      columns: e.t.columns.map((c) => c.name),
      rows: e.t.rows,
      replaceKey: e.t.existing?.policy === 'replace' ? e.t.existing.key : undefined,
    }));
    const byKey = new Map(inputs.map((i) => [i.key, i]));
    const allowedExisting = new Set(entries.filter((e) => e.t.existing).map((e) => tableKey(e.schema, e.table)));
    const plan = planLoad(inputs, catalog);
    const seeded = resolveSeeded(opts.replaceSeeded ?? [], defaultSchema, (k) => byKey.has(k));

    if (opts.resume && !markers)
      throw new ConvergeError(
        'USAGE',
        '--resume needs the run history on the target (converge.run_events), which this run cannot write',
        { stage: 'import' },
      );
    const done = opts.resume
      ? await resumeState(control, await committedLoads(control, runId!), byKey)
      : new Map<string, LoadMarker>();

    const remaining = inputs.filter((i) => !done.has(i.key));
    const seedPending = seeded.filter((k) => !done.has(`seed:${k}`));
    const pre = await requireEmptyTargets(
      control,
      remaining.map((i) => ({
        ...i,
        existingAllowed: allowedExisting.has(i.key),
        seeded: seedPending.includes(i.key),
      })),
      !!opts.truncate,
      opts.log,
    );

    if (markers)
      await startAttempt(control, runId!, {
        plan: plan.map((g) => g.tables.map((t) => t.key)),
        resume: !!opts.resume,
        singleTransaction: !!opts.singleTransaction,
        jobs: opts.jobs ?? 1,
      });
    const sink =
      opts.collectErrors !== undefined
        ? new RejectSink(opts.rejectDir ?? path.join(opts.dir, 'rejects'), opts.collectErrors)
        : undefined;
    const setBased = opts.perRowFkChecks
      ? new Map<string, PgForeignKey[]>()
      : await setBasedTables(control, plan, catalog);
    const exec: Exec = {
      opts,
      catalog,
      runId: markers ? runId : undefined,
      pre,
      sink,
      seeds: new SeededTables(seedPending, catalog, markers ? runId : undefined),
      setBased,
    };
    const results = new Map<string, TableLoad>();
    for (const i of inputs) {
      const m = done.get(i.key);
      results.set(
        i.key,
        m
          ? {
              table: i.key,
              rows: m.payload.rows,
              preexisting: 0,
              rejected: m.payload.rejected ?? 0,
              seconds: 0,
              status: 'resumed',
            }
          : { table: i.key, rows: 0, preexisting: pre.get(i.key) ?? 0, rejected: 0, seconds: 0, status: 'not-run' },
      );
    }
    const todo = plan.filter((g) => g.tables.some((t) => !done.has(t.key)));
    const failure = opts.singleTransaction
      ? await runSingle(control, todo, exec, results)
      : await runPerGroup(todo, plan, exec, results);
    if (failure) throw withLoadAdvice(failure);
    const sequences = await resetSequences(
      control,
      catalog,
      inputs.map((i) => i.key),
    );
    return {
      manifest,
      plan,
      tables: inputs.map((i) => results.get(i.key)!),
      sequences,
      seededDeleted: exec.seeds.deleted,
      rejected: sink?.count ?? 0,
      rejectDir: sink?.count ? sink.dir : undefined,
    };
  } finally {
    await control.end().catch(() => undefined);
  }
}

interface Exec {
  opts: ImportOptions;
  catalog: PgCatalog;
  runId?: string;
  pre: Map<string, number>;
  sink?: RejectSink;
  /** replaceSeeded tables not replaced yet: each is replaced in the transaction that loads it. */
  seeds: SeededTables;
  /** Tables whose foreign keys are proven once per key after COPY (import/fk-validation.ts). */
  setBased: Map<string, PgForeignKey[]>;
}

/** Tables a previous attempt committed, each checked against the target's count now. */
async function resumeState(
  client: PgSession,
  loads: LoadMarker[],
  byKey: Map<string, PlanInput>,
): Promise<Map<string, LoadMarker>> {
  const done = new Map<string, LoadMarker>();
  for (const m of loads) {
    if (m.kind === 'table.seed_replaced') {
      done.set(`seed:${m.table}`, m);
      continue;
    }
    const i = byKey.get(m.table);
    if (!i) continue;
    if (m.payload.total !== undefined) {
      const n = await countRows(client, i.schema, i.table);
      if (n !== m.payload.total) {
        throw new ConvergeError(
          'TARGET_NOT_EMPTY',
          `cannot resume: ${m.table} holds ${n} rows, but ${m.payload.total} when its load committed; something else wrote to it. Re-run without --resume (with --truncate)`,
          { stage: 'import', table: m.table },
        );
      }
    }
    done.set(m.table, m);
  }
  return done;
}

async function runSingle(
  client: PgSession,
  groups: GroupPlan[],
  x: Exec,
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
async function runPerGroup(
  groups: GroupPlan[],
  plan: GroupPlan[],
  x: Exec,
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
async function replaceSeeded(client: PgSession, g: GroupPlan, x: Exec): Promise<void> {
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
  x: Exec,
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

function failurePayload(err: ConvergeError, rolledBack: boolean): Record<string, unknown> {
  return {
    code: err.code,
    message: err.message,
    csvLine: err.context.csvLine,
    column: err.context.column,
    constraint: err.context.constraint,
    rolledBack,
  };
}

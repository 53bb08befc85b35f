import path from 'node:path';
import { ConvergeError } from '../core/errors';
import { ManifestTable, readManifest } from '../manifest';
import { checkManifestFiles } from './check-files';
import { splitTarget, tableKey } from '../target/postgres/catalog';
import { committedLoads, LoadMarker, startAttempt } from '../target/postgres/load/load-markers';
import { LoadTableInput, openLoadControl, prepareLoad } from '../target/postgres/load/load-session';
import { RejectSink } from '../target/postgres/load/reject-rows';
import { analyzeTables, resetSequences } from '../target/postgres/load/target-state';
import { withLoadAdvice } from '../mapping/load-advice';
import { ImportExec, runPerGroup, runSingle } from './import-groups';
import type { ImportOptions, ImportResult, TableLoad } from './import-types';

export type { ImportOptions, ImportResult, LoadStatus, TableLoad } from './import-types';
import { resumeState } from './resume-state';

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
  const entries = Object.values(manifest.tables).map((t) => ({ t, ...splitTarget(t.name, defaultSchema) }));
  const inputs: LoadTableInput[] = entries.map((e) => ({
    key: tableKey(e.schema, e.table),
    schema: e.schema,
    table: e.table,
    files: filesOf(e.t, opts.dir),
    columns: e.t.columns.map((c) => c.name),
    rows: e.t.rows,
    replaceKey: e.t.existing?.policy === 'replace' ? e.t.existing.key : undefined,
    existingAllowed: !!e.t.existing,
  }));
  const lc = await openLoadControl({
    target: opts.target,
    applicationName: 'converge import',
    pipeline: manifest.pipeline,
    schemas: entries.map((e) => e.schema),
    runId: opts.recorder?.runId,
  });
  const { control, markerRun } = lc;
  try {
    const byKey = new Map(inputs.map((i) => [i.key, i]));
    if (opts.resume && !markerRun)
      throw new ConvergeError(
        'USAGE',
        '--resume needs the run history on the target (converge.run_events), which this run cannot write',
        { stage: 'import' },
      );
    const done =
      markerRun && opts.resume
        ? await resumeState(control, await committedLoads(control, markerRun), byKey)
        : new Map<string, LoadMarker>();
    const prepared = await prepareLoad(lc, {
      tables: inputs,
      defaultSchema,
      replaceSeeded: opts.replaceSeeded ?? [],
      truncate: !!opts.truncate,
      perRowFkChecks: !!opts.perRowFkChecks,
      done: new Set(done.keys()),
      log: opts.log,
    });
    const { plan } = prepared;
    if (markerRun)
      await startAttempt(control, markerRun, {
        plan: plan.map((g) => g.tables.map((t) => t.key)),
        resume: !!opts.resume,
        singleTransaction: !!opts.singleTransaction,
        jobs: opts.jobs ?? 1,
      });
    const sink =
      opts.collectErrors !== undefined
        ? new RejectSink(opts.rejectDir ?? path.join(opts.dir, 'rejects'), opts.collectErrors)
        : undefined;
    const exec: ImportExec = { opts, ...prepared, runId: markerRun, sink };
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
          : {
              table: i.key,
              rows: 0,
              preexisting: prepared.pre.get(i.key) ?? 0,
              rejected: 0,
              seconds: 0,
              status: 'not-run',
            },
      );
    }
    const todo = plan.filter((g) => g.tables.some((t) => !done.has(t.key)));
    const failure = opts.singleTransaction
      ? await runSingle(control, todo, exec, results)
      : await runPerGroup(todo, plan, exec, results);
    if (failure) throw withLoadAdvice(failure);
    const sequences = await resetSequences(
      control,
      prepared.catalog,
      inputs.map((i) => i.key),
    );
    await analyzeTables(
      control,
      prepared.catalog,
      inputs.map((i) => i.key),
    );
    return {
      manifest,
      plan,
      tables: inputs.map((i) => results.get(i.key)!),
      sequences,
      seededDeleted: prepared.seeds.deleted,
      rejected: sink?.count ?? 0,
      rejectDir: sink?.count ? sink.dir : undefined,
    };
  } finally {
    await control.end().catch(() => undefined);
  }
}

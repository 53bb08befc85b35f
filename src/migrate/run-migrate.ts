import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { describeConnection } from '../core/connection-url';
import { ConvergeError } from '../core/errors';
import { ensurePrivateDir } from '../core/private-files';
import { MANIFEST_FILE, writeManifest } from '../manifest';
import { startAttempt } from '../target/postgres/load/load-markers';
import { splitTarget } from '../target/postgres/catalog';
import { openLoadControl } from '../target/postgres/load/load-session';
import { loadMapping } from '../mapping/load-mapping';
import { openSnapshot, Snapshot } from '../source/mysql/snapshot';
import { runVerifyReport } from '../verify/run-verify';
import { migrateManifest } from './migrate-manifest';
import { runMigrateGroups } from './migrate-groups';
import type { MigrateOptions, MigrateResult } from './migrate-types';

export type { MigrateOptions, MigrateResult, MigrateStatus, MigrateTableResult } from './migrate-types';
import { prepareMigrate } from './prepare-migrate';
import { withLoadAdvice } from '../mapping/load-advice';
import { analyzeTables, resetSequences } from '../target/postgres/load/target-state';

/** The manifest folder of a migrate run (for `migrate --verify-only`). */
export function migrateManifestDir(workDir: string, keepFiles: boolean): string {
  return path.join(workDir, keepFiles ? 'transform' : 'migrate');
}

/**
 * export → transform → import in one pass: every table is read from ONE consistent snapshot,
 * mapped row by row and streamed into COPY inside the table's own transaction, independent
 * tables at once (`jobs`), in the import planner's foreign-key order. No CSV touches the disk
 * unless asked (--keep-files) or a table needs the staged path (FK cycles, replace policies,
 * GENERATED columns). Then sequences are reset, a transform manifest is written, and the
 * checksum proof of `converge verify` runs against it.
 */
export async function runMigrate(o: MigrateOptions): Promise<MigrateResult> {
  const started = Date.now();
  const database = o.source.database;
  if (!database)
    throw new ConvergeError('USAGE', 'the source URL names no database (mysql://…/DATABASE)', { stage: 'export' });
  const mapping = await loadMapping(o.mappingDir);
  const defaultSchema = o.pipeline.target.schema;
  const manifestDir = migrateManifestDir(o.workDir, !!o.keepFiles);
  const scratchDir = path.join(o.workDir, 'migrate', 'scratch');
  await ensurePrivateDir(manifestDir);
  await ensurePrivateDir(scratchDir);
  // A manifest left by an earlier run would let --verify-only prove a load that this run replaced.
  await fsp.rm(path.join(manifestDir, MANIFEST_FILE), { force: true });
  const createdAt = new Date().toISOString();
  const lc = await openLoadControl({
    target: o.target,
    applicationName: 'converge migrate',
    pipeline: o.pipeline.name,
    schemas: [...mapping.tables.values()]
      .filter((t) => !t.skip)
      .map((t) => splitTarget(t.target, defaultSchema).schema),
    runId: o.recorder?.runId,
  });
  const { control, markerRun } = lc;
  let snap: Snapshot | undefined;
  let loaded: Omit<MigrateResult, 'verify' | 'seconds'>;
  try {
    snap = await openSnapshot(o.source, Math.max(1, o.jobs ?? 1), o.log);
    const prepared = await prepareMigrate({
      conn: snap.connections[0],
      lc,
      database,
      mapping,
      exclude: o.pipeline.source.exclude,
      defaultSchema,
      replaceSeeded: o.pipeline.target.replaceSeeded,
      truncate: !!o.truncate,
      perRowFkChecks: !!o.perRowFkChecks,
      log: o.log,
    });
    const { tables, catalog, plan } = prepared;
    if (markerRun)
      await startAttempt(control, markerRun, {
        plan: plan.map((g) => g.tables.map((t) => t.key)),
        resume: false,
        singleTransaction: false,
        jobs: snap.connections.length,
        fused: true,
      });
    else
      await o.recorder?.event({
        kind: 'stage.started',
        stage: 'import',
        payload: { fused: true, tables: tables.length, jobs: snap.connections.length },
      });
    o.log.info(
      {
        tables: tables.length,
        groups: plan.length,
        workers: snap.connections.length,
        snapshot: snap.method,
        binlog: snap.binlog,
      },
      'migrate started',
    );
    const { failure, outcomes, results } = await runMigrateGroups(snap, prepared, {
      o,
      scratchDir,
      keepDir: o.keepFiles ? manifestDir : undefined,
      runId: markerRun,
    });
    if (failure) throw withLoadAdvice(failure).withContext({ tables: results });
    const sequences = await resetSequences(
      control,
      catalog,
      tables.map((t) => t.key),
    );
    await analyzeTables(
      control,
      catalog,
      tables.map((t) => t.key),
    );
    const manifest = migrateManifest({
      runId: o.recorder?.runId ?? '',
      pipeline: o.pipeline.name,
      createdAt,
      targetSchema: defaultSchema,
      excluded: [...prepared.excluded],
      tables,
      outcomes,
      filesKept: !!o.keepFiles,
      source: { descriptor: describeConnection(o.source), database, serverVersion: prepared.serverVersion },
      snapshot: { method: snap.method, binlog: snap.binlog, timeZone: '+00:00' },
    });
    await writeManifest(manifestDir, manifest);
    loaded = {
      runId: o.recorder?.runId,
      manifestDir,
      plan,
      tables: results,
      sequences,
      seededDeleted: prepared.seeds.deleted,
    };
  } finally {
    await snap?.close();
    await control.end().catch(() => undefined);
  }
  const loadSeconds = (Date.now() - started) / 1000;
  o.log.info(
    { seconds: loadSeconds, rows: loaded.tables.reduce((n, r) => n + r.rows, 0) },
    'migrate loaded every table',
  );
  // The snapshot is closed by now: verify reads the live source, as `converge verify` does.
  const v0 = Date.now();
  const verify =
    o.verify === false
      ? undefined
      : await runVerifyReport({
          dir: manifestDir,
          mappingDir: o.mappingDir,
          source: o.source,
          target: o.target,
          log: o.log,
          recorder: o.recorder,
          expectationsFile: o.expectationsFile,
        });
  return { ...loaded, verify, seconds: { load: loadSeconds, verify: (Date.now() - v0) / 1000 } };
}

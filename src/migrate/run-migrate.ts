import { promises as fsp } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import { ConnectionInfo, describeConnection } from '../core/connection-url';
import { ConvergeError } from '../core/errors';
import { ensurePrivateDir } from '../core/private-files';
import { MANIFEST_FILE, writeManifest } from '../manifest';
import { markersAvailable, startAttempt } from '../target/postgres/load/load-markers';
import { splitTarget } from '../target/postgres/catalog';
import { lockTargetForLoad } from '../target/postgres/load/load-lock';
import type { GroupPlan } from '../target/postgres/load/load-plan';
import { SeededTables } from '../target/postgres/load/replace-seeded';
import { utcSession, withLoadClients } from '../target/postgres/load/load-clients';
import { loadMapping } from '../mapping/load-mapping';
import type { Pipeline } from '../pipeline/load-pipeline';
import type { RunRecorder } from '../run/run-recorder';
import { openSnapshot, Snapshot } from '../source/mysql/snapshot';
import type { PgForeignKey } from '../target/postgres/catalog';
import { openPg } from '../target/postgres/connect';
import { runVerifyReport, VerifyReport } from '../verify/run-verify';
import { migrateManifest } from './migrate-manifest';
import { isStreamable, loadMigrateGroup, TableOutcome } from './load-migrate-group';
import { scheduleGroups } from '../target/postgres/load/schedule-groups';
import type { MigrateTable } from './migrate-tables';
import { prepareMigrate } from './prepare-migrate';
import { withLoadAdvice } from '../mapping/load-advice';
import { resetSequences } from '../target/postgres/load/target-state';

export interface MigrateOptions {
  pipeline: Pipeline;
  source: ConnectionInfo;
  target: ConnectionInfo;
  workDir: string;
  mappingDir: string;
  log: Logger;
  recorder?: RunRecorder;
  /** Tables moved at once, each with its own MySQL connection (one snapshot) and Postgres transaction. */
  jobs?: number;
  /** Also write each table's transformed CSV and a transform manifest to <workDir>/transform. */
  keepFiles?: boolean;
  truncate?: boolean;
  /** Keep Postgres's per-row foreign-key checks (default: one set-based check per key where the role may). */
  perRowFkChecks?: boolean;
  /** Prove the load afterwards (default true). */
  verify?: boolean;
  expectationsFile?: string;
}

export type MigrateStatus = 'migrated' | 'failed' | 'not-run';

export interface MigrateTableResult {
  table: string;
  sourceTable: string;
  rowsIn: number;
  rows: number;
  seconds: number;
  path?: 'streamed' | 'staged';
  fkChecks?: 'per-row' | 'set-based';
  status: MigrateStatus;
  error?: string;
}

export interface MigrateResult {
  runId?: string;
  /** Where the manifest is: <workDir>/transform with --keep-files, else <workDir>/migrate. */
  manifestDir: string;
  plan: GroupPlan[];
  tables: MigrateTableResult[];
  sequences: Array<{ sequence: string; value: string | null }>;
  seededDeleted: Record<string, number>;
  verify?: VerifyReport;
  seconds: { load: number; verify: number };
}

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
  const control = await openPg(o.target, { applicationName: 'converge migrate' });
  let snap: Snapshot | undefined;
  let loaded: Omit<MigrateResult, 'verify' | 'seconds'>;
  try {
    await utcSession(control);
    const runId = o.recorder?.runId;
    const markers = !!runId && (await markersAvailable(control));
    // Before the target is looked at: a second load of this pipeline would pass the same checks.
    const targetSchemas = [...mapping.tables.values()]
      .filter((t) => !t.skip)
      .map((t) => splitTarget(t.target, defaultSchema).schema);
    await lockTargetForLoad(control, o.pipeline.name, targetSchemas, runId ? { runId, history: markers } : undefined);
    snap = await openSnapshot(o.source, Math.max(1, o.jobs ?? 1), o.log);
    const { tables, byKey, catalog, plan, seeded, setBased, excluded, serverVersion } = await prepareMigrate({
      conn: snap.connections[0],
      control,
      database,
      mapping,
      exclude: o.pipeline.source.exclude,
      defaultSchema,
      replaceSeeded: o.pipeline.target.replaceSeeded,
      truncate: !!o.truncate,
      perRowFkChecks: !!o.perRowFkChecks,
      log: o.log,
    });

    if (markers)
      await startAttempt(control, runId!, {
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

    // Each seeded table's rows are deleted in the transaction that loads its replacement.
    const seeds = new SeededTables(seeded, catalog, markers ? runId : undefined);

    const outcomes = new Map<string, TableOutcome>();
    const failures = new Map<string, ConvergeError>();
    const { failure } = await runGroups(plan, snap, {
      o,
      byKey,
      scratchDir,
      foreignKeys: catalog.foreignKeys,
      setBased,
      seeds,
      runId: markers ? runId : undefined,
      onDone: async (out) => {
        for (const r of out) {
          outcomes.set(r.key, r);
          const t = byKey.get(r.key)!;
          await o.recorder?.event({
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
          if (!markers)
            await o.recorder?.event({
              kind: 'table.loaded',
              stage: 'import',
              table: r.key,
              payload: { rows: r.rows, seconds: r.seconds, rejected: 0, fused: true },
            });
        }
      },
      onFailed: async (g, err) => {
        for (const t of g.tables) failures.set(t.key, err);
        await o.recorder?.event({
          kind: 'table.failed',
          stage: 'import',
          table: err.context.table as string | undefined,
          payload: {
            code: err.code,
            message: err.message,
            column: err.context.column,
            constraint: err.context.constraint,
            sourceKey: err.context.sourceKey,
            rolledBack: true,
          },
        });
      },
    });
    const results: MigrateTableResult[] = plan
      .flatMap((g) => g.tables)
      .map((p) => {
        const t = byKey.get(p.key)!;
        const r = outcomes.get(p.key);
        const f = failures.get(p.key);
        return {
          table: p.key,
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
    if (failure) throw withLoadAdvice(failure).withContext({ tables: results });
    const sequences = await resetSequences(
      control,
      catalog,
      tables.map((t) => t.key),
    );
    const manifest = migrateManifest({
      runId: runId ?? '',
      pipeline: o.pipeline.name,
      createdAt,
      targetSchema: defaultSchema,
      excluded: [...excluded],
      tables,
      outcomes,
      filesKept: !!o.keepFiles,
      source: { descriptor: describeConnection(o.source), database, serverVersion },
      snapshot: { method: snap.method, binlog: snap.binlog, timeZone: '+00:00' },
    });
    await writeManifest(manifestDir, manifest);
    loaded = { runId, manifestDir, plan, tables: results, sequences, seededDeleted: seeds.deleted };
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

/** One Postgres session per snapshot connection, running the plan's groups with the loader's one scheduler. */
async function runGroups(
  plan: GroupPlan[],
  snap: Snapshot,
  s: Scheduling,
): Promise<{ failure?: ConvergeError; notRun: Set<number> }> {
  const workers = Math.max(1, Math.min(snap.connections.length, plan.length || 1));
  return withLoadClients(s.o.target, workers, 'converge migrate', (clients) =>
    scheduleGroups({
      plan,
      slots: clients.map((client, i) => ({ client, conn: snap.connections[i] })),
      size: (g) => g.tables.reduce((n, t) => n + (s.byKey.get(t.key)!.source.dataBytes || 0), 0),
      early: (g) => isStreamable(g) && s.setBased.has(g.tables[0].key),
      run: async (g, slot, parentsCommitted) => {
        const out = await loadMigrateGroup(g, {
          client: slot.client,
          conn: slot.conn,
          tables: s.byKey,
          keepDir: s.o.keepFiles ? migrateManifestDir(s.o.workDir, true) : undefined,
          scratchDir: s.scratchDir,
          foreignKeys: s.foreignKeys,
          setBased: s.setBased,
          seeds: s.seeds,
          parentsCommitted,
          runId: s.runId,
          log: s.o.log,
        });
        await s.onDone(out);
      },
      onFailed: s.onFailed,
      log: s.o.log,
    }),
  );
}

interface Scheduling {
  o: MigrateOptions;
  byKey: Map<string, MigrateTable>;
  scratchDir: string;
  foreignKeys: PgForeignKey[];
  setBased: Map<string, PgForeignKey[]>;
  seeds: SeededTables;
  runId?: string;
  onDone(out: TableOutcome[]): Promise<void>;
  onFailed(g: GroupPlan, err: ConvergeError): Promise<void>;
}

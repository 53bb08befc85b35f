import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import type { Client } from 'pg';
import { ConnectionInfo } from '../core/connection-url';
import { ConvergeError, isConvergeError, messageOf } from '../core/errors';
import { Manifest, ManifestTable, readManifest } from '../manifest';
import type { RunRecorder } from '../run/run-recorder';
import { openPg, qualifiedPg, quotePg } from '../target/postgres/connect';
import { PgCatalog, PgForeignKey, readPgCatalog, splitTarget, tableKey } from '../target/postgres/catalog';
import { setBasedChecksAllowed } from './fk-validation';
import { classifyLoadError } from './load-error';
import { loadGroup } from './load-group';
import { committedLoads, LoadMarker, markersAvailable, startAttempt, writeMarker } from './load-markers';
import { GroupPlan, planLoad, PlanInput } from './load-plan';
import { RejectSink } from './reject-rows';
import { deleteSeededRows } from './replace-seeded';
import { countRows, resetSequences } from './target-state';

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
  // Before anything is loaded: every file must be the one transform wrote.
  await checkFileDigests(manifest, opts.dir);
  const defaultSchema = manifest.targetSchema ?? 'public';
  const control = await openPg(opts.target, { applicationName: 'converge import' });
  try {
    await utcSession(control);
    const entries = Object.values(manifest.tables).map((t) => ({ t, ...splitTarget(t.name, defaultSchema) }));
    const schemas = [...new Set(entries.map((e) => e.schema))];
    const catalog = await readPgCatalog(control, schemas);
    for (const e of entries) checkColumns(catalog, e.schema, e.table, e.t, opts.log);
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
    const seeded = (opts.replaceSeeded ?? []).map((n) => {
      const s = splitTarget(n, defaultSchema);
      const k = tableKey(s.schema, s.table);
      if (!byKey.has(k))
        throw new ConvergeError('CONFIG_INVALID', `replaceSeeded names ${k}, which this load does not fill`, {
          stage: 'import',
          table: k,
          key: 'target.replaceSeeded',
        });
      return k;
    });

    const runId = opts.recorder?.runId;
    const markers = !!runId && (await markersAvailable(control));
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
    const pre = new Map<string, number>();
    for (const i of remaining) pre.set(i.key, await countRows(control, i.schema, i.table));
    const seedPending = seeded.filter((k) => !done.has(`seed:${k}`));
    const blocked = remaining.filter(
      (i) => pre.get(i.key)! > 0 && !allowedExisting.has(i.key) && !seedPending.includes(i.key),
    );
    if (blocked.length && !opts.truncate) {
      throw new ConvergeError(
        'TARGET_NOT_EMPTY',
        `target tables already hold rows: ${blocked.map((i) => `${i.key} (${pre.get(i.key)})`).join(', ')}; load into empty tables, or pass --truncate to empty them first`,
        { stage: 'import', table: blocked[0].key },
      );
    }
    if (blocked.length && opts.truncate) {
      // Emptied in one statement: a lone parent cannot be truncated while a child references it.
      // Tables with an existing-row policy keep their rows.
      const all = remaining.filter((i) => !allowedExisting.has(i.key));
      try {
        await control.query(`TRUNCATE ${all.map((i) => qualifiedPg(i.schema, i.table)).join(', ')}`);
      } catch (e) {
        throw new ConvergeError(
          'TARGET_NOT_EMPTY',
          `--truncate failed: ${messageOf(e)} (a table outside this load references one being emptied)`,
          { stage: 'import' },
          { cause: e },
        );
      }
      for (const i of all) pre.set(i.key, 0);
      opts.log.warn({ tables: all.map((i) => i.key) }, 'truncated the target tables of this load (--truncate)');
    }

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
      seeded: seedPending,
      seededDeleted: {},
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
    if (failure) throw failure;
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
      seededDeleted: exec.seededDeleted,
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
  seeded: string[];
  seededDeleted: Record<string, number>;
  /** Tables whose foreign keys are proven once per key after COPY (import/fk-validation.ts). */
  setBased: Map<string, PgForeignKey[]>;
}

/**
 * Lone tables (no cycle, no staging, nothing deferred) whose foreign keys can be checked once per
 * key instead of once per row: COPY fires one RI trigger per row, most of a large child's load.
 */
async function setBasedTables(
  control: Client,
  plan: GroupPlan[],
  catalog: PgCatalog,
): Promise<Map<string, PgForeignKey[]>> {
  const out = new Map<string, PgForeignKey[]>();
  for (const g of plan) {
    if (g.cycle || g.tables.length !== 1 || g.deferred.length) continue;
    const t = g.tables[0];
    if (t.staged) continue;
    const fks = catalog.foreignKeys.filter((f) => f.schema === t.schema && f.table === t.table);
    if (await setBasedChecksAllowed(control, t.schema, t.table, fks)) out.set(t.key, fks);
  }
  return out;
}

/** Tables a previous attempt committed, each checked against the target's count now. */
async function resumeState(
  client: Client,
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
  client: Client,
  groups: GroupPlan[],
  x: Exec,
  results: Map<string, TableLoad>,
): Promise<ConvergeError | undefined> {
  await client.query('BEGIN');
  try {
    await replaceSeeded(client, x);
    for (const g of groups) await loadOneGroup(client, g, x, results);
    await client.query('COMMIT');
    return undefined;
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
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

/** Groups start when the groups they reference have committed; at most `jobs` at a time. */
async function runPerGroup(
  groups: GroupPlan[],
  plan: GroupPlan[],
  x: Exec,
  results: Map<string, TableLoad>,
): Promise<ConvergeError | undefined> {
  const jobs = Math.max(1, Math.min(x.opts.jobs ?? 1, groups.length || 1));
  const committed = new Set(plan.filter((g) => !groups.includes(g)).map((g) => g.id));
  const clients: Client[] = [];
  let failure: ConvergeError | undefined;
  try {
    for (let i = 0; i < jobs; i++)
      clients.push(await utcSession(await openPg(x.opts.target, { applicationName: `converge import ${i + 1}` })));
    if (x.seeded.length) await inTransaction(clients[0], () => replaceSeeded(clients[0], x));
    const free = [...clients];
    const waiting = [...groups];
    const inflight = new Map<number, Promise<void>>();
    for (;;) {
      while (!failure && free.length && waiting.some((g) => g.after.every((a) => committed.has(a)))) {
        const g = waiting.splice(
          waiting.findIndex((w) => w.after.every((a) => committed.has(a))),
          1,
        )[0];
        const client = free.pop()!;
        inflight.set(
          g.id,
          inTransaction(client, () => loadOneGroup(client, g, x, results))
            .then(() => {
              committed.add(g.id);
              x.opts.log.info({ group: g.id, tables: g.tables.map((t) => t.key) }, 'group committed');
            })
            .catch(async (e) => {
              failure ??= asError(e);
              markFailed(results, asError(e), g);
              await x.opts.recorder?.event({
                kind: 'table.failed',
                stage: 'import',
                table: asError(e).context.table,
                payload: failurePayload(asError(e), false),
              });
            })
            .finally(() => {
              inflight.delete(g.id);
              free.push(client);
            }),
        );
      }
      if (!inflight.size) break;
      await Promise.race(inflight.values());
    }
  } catch (e) {
    failure ??= asError(e);
  } finally {
    for (const c of clients) await c.end().catch(() => undefined);
  }
  return failure;
}

/** Transform writes UTC wall time without an offset: timestamptz columns must read it as UTC, whatever the server's TimeZone. */
async function utcSession(client: Client): Promise<Client> {
  await client.query(`SET TIME ZONE 'UTC'`);
  return client;
}

async function inTransaction(client: Client, body: () => Promise<void>): Promise<void> {
  await client.query('BEGIN');
  try {
    await body();
    await client.query('COMMIT');
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  }
}

async function replaceSeeded(client: Client, x: Exec): Promise<void> {
  if (!x.seeded.length) return;
  const deleted = await deleteSeededRows(client, x.seeded, x.catalog);
  for (const [k, n] of deleted) {
    x.seededDeleted[k] = n;
    x.pre.set(k, 0);
    if (x.runId) await writeMarker(client, x.runId, { kind: 'table.seed_replaced', table: k, payload: { rows: n } });
  }
  x.opts.log.info({ deleted: x.seededDeleted }, 'replaced the target seeded rows (replaceSeeded)');
}

/**
 * One group inside the caller's transaction. Under --collect-errors a group whose fast COPY hits
 * a bad row is rolled back to its savepoint and loaded again batch by batch.
 */
async function loadOneGroup(client: Client, g: GroupPlan, x: Exec, results: Map<string, TableLoad>): Promise<void> {
  const started = Date.now();
  x.opts.log.info({ group: g.id, tables: g.tables.map((t) => t.key) }, 'group started');
  let loaded: Map<string, { rows: number; seconds: number }>;
  if (x.sink) await client.query('SAVEPOINT converge_group');
  try {
    loaded = await loadGroup(client, g, undefined, g.tables.length === 1 ? x.setBased.get(g.tables[0].key) : undefined);
  } catch (e) {
    const state = String(isConvergeError(e) ? (e.context.sqlstate ?? '') : ((e as { code?: string }).code ?? ''));
    if (!x.sink || !(state.startsWith('22') || state.startsWith('23'))) throw e;
    await client.query('ROLLBACK TO SAVEPOINT converge_group');
    x.opts.log.warn(
      { tables: g.tables.map((t) => t.key), err: messageOf(e) },
      'rows rejected; loading again batch by batch (--collect-errors)',
    );
    loaded = await loadGroup(client, g, x.sink);
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

function checkColumns(catalog: PgCatalog, schema: string, table: string, t: ManifestTable, log: Logger): void {
  const pt = catalog.tables.get(tableKey(schema, table));
  if (!pt)
    throw new ConvergeError(
      'TARGET_SCHEMA',
      `target table ${schema}.${table} does not exist; apply the target schema first (converge schema apply)`,
      { stage: 'import', table },
    );
  const names = new Map(pt.columns.map((c) => [c.name, c]));
  for (const c of t.columns) {
    const pc = names.get(c.name);
    if (!pc)
      throw new ConvergeError('TARGET_SCHEMA', `target table ${schema}.${table} has no column "${c.name}"`, {
        stage: 'import',
        table,
        column: c.name,
      });
    if (pc.generated)
      log.warn(
        { table: `${schema}.${table}`, column: c.name },
        'column is GENERATED on the target: left out of the load (the target computes it; verify compares it)',
      );
  }
}

/**
 * Compares each file's sha256 with the manifest before the load starts, so a file edited or cut
 * after transform is refused (CSV_CHECKSUM) rather than loaded. Chunked tables check each chunk.
 */
async function checkFileDigests(manifest: Manifest, dir: string): Promise<void> {
  for (const t of Object.values(manifest.tables)) {
    const files = t.chunks?.length
      ? t.chunks.map((c) => [c.file, c.sha256] as const)
      : t.files && t.files.length > 1
        ? []
        : [[t.file, t.sha256] as const];
    for (const [f, sha] of files) {
      if (!sha) continue;
      const file = path.join(dir, f);
      const h = createHash('sha256');
      try {
        for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) h.update(chunk as Buffer);
      } catch (e) {
        throw new ConvergeError(
          'IO_FAILED',
          `cannot read ${file}: ${(e as Error).message}`,
          { stage: 'import', table: t.name, file },
          { cause: e },
        );
      }
      const got = h.digest('hex');
      if (got !== sha) {
        throw new ConvergeError(
          'CSV_CHECKSUM',
          `file changed after transform: sha256 is ${got}, the manifest says ${sha}; re-run transform`,
          { stage: 'import', table: t.name, file },
        );
      }
    }
  }
}

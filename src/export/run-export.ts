import { randomUUID, createHash } from 'node:crypto';
import { promises as fsp, createReadStream } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import { ConnectionInfo, describeConnection } from '../core/connection-url';
import { ConvergeError } from '../core/errors';
import { ensurePrivateDir, ioError } from '../core/private-files';
import { openMysql, MysqlConnection, mysqlServerVersion } from '../source/mysql/connect';
import { MysqlTable, readMysqlCatalog } from '../source/mysql/catalog';
import { ChunkSizing, planKeyRanges, rowsPerChunk } from '../source/mysql/key-ranges';
import { ensureRowReaderInternals } from '../source/mysql/driver-internals';
import { openSnapshot } from '../source/mysql/snapshot';
import type { RunRecorder } from '../run/run-recorder';
import { decideResume, plannedTable, summarise } from './export-plan';
import { exportTable, manifestColumns } from './export-table';
import { CSV_DIALECT, Manifest, ManifestTable, readPartialManifest, writeManifest } from '../manifest';

export interface ExportOptions {
  source: ConnectionInfo;
  outDir: string;
  pipeline: string;
  exclude?: string[];
  /** Only these tables (default: all but excluded). */
  tables?: string[];
  /** Workers, each on its own connection inside the one snapshot (default 1). */
  jobs?: number;
  /** Chunk sizing; tables at or under one chunk are exported whole (defaults: 500 000 rows, 256 MB). */
  chunkRows?: number;
  chunkBytes?: number;
  runId?: string;
  resume?: boolean;
  log: Logger;
  recorder?: RunRecorder;
  /** Rows and bytes written so far for a table (all its chunks), every few thousand rows. */
  onProgress?: (table: string, rows: number, bytes: number, estimatedRows: number) => void;
  /** A table is finished (exported or kept by --resume). */
  onTableDone?: (table: string, rows: number, bytes: number, seconds: number) => void;
  /** Test hook: awaited before a worker starts a chunk. */
  beforeChunk?: (table: string, chunk: number, worker: number) => Promise<void>;
}

export interface ExportResult {
  manifest: Manifest;
  tables: Array<{
    table: string;
    rows: number;
    bytes: number;
    seconds: number;
    chunks: number;
    status: 'exported' | 'resumed';
  }>;
}

export const DEFAULT_CHUNK_ROWS = 500_000;
export const DEFAULT_CHUNK_BYTES = 256 << 20;

type Task = { kind: 'plan'; table: MysqlTable } | { kind: 'chunk'; state: TableState; index: number };

interface TableState {
  table: MysqlTable;
  entry: ManifestTable;
  left: number;
  started: number;
  /** Rows/bytes of finished chunks, plus the running ones by chunk index. */
  doneRows: number;
  doneBytes: number;
  running: Map<number, [number, number]>;
}

/**
 * Exports the tables of the source database from ONE snapshot into CSV files and a manifest.
 * Large tables are split into primary-key ranges; `jobs` workers take tables and chunks from one
 * queue, each on its own connection of the snapshot. The manifest is rewritten after every chunk
 * is synced, so --resume redoes only what is missing or changed.
 */
export async function runExport(opts: ExportOptions): Promise<ExportResult> {
  const database = opts.source.database;
  if (!database)
    throw new ConvergeError('USAGE', 'the source URL names no database (mysql://…/DATABASE)', { stage: 'export' });
  const sizing: ChunkSizing = {
    chunkRows: opts.chunkRows ?? DEFAULT_CHUNK_ROWS,
    chunkBytes: opts.chunkBytes ?? DEFAULT_CHUNK_BYTES,
  };
  if (!(sizing.chunkRows >= 1) || !(sizing.chunkBytes >= 1))
    throw new ConvergeError('USAGE', 'chunk rows and chunk size must be positive', { stage: 'export' });
  // Before anything is read: the row reader relies on mysql2 internals (see driver-internals.ts).
  ensureRowReaderInternals();
  await ensurePrivateDir(opts.outDir);
  const { tables: all, serverVersion } = await readCatalog(opts.source, database);
  let tables = all;
  if (opts.tables) {
    const names = new Set(tables.map((t) => t.name));
    for (const t of opts.tables)
      if (!names.has(t))
        throw new ConvergeError('USAGE', `table ${t} is not in source database ${database}`, {
          table: t,
          stage: 'export',
        });
    tables = tables.filter((t) => opts.tables!.includes(t.name));
  }
  const exclude = new Set(opts.exclude ?? []);
  const excluded = tables.filter((t) => exclude.has(t.name)).map((t) => t.name);
  tables = tables.filter((t) => !exclude.has(t.name));
  // Largest first: the long pole starts early when several workers share the queue.
  tables.sort((a, b) => b.dataBytes - a.dataBytes || a.name.localeCompare(b.name));

  const previous = opts.resume ? await readPartialManifest(opts.outDir) : undefined;
  const manifest: Manifest = {
    format: 'converge-export/1',
    runId: opts.runId ?? previous?.runId ?? randomUUID(),
    pipeline: opts.pipeline,
    createdAt: new Date().toISOString(),
    source: { descriptor: describeConnection(opts.source), database, serverVersion },
    csv: CSV_DIALECT,
    tables: {},
    excluded,
  };
  const results: ExportResult['tables'] = [];
  const queue: Task[] = [];
  const states: TableState[] = [];
  let kept = 0;
  for (const t of tables) {
    const d = await decideResume(previous?.tables?.[t.name], manifestColumns(t), (f, sha) =>
      fileMatches(path.join(opts.outDir, f), sha),
    );
    if (d.kind !== 'keep') for (const f of d.stale) await fsp.rm(path.join(opts.outDir, f), { force: true });
    if (d.kind === 'keep') {
      manifest.tables[t.name] = d.entry;
      kept += d.entry.chunks?.length ?? 1;
      results.push({
        table: t.name,
        rows: d.entry.rows,
        bytes: d.entry.bytes,
        seconds: 0,
        chunks: d.entry.chunks?.length ?? 1,
        status: 'resumed',
      });
      opts.log.info({ table: t.name }, 'resume: every file matches the manifest, skipped');
      opts.onTableDone?.(t.name, d.entry.rows, d.entry.bytes, 0);
    } else if (d.kind === 'continue') {
      manifest.tables[t.name] = d.entry;
      kept += d.entry.chunks!.length - d.redo.length;
      const state = newState(t, d.entry, d.redo.length);
      states.push(state);
      for (const index of d.redo) queue.push({ kind: 'chunk', state, index });
      opts.log.info(
        { table: t.name, redo: d.redo.length, of: d.entry.chunks!.length },
        'resume: redoing the chunks that are missing or changed',
      );
    } else queue.push({ kind: 'plan', table: t });
  }
  // The old manifest no longer describes the files being redone: drop them before writing any.
  await writeManifest(opts.outDir, manifest);

  const pieces = queue.reduce(
    (n, q) =>
      n + (q.kind === 'plan' ? Math.max(1, Math.ceil(q.table.estimatedRows / rowsPerChunk(q.table, sizing))) : 1),
    0,
  );
  const jobs = Math.max(1, Math.min(opts.jobs ?? 1, pieces));
  if (queue.length) {
    const snap = await openSnapshot(opts.source, jobs, opts.log);
    manifest.snapshot = { method: snap.method, binlog: snap.binlog, timeZone: '+00:00' };
    if (kept && previous?.snapshot)
      manifest.snapshot.earlier = {
        runId: previous.runId,
        method: previous.snapshot.method,
        binlog: previous.snapshot.binlog ?? null,
      };
    opts.log.info({ workers: snap.connections.length, snapshot: snap.method, binlog: snap.binlog }, 'snapshot open');
    await opts.recorder?.event({
      kind: 'stage.started',
      stage: 'export',
      payload: { tables: queue.length, jobs: snap.connections.length, snapshot: snap.method, binlog: snap.binlog },
    });
    try {
      await drain(queue, snap.connections, manifest, opts, sizing, results);
    } finally {
      await snap.close();
    }
  } else if (previous?.snapshot) manifest.snapshot = previous.snapshot;
  manifest.completedAt = new Date().toISOString();
  await writeManifest(opts.outDir, manifest);
  return { manifest, tables: results };
}

function newState(table: MysqlTable, entry: ManifestTable, left: number): TableState {
  return { table, entry, left, started: 0, doneRows: entry.rows, doneBytes: entry.bytes, running: new Map() };
}

/** Runs the queue on the snapshot's connections; the first failure stops new work and is thrown. */
async function drain(
  queue: Task[],
  conns: MysqlConnection[],
  manifest: Manifest,
  opts: ExportOptions,
  sizing: ChunkSizing,
  results: ExportResult['tables'],
): Promise<void> {
  let failed: unknown;
  let planning = 0;
  let waiters: Array<() => void> = [];
  const wake = () => {
    for (const w of waiters.splice(0)) w();
  };
  // Workers finish chunks concurrently; manifest rewrites go one at a time, in order.
  let writes = Promise.resolve();
  const save = () => (writes = writes.then(() => writeManifest(opts.outDir, manifest)));
  const next = async (): Promise<Task | undefined> => {
    for (;;) {
      if (failed) return undefined;
      const t = queue.shift();
      if (t || planning === 0) return t;
      // Another worker is cutting a table into chunks: wait for them rather than quit.
      await new Promise<void>((r) => waiters.push(r));
    }
  };
  const progress = (s: TableState) => {
    let rows = s.doneRows;
    let bytes = s.doneBytes;
    for (const [r, b] of s.running.values()) ((rows += r), (bytes += b));
    opts.onProgress?.(s.table.name, rows, bytes, s.table.estimatedRows);
  };

  const runChunk = async (conn: MysqlConnection, worker: number, s: TableState, index: number) => {
    const chunk = s.entry.chunks![index];
    const file = path.join(opts.outDir, chunk.file);
    await opts.beforeChunk?.(s.table.name, index, worker);
    s.started ||= Date.now();
    const t0 = Date.now();
    s.running.set(index, [0, 0]);
    try {
      const r = await exportTable(conn, s.table, file, {
        range: chunk.range,
        onRows: (rows, bytes) => (s.running.set(index, [rows, bytes]), progress(s)),
      });
      s.entry.chunks![index] = {
        ...chunk,
        status: 'complete',
        rows: r.rows,
        bytes: r.bytes,
        sha256: r.sha256,
        seconds: (Date.now() - t0) / 1000,
      };
    } catch (e) {
      // A half-written chunk is removed if it can be; the chunk's own error is what is reported.
      await fsp.rm(file, { force: true }).catch(() => undefined);
      throw e;
    } finally {
      s.running.delete(index);
    }
    s.doneRows += s.entry.chunks![index].rows!;
    s.doneBytes += s.entry.chunks![index].bytes!;
    // Decided before any await: two workers may finish a table's last chunks together.
    const last = --s.left === 0;
    if (last) s.entry.seconds = (Date.now() - s.started) / 1000;
    summarise(s.entry);
    await save();
    if (!last) return;
    const { rows, bytes, seconds, sha256 } = s.entry;
    const chunks = s.entry.chunks!.length;
    results.push({ table: s.table.name, rows, bytes, seconds, chunks, status: 'exported' });
    opts.log.info({ table: s.table.name, rows, bytes, seconds, chunks }, 'table exported');
    opts.onTableDone?.(s.table.name, rows, bytes, seconds);
    await opts.recorder?.event({
      kind: 'table.exported',
      stage: 'export',
      table: s.table.name,
      payload: { rows, bytes, seconds, chunks, sha256 },
    });
  };

  const plan = async (conn: MysqlConnection, table: MysqlTable) => {
    planning++;
    try {
      const ranges = await planKeyRanges(conn, table, sizing);
      const entry = plannedTable(table.name, manifestColumns(table), ranges);
      manifest.tables[table.name] = entry;
      await save();
      const state = newState(table, entry, entry.chunks!.length);
      queue.unshift(...entry.chunks!.map((_, index) => ({ kind: 'chunk' as const, state, index })));
      if (ranges.length) opts.log.info({ table: table.name, chunks: ranges.length }, 'table split by primary key');
    } finally {
      planning--;
      wake();
    }
  };

  const worker = async (i: number) => {
    const conn = conns[i];
    for (let t = await next(); t; t = await next()) {
      try {
        if (t.kind === 'plan') await plan(conn, t.table);
        else await runChunk(conn, i, t.state, t.index);
      } catch (e) {
        failed ??= e;
        wake();
      }
    }
  };
  await Promise.all(conns.map((_, i) => worker(i)));
  await writes;
  if (failed) throw failed;
}

async function readCatalog(
  source: ConnectionInfo,
  database: string,
): Promise<{ tables: MysqlTable[]; serverVersion: string }> {
  const conn = await openMysql(source);
  try {
    return { serverVersion: await mysqlServerVersion(conn), tables: await readMysqlCatalog(conn, database) };
  } finally {
    // Closing after use or after a failure: a close error would only hide the real outcome.
    await conn.end().catch(() => undefined);
  }
}

async function fileMatches(file: string, sha256: string): Promise<boolean> {
  try {
    const h = createHash('sha256');
    for await (const chunk of createReadStream(file)) h.update(chunk as Buffer);
    return h.digest('hex') === sha256;
  } catch (e) {
    // A missing file is simply redone; one that cannot be read is an error, not a silent redo.
    if ((e as NodeJS.ErrnoException)?.code === 'ENOENT') return false;
    throw ioError(e, `cannot read ${file} to check it for --resume`, file);
  }
}

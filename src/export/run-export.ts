import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { ConnectionInfo, describeConnection } from '../core/connection-url';
import { ConvergeError } from '../core/errors';
import { ensurePrivateDir } from '../core/private-files';
import { openMysql, mysqlServerVersion } from '../source/mysql/connect';
import { MysqlTable, readMysqlCatalog } from '../source/mysql/catalog';
import { ChunkSizing, rowsPerChunk } from '../source/mysql/key-ranges';
import { ensureRowReaderInternals } from '../source/mysql/driver-internals';
import { openSnapshot } from '../source/mysql/snapshot';
import type { RunRecorder } from '../run/run-recorder';
import { drain } from './export-queue';
import { resumeOrPlan, selectTables } from './export-resume';
import { CSV_DIALECT, Manifest, readPartialManifest, writeManifest } from '../manifest';

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
  /** A table's first chunk starts (its rate is measured from here). */
  onTableStart?: (table: string, estimatedRows: number) => void;
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
  const { tables, excluded } = selectTables(all, database, opts);
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
  const { queue, kept, results } = await resumeOrPlan(tables, previous, manifest, opts);
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

import path from 'node:path';
import { promises as fsp } from 'node:fs';
import type { MysqlConnection } from '../source/mysql/connect';
import type { MysqlTable } from '../source/mysql/catalog';
import { ChunkSizing, planKeyRanges } from '../source/mysql/key-ranges';
import { Manifest, ManifestTable, writeManifest } from '../manifest';
import { plannedTable, summarise } from './export-plan';
import { exportTable, manifestColumns } from './export-table';
import type { ExportOptions, ExportResult } from './run-export';

/** A table to cut into key-range chunks, or one chunk to export. */
export type Task = { kind: 'plan'; table: MysqlTable } | { kind: 'chunk'; state: TableState; index: number };

export interface TableState {
  table: MysqlTable;
  entry: ManifestTable;
  left: number;
  started: number;
  /** Rows/bytes of finished chunks, plus the running ones by chunk index. */
  doneRows: number;
  doneBytes: number;
  running: Map<number, [number, number]>;
}

export function newState(table: MysqlTable, entry: ManifestTable, left: number): TableState {
  return { table, entry, left, started: 0, doneRows: entry.rows, doneBytes: entry.bytes, running: new Map() };
}

/** Runs the queue on the snapshot's connections; the first failure stops new work and is thrown. */
export async function drain(
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
    if (!s.started) {
      s.started = Date.now();
      opts.onTableStart?.(s.table.name, s.table.estimatedRows);
    }
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

import { randomUUID } from 'node:crypto';
import { promises as fsp, createReadStream } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { Logger } from 'pino';
import { ConnectionInfo, describeConnection } from '../core/connection-url';
import { ConvergeError } from '../core/errors';
import { ensurePrivateDir } from '../core/private-files';
import { openMysql } from '../source/mysql/connect';
import { MysqlTable, readMysqlCatalog } from '../source/mysql/catalog';
import { openSnapshot } from '../source/mysql/snapshot';
import type { RunRecorder } from '../run/run-recorder';
import { exportTable } from './export-table';
import { CSV_DIALECT, Manifest, readPartialManifest, writeManifest } from './manifest';

export interface ExportOptions {
  source: ConnectionInfo;
  outDir: string;
  pipeline: string;
  exclude?: string[];
  /** Only these tables (default: all but excluded). */
  tables?: string[];
  jobs?: number;
  runId?: string;
  resume?: boolean;
  log: Logger;
  recorder?: RunRecorder;
  onProgress?: (table: string, rows: number, bytes: number, estimatedRows: number) => void;
}

export interface ExportResult {
  manifest: Manifest;
  tables: Array<{ table: string; rows: number; bytes: number; seconds: number; status: 'exported' | 'resumed' }>;
}

/** Exports every table of the source database from one snapshot into CSV files and a manifest. */
export async function runExport(opts: ExportOptions): Promise<ExportResult> {
  const database = opts.source.database;
  if (!database) throw new ConvergeError('USAGE', 'the source URL names no database (mysql://…/DATABASE)', { stage: 'export' });
  await ensurePrivateDir(opts.outDir);
  const catalogConn = await openMysql(opts.source);
  let tables: MysqlTable[];
  let serverVersion: string;
  try {
    const [v] = await catalogConn.query('SELECT VERSION() AS v');
    serverVersion = String((v as Array<{ v: string }>)[0].v);
    tables = await readMysqlCatalog(catalogConn, database);
  } finally {
    await catalogConn.end().catch(() => undefined);
  }
  const exclude = new Set(opts.exclude ?? []);
  if (opts.tables) {
    const names = new Set(tables.map((t) => t.name));
    for (const t of opts.tables) if (!names.has(t)) throw new ConvergeError('USAGE', `table ${t} is not in source database ${database}`, { table: t, stage: 'export' });
    tables = tables.filter((t) => opts.tables!.includes(t.name));
  }
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
  const todo: MysqlTable[] = [];
  for (const t of tables) {
    const prev = previous?.tables?.[t.name];
    if (prev && prev.status === 'complete' && (await fileMatches(path.join(opts.outDir, prev.file), prev.sha256))) {
      manifest.tables[t.name] = prev;
      results.push({ table: t.name, rows: prev.rows, bytes: prev.bytes, seconds: 0, status: 'resumed' });
      opts.log.info({ table: t.name }, 'resume: file matches the manifest, skipped');
    } else todo.push(t);
  }
  // The old manifest no longer describes these files: drop their entries before rewriting any.
  await writeManifest(opts.outDir, manifest);

  const jobs = Math.max(1, Math.min(opts.jobs ?? 1, todo.length || 1));
  const snap = await openSnapshot(opts.source, jobs, opts.log);
  manifest.snapshot = { method: snap.method, binlog: snap.binlog, timeZone: '+00:00' };
  await opts.recorder?.event({ kind: 'stage.started', stage: 'export', payload: { tables: todo.length, jobs: snap.connections.length, snapshot: snap.method, binlog: snap.binlog } });
  try {
    const queue = [...todo];
    let failed: unknown;
    // Workers finish tables concurrently; manifest rewrites go one at a time, in order.
    let manifestWrites = Promise.resolve();
    const saveManifest = () => (manifestWrites = manifestWrites.then(() => writeManifest(opts.outDir, manifest)));
    const worker = async (i: number) => {
      const conn = snap.connections[i];
      for (let t = queue.shift(); t && !failed; t = queue.shift()) {
        const file = `${t.name}.csv`;
        const started = Date.now();
        const est = t.estimatedRows;
        try {
          const r = await exportTable(conn, t, path.join(opts.outDir, file), { onRows: (n, b) => opts.onProgress?.(t!.name, n, b, est) });
          const seconds = (Date.now() - started) / 1000;
          manifest.tables[t.name] = { name: t.name, file, columns: r.columns, rows: r.rows, bytes: r.bytes, sha256: r.sha256, seconds, status: 'complete' };
          await saveManifest();
          results.push({ table: t.name, rows: r.rows, bytes: r.bytes, seconds, status: 'exported' });
          opts.log.info({ table: t.name, rows: r.rows, bytes: r.bytes, seconds }, 'table exported');
          await opts.recorder?.event({ kind: 'table.exported', stage: 'export', table: t.name, payload: { rows: r.rows, bytes: r.bytes, seconds, sha256: r.sha256 } });
        } catch (e) {
          failed ??= e;
          await fsp.rm(path.join(opts.outDir, file), { force: true }).catch(() => undefined);
        }
      }
    };
    await Promise.all(snap.connections.map((_, i) => worker(i)));
    if (failed) throw failed;
  } finally {
    await snap.close();
  }
  manifest.completedAt = new Date().toISOString();
  await writeManifest(opts.outDir, manifest);
  return { manifest, tables: results };
}

async function fileMatches(file: string, sha256: string): Promise<boolean> {
  try {
    const h = createHash('sha256');
    for await (const chunk of createReadStream(file)) h.update(chunk as Buffer);
    return h.digest('hex') === sha256;
  } catch {
    return false;
  }
}

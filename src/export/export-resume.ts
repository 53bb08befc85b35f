import { createHash } from 'node:crypto';
import { createReadStream, promises as fsp } from 'node:fs';
import path from 'node:path';
import { ConvergeError } from '../core/errors';
import { ioError } from '../core/private-files';
import type { MysqlTable } from '../source/mysql/catalog';
import type { Manifest } from '../manifest';
import { decideResume } from './export-plan';
import { newState, Task } from './export-queue';
import { manifestColumns } from './export-table';
import type { ExportOptions, ExportResult } from './run-export';

/** The tables to export: --tables (each must exist), minus the excluded; largest first. */
export function selectTables(
  all: MysqlTable[],
  database: string,
  opts: Pick<ExportOptions, 'tables' | 'exclude'>,
): { tables: MysqlTable[]; excluded: string[] } {
  let tables = all;
  if (opts.tables) {
    const names = new Set(tables.map((t) => t.name));
    for (const t of opts.tables)
      if (!names.has(t))
        throw new ConvergeError('USAGE', `table ${t} is not in source database ${database}`, {
          table: t,
          stage: 'export',
        });
    const only = new Set(opts.tables);
    tables = tables.filter((t) => only.has(t.name));
  }
  const exclude = new Set(opts.exclude ?? []);
  const excluded = tables.filter((t) => exclude.has(t.name)).map((t) => t.name);
  tables = tables.filter((t) => !exclude.has(t.name));
  // Largest first: the long pole starts early when several workers share the queue.
  tables.sort((a, b) => b.dataBytes - a.dataBytes || a.name.localeCompare(b.name));

  return { tables, excluded };
}

/**
 * What is left to do for each table: nothing (every file of the previous manifest still
 * matches it, under --resume), the chunks that are missing or changed, or a fresh key plan.
 * Files that will be redone are removed first; the manifest gets the kept entries.
 */
export async function resumeOrPlan(
  tables: MysqlTable[],
  previous: Manifest | undefined,
  manifest: Manifest,
  opts: Pick<ExportOptions, 'outDir' | 'log' | 'onTableDone'>,
): Promise<{ queue: Task[]; kept: number; results: ExportResult['tables'] }> {
  const results: ExportResult['tables'] = [];
  const queue: Task[] = [];
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
      for (const index of d.redo) queue.push({ kind: 'chunk', state, index });
      opts.log.info(
        { table: t.name, redo: d.redo.length, of: d.entry.chunks!.length },
        'resume: redoing the chunks that are missing or changed',
      );
    } else queue.push({ kind: 'plan', table: t });
  }
  return { queue, kept, results };
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
